package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.Loopback;
import dev.srv6sh.dataplane.port.Port;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link PortContract} needs of a kind of port: an engine every interface of which is such a
 * port, and the far end of each, where frames are sent from and arrive.
 */
interface PortRig extends AutoCloseable {
    Engine engine();

    /** The far end of {@code iface} sends {@code frame}: it waits on the device until the engine polls. */
    void arrive(String iface, byte[] frame);

    /** What the engine sent out of {@code iface} that reached the far end since the last call, in order. */
    List<byte[]> departed(String iface);

    /**
     * Returns once every frame {@link #arrive} sent is where the port's {@code receive} (or {@code
     * drain}) finds it. In memory that is at once; a real device hands frames over after the far
     * end's call returns (a veth delivers in a softirq, maybe on another CPU).
     */
    default void arrived() {}

    @Override
    void close();

    /** {@link MemoryPort}s: frames injected, transmitted ones caught by the sink. */
    static PortRig memory(DataplaneConfig config) throws ConfigException {
        Engine e = new Engine("rig", Clock.SYSTEM, MemoryPort.FACTORY);
        e.apply(config);
        Map<String, List<byte[]>> sent = new LinkedHashMap<>();
        for (DataplaneConfig.Interface i : config.interfaces()) {
            List<byte[]> to = new ArrayList<>();
            sent.put(i.name(), to);
            e.port(i.name(), MemoryPort.class).onTransmit((n, s, o, l) -> to.add(Harness.copy(s, o, l)));
        }
        return new PortRig() {
            public Engine engine() {
                return e;
            }

            public void arrive(String iface, byte[] frame) {
                e.port(iface, MemoryPort.class).inject(frame);
            }

            public List<byte[]> departed(String iface) {
                List<byte[]> out = List.copyOf(sent.get(iface));
                sent.get(iface).clear();
                return out;
            }

            public void close() {
                e.close();
            }
        };
    }

    /** {@link dev.srv6sh.dataplane.port.LoopbackPort}s, each linked to a {@link FarEnd}. */
    static PortRig loopback(DataplaneConfig config) throws ConfigException {
        Map<String, FarEnd> far = new LinkedHashMap<>();
        Engine e = new Engine("rig", Clock.SYSTEM, (iface, pool) -> {
            Loopback link = new Loopback(iface.name(), 0);
            far.put(iface.name(), new FarEnd(link));
            return link.a(pool);
        });
        e.apply(config);
        return new PortRig() {
            public Engine engine() {
                return e;
            }

            public void arrive(String iface, byte[] frame) {
                far.get(iface).send(frame);
            }

            public List<byte[]> departed(String iface) {
                return far.get(iface).take();
            }

            public void close() {
                e.close();
                far.values().forEach(FarEnd::close);
            }
        };
    }

    /** The port of {@code iface} (the same object while the engine lives). */
    default Port port(String iface) {
        return engine().port(iface);
    }
}
