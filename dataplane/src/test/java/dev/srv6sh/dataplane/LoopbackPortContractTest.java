package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig;

/**
 * {@link dev.srv6sh.dataplane.port.LoopbackPort}, written against the public port API alone, keeps
 * the port contract: the engine's side of the interface works for a port that is not its own.
 */
class LoopbackPortContractTest extends PortContract {
    @Override
    PortRig rig(DataplaneConfig config) throws Exception {
        return PortRig.loopback(config);
    }
}
