package dev.srv6sh.dataplane.port.linux;

import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.port.BufferPool;
import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.PortDriver;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.PortFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The ports of a router on Linux: each interface name bound to a driver and a device ({@code transit
 * → af_packet on veth9}, {@code lan → tap on tap-lan}); an interface with no binding, or bound to
 * {@code memory}, gets an in-memory port ({@link MemoryPort#FACTORY}). Devices are opened in the
 * network namespace of the thread that applies the configuration. An error opening one names the
 * interface (the engine's part), the driver, the device and the system's error: {@code "interface
 * transit: af_packet on device 'veth9': No such device (ENODEV)"}.
 *
 * <p>Drivers that need more than the JDK come from their own modules as {@link PortDriver}s, added by
 * name when the factory is made ({@code udp}, on Netty: the router daemon adds it): an interface whose
 * driver is one of theirs gets its port from it.
 */
public final class LinuxPorts implements PortFactory {
    /** How an interface reaches the wire. */
    public enum Driver {
        /** In memory: frames injected and caught by the owner ({@link MemoryPort}). */
        MEMORY,
        /** An existing Ethernet device, through an AF_PACKET socket's rings ({@link AfPacketPort}). */
        AF_PACKET,
        /**
         * The same devices as {@link #AF_PACKET}, received through a {@code TPACKET_V3} block ring
         * ({@link AfPacketPort.Mode#V3}): more frames per wake-up under load, up to a block's retire
         * timeout of wait for a frame on a quiet link.
         */
        AF_PACKET_V3,
        /**
         * An existing Ethernet device's receive queue 0, through an AF_XDP socket whose UMEM is the
         * engine's buffer memory and an XDP program that redirects the device's frames to it ({@link
         * AfXdpPort}).
         */
        AF_XDP,
        /** A TAP device the router creates ({@link TapPort}). */
        TAP;

        /**
         * The name configurations use: {@code memory}, {@code af_packet}, {@code af_packet_v3}, {@code
         * af_xdp}, {@code tap}.
         */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The driver named {@code text}, or an error listing the ones there are. */
        public static Driver parse(String text) {
            for (Driver d : values()) {
                if (d.text().equals(text)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown port driver '" + text + "': "
                    + Arrays.stream(values()).map(Driver::text).collect(Collectors.joining(", ")));
        }
    }

    /** An interface's driver and device (null for {@code memory}, which has none). */
    public record Binding(Driver driver, String device) {
        public Binding {
            Objects.requireNonNull(driver, "driver");
            if (driver == Driver.MEMORY) {
                if (device != null) {
                    throw new IllegalArgumentException("a memory port has no device ('" + device + "')");
                }
            } else {
                String invalid = Netdev.invalidName(device);
                if (invalid != null) {
                    throw new IllegalArgumentException(driver.text() + ": " + invalid);
                }
            }
        }

        /** {@code af_packet:veth9}, {@code tap:tap0} or {@code memory}. */
        public static Binding parse(String text) {
            int colon = text.indexOf(':');
            Driver d = Driver.parse(colon < 0 ? text : text.substring(0, colon));
            if (d != Driver.MEMORY && colon < 0) {
                throw new IllegalArgumentException(d.text() + " needs a device: " + d.text() + ":NAME");
            }
            return new Binding(d, colon < 0 ? null : text.substring(colon + 1));
        }

        @Override
        public String toString() {
            return device == null ? driver.text() : driver.text() + ":" + device;
        }
    }

    private final Map<String, Binding> bindings;
    private final Map<String, PortDriver> drivers;
    /** Which worker of several these ports are for ({@link #worker}); null: the router's only one. */
    private final Fanout fanout;

    /** Ports for the interfaces named in {@code bindings} (interface name → binding); memory for others. */
    public LinuxPorts(Map<String, Binding> bindings) {
        this(bindings, List.of());
    }

    /**
     * As {@link #LinuxPorts(Map)}, with {@code drivers} beyond the built-in ones for interfaces whose
     * configuration names them. A driver may not take a built-in driver's name, nor another's.
     */
    public LinuxPorts(Map<String, Binding> bindings, List<PortDriver> drivers) {
        this(bindings, drivers, null);
    }

    private LinuxPorts(Map<String, Binding> bindings, List<PortDriver> drivers, Fanout fanout) {
        this.fanout = fanout;
        this.bindings = Map.copyOf(bindings);
        Map<String, PortDriver> byName = new LinkedHashMap<>();
        for (PortDriver d : drivers) {
            boolean builtIn =
                    Arrays.stream(Driver.values()).anyMatch(b -> b.text().equals(d.name()));
            if (builtIn || byName.putIfAbsent(d.name(), d) != null) {
                throw new IllegalArgumentException("port driver '" + d.name() + "' is there already");
            }
        }
        this.drivers = byName;
    }

    /** Ports as each interface's configuration says ({@code driver af_packet; device "veth9"}). */
    public static LinuxPorts fromConfig() {
        return new LinuxPorts(Map.of());
    }

    /** As {@link #fromConfig()}, with {@code drivers} besides the built-in ones ({@code udp}). */
    public static LinuxPorts fromConfig(PortDriver... drivers) {
        return new LinuxPorts(Map.of(), List.of(drivers));
    }

    /**
     * These ports as one worker's of a router that runs several ({@code srv6sh router --workers N}):
     * af_packet and af_packet_v3 ports join the workers' fanout group on their device ({@link
     * Fanout}); the other drivers' devices cannot be shared by workers, and an interface on one is
     * refused with more than one worker.
     */
    public LinuxPorts worker(Fanout worker) {
        return new LinuxPorts(bindings, List.copyOf(drivers.values()), Objects.requireNonNull(worker, "worker"));
    }

    /** Every driver's name, the built-in ones first: what an unknown driver's error lists. */
    public List<String> drivers() {
        return Stream.concat(Arrays.stream(Driver.values()).map(Driver::text), drivers.keySet().stream())
                .toList();
    }

    /** The binding of {@code iface}: its own, or memory. */
    public Binding binding(String iface) {
        return bindings.getOrDefault(iface, new Binding(Driver.MEMORY, null));
    }

    /**
     * The binding of {@code iface}: one given to this factory by name wins, else the interface's own
     * driver and device, else memory. A driver this version has no port for is a clear error.
     */
    public Binding binding(DataplaneConfig.Interface iface) throws PortException {
        Binding b = bindings.get(iface.name());
        if (b != null) {
            return b;
        }
        try {
            return new Binding(Driver.parse(iface.driver()), iface.device());
        } catch (IllegalArgumentException e) {
            // the engine prefixes "interface NAME: "
            String problem = drivers.isEmpty()
                    ? e.getMessage()
                    : e.getMessage().startsWith("unknown port driver")
                            ? "unknown port driver '" + iface.driver() + "': " + String.join(", ", drivers())
                            : e.getMessage();
            throw PortException.driver(iface.driver(), String.valueOf(iface.device()), problem, e);
        }
    }

    @Override
    public Port open(DataplaneConfig.Interface iface, BufferPool pool) throws PortException {
        PortDriver extra = bindings.containsKey(iface.name()) ? null : drivers.get(iface.driver());
        boolean spread = fanout != null && fanout.spreads();
        if (extra != null) {
            if (spread) {
                throw oneWorker(extra.name(), iface.device());
            }
            return extra.open(iface.device(), pool);
        }
        Binding b = binding(iface);
        if (spread
                && b.driver() != Driver.MEMORY
                && b.driver() != Driver.AF_PACKET
                && b.driver() != Driver.AF_PACKET_V3
                && b.driver() != Driver.AF_XDP) {
            throw oneWorker(b.driver().text(), b.device());
        }
        return switch (b.driver()) {
            case MEMORY -> MemoryPort.FACTORY.open(iface, pool);
            case AF_PACKET -> AfPacketPort.open(b.device(), pool, AfPacketPort.Mode.V2, fanout);
            case AF_PACKET_V3 -> AfPacketPort.open(b.device(), pool, AfPacketPort.Mode.V3, fanout);
            case AF_XDP -> AfXdpPort.open(b.device(), pool, fanout);
            case TAP -> TapPort.open(b.device(), pool);
        };
    }

    private PortException oneWorker(String driver, String device) {
        return PortException.driver(
                driver,
                String.valueOf(device),
                "a router with " + fanout.workers() + " workers spreads af_packet, af_packet_v3 and af_xdp devices over"
                        + " them;"
                        + " a " + driver + " device serves one (--workers 1)",
                null);
    }
}
