package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;

/**
 * {@link dev.srv6sh.dataplane.port.linux.TapPort} keeps the port contract on TAP devices it creates in
 * a namespace of the test's own, their kernel side the far end (root and {@code ip} needed).
 */
class TapPortContractTest extends PortContract {
    @Override
    PortRig rig(DataplaneConfig config) throws Exception {
        return LinuxRig.open(config, LinuxPorts.Driver.TAP);
    }
}
