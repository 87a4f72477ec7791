package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig;

/** {@link MemoryPort} keeps the port contract. */
class MemoryPortContractTest extends PortContract {
    @Override
    PortRig rig(DataplaneConfig config) throws Exception {
        return PortRig.memory(config);
    }
}
