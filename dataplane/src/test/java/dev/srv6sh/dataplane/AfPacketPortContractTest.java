package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;

/**
 * {@link dev.srv6sh.dataplane.port.linux.AfPacketPort} keeps the port contract on veth pairs in a
 * namespace of the test's own (root and {@code ip} needed: skipped without, failed under CI=true).
 */
class AfPacketPortContractTest extends PortContract {
    @Override
    PortRig rig(DataplaneConfig config) throws Exception {
        return LinuxRig.open(config, LinuxPorts.Driver.AF_PACKET);
    }
}
