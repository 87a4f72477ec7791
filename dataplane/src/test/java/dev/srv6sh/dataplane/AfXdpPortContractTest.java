package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;

/**
 * {@link dev.srv6sh.dataplane.port.linux.AfXdpPort} keeps the port contract on veth pairs in a
 * namespace of the test's own (native XDP, copy mode): frames land in the engine's buffers with no
 * copy of srv6sh's, transmitted buffers stay the port's until the completion ring gives them back, an
 * interface a configuration drops gives every buffer back and comes back on a new socket. Root needed:
 * skipped without, failed under CI=true.
 */
class AfXdpPortContractTest extends PortContract {
    @Override
    PortRig rig(DataplaneConfig config) throws Exception {
        return LinuxRig.open(config, LinuxPorts.Driver.AF_XDP);
    }
}
