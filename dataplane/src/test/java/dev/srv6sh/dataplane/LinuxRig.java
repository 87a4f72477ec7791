package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.linux.AfPacketPort;
import dev.srv6sh.dataplane.port.linux.AfXdpPort;
import dev.srv6sh.dataplane.port.linux.LinuxPorts;
import dev.srv6sh.dataplane.port.linux.Netns;
import dev.srv6sh.dataplane.port.linux.PacketSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PortRig} on real devices, in a network namespace of its own (the kernel's IPv6 off there,
 * so it sends nothing of its own): each interface of the configuration is an {@link AfPacketPort} on
 * one end of a veth pair ({@code p-IFACE}, given the interface's MAC) whose other end ({@code f-IFACE})
 * is the far end, or a {@link dev.srv6sh.dataplane.port.linux.TapPort} on a TAP device ({@code
 * t-IFACE}) whose kernel side is. The far end is a {@link PacketSocket} on that device. MTUs are 9000
 * so that a frame larger than an engine's buffer can be sent at all. Closing deletes the namespace.
 */
final class LinuxRig implements PortRig {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Netns ns;
    private final Engine engine;
    private final Map<String, PacketSocket> far;
    private final Map<String, Long> sent = new LinkedHashMap<>();
    private final Map<String, Long> taken = new LinkedHashMap<>();

    private LinuxRig(Netns ns, Engine engine, Map<String, PacketSocket> far) {
        this.ns = ns;
        this.engine = engine;
        this.far = far;
    }

    /** An engine with {@code config}, every interface of it on {@code driver} (af_packet, af_packet_v3, af_xdp or tap). */
    static LinuxRig open(DataplaneConfig config, LinuxPorts.Driver driver) throws Exception {
        Netns.require();
        Netns ns = Netns.create("rig", false);
        Map<String, PacketSocket> far = new LinkedHashMap<>();
        Engine engine = null;
        try {
            Map<String, LinuxPorts.Binding> bindings = new LinkedHashMap<>();
            Map<String, String> farDevice = new LinkedHashMap<>();
            for (DataplaneConfig.Interface i : config.interfaces()) {
                String n = i.name();
                if (driver != LinuxPorts.Driver.TAP) {
                    // af_xdp: a veth runs XDP natively only while its peer's MTU fits a page (3,506)
                    String mtu = driver == LinuxPorts.Driver.AF_XDP ? "3000" : "9000";
                    ns.ip("link", "add", "p-" + n, "mtu", mtu, "type", "veth", "peer", "name", "f-" + n, "mtu", mtu);
                    ns.ip("link", "set", "p-" + n, "address", i.mac().toString(), "up");
                    ns.ip("link", "set", "f-" + n, "up");
                    bindings.put(n, new LinuxPorts.Binding(driver, "p-" + n));
                    farDevice.put(n, "f-" + n);
                } else {
                    bindings.put(n, new LinuxPorts.Binding(driver, "t-" + n));
                    farDevice.put(n, "t-" + n);
                }
            }
            engine = ns.call(() -> {
                Engine e = new Engine("rig", Clock.SYSTEM, new LinuxPorts(bindings));
                try {
                    e.apply(config);
                } catch (ConfigException x) {
                    e.close();
                    throw x;
                }
                return e;
            });
            for (Map.Entry<String, String> d : farDevice.entrySet()) {
                if (driver == LinuxPorts.Driver.TAP) {
                    ns.ip("link", "set", d.getValue(), "mtu", "9000");
                }
                far.put(d.getKey(), ns.call(() -> PacketSocket.open(d.getValue())));
            }
            return new LinuxRig(ns, engine, far);
        } catch (Exception | Error e) {
            far.values().forEach(PacketSocket::close);
            if (engine != null) {
                engine.close();
            }
            ns.close();
            throw e;
        }
    }

    @Override
    public Engine engine() {
        return engine;
    }

    /** The far end of {@code iface}: to send and take frames without the rig's bookkeeping. */
    PacketSocket far(String iface) {
        return far.get(iface);
    }

    @Override
    public void arrive(String iface, byte[] frame) {
        far.get(iface).send(frame);
        sent.merge(iface, 1L, Long::sum);
    }

    /**
     * An AF_PACKET port has every frame sent to it once the kernel has delivered them (a veth's
     * softirq): until then receive cannot see them. A TAP device queues what its kernel side sends before
     * the far end's call returns.
     */
    @Override
    public void arrived() {
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (Map.Entry<String, Long> s : sent.entrySet()) {
            if (engine.port(s.getKey()) instanceof AfPacketPort p) {
                while (p.counters().rxPackets() + p.counters().rxNoBuffer() + p.framesWaiting() < s.getValue()
                        && System.nanoTime() < deadline) {
                    sleep();
                }
            } else if (engine.port(s.getKey()) instanceof AfXdpPort p) {
                // the engine is idle between the test's calls: reading the port's drop count is safe here
                while (true) {
                    p.countKernelDrops();
                    if (p.counters().rxPackets() + p.counters().rxNoBuffer() + p.framesWaiting() >= s.getValue()
                            || System.nanoTime() >= deadline) {
                        break;
                    }
                    sleep();
                }
            }
        }
    }

    /** What reached the far end, once as many frames as the port counts transmitted have (or 10 s passed). */
    @Override
    public List<byte[]> departed(String iface) {
        PacketSocket f = far.get(iface);
        long transmitted = engine.port(iface).counters().txPackets();
        long before = taken.getOrDefault(iface, 0L);
        List<byte[]> out = new ArrayList<>(f.take());
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (before + out.size() < transmitted && System.nanoTime() < deadline) {
            sleep();
            out.addAll(f.take());
        }
        taken.put(iface, before + out.size());
        return out;
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            engine.close();
            far.values().forEach(PacketSocket::close);
        } finally {
            ns.close();
        }
    }
}
