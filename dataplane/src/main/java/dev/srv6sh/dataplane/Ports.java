package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.agent.Counters;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.port.Port;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.PortFactory;
import dev.srv6sh.dataplane.port.TxBurst;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link Engine}'s ports: the factory it was given, every port opened so far by interface name
 * (kept while the engine lives, so an interface a configuration drops and a later one brings back
 * finds its port and counters again), and the ports of the configuration in force by interface
 * index, each with the transmit burst interface-output fills.
 */
final class Ports implements AutoCloseable {
    private final String router;
    private final PortFactory factory;
    private final Buffers buffers;
    private final Map<String, Port> opened = new LinkedHashMap<>();
    /** What each opened port was opened as: its interface's driver and device then. */
    private final Map<String, String> openedAs = new LinkedHashMap<>();
    /** By interface index of the configuration in force: read once per poll and per vector. */
    private Port[] byIf = new Port[0];

    private TxBurst[] tx = new TxBurst[0];

    Ports(String router, PortFactory factory, Buffers buffers) {
        this.router = router;
        this.factory = factory;
        this.buffers = buffers;
    }

    /**
     * Makes {@code f}'s interfaces the ones in force: each gets the port opened before or a new one
     * from the factory, which must carry the interface's MTU and, if it has a MAC of its own, have the
     * interface's; the ports of interfaces {@code f} drops are drained. On {@link ConfigException}
     * the ports opened here are closed again and nothing changed.
     */
    void attach(Fib f) throws ConfigException {
        List<DataplaneConfig.Interface> ifs = f.config.interfaces();
        Port[] ports = new Port[ifs.size()];
        Map<String, Port> fresh = new LinkedHashMap<>();
        try {
            for (int i = 0; i < ports.length; i++) {
                DataplaneConfig.Interface iface = ifs.get(i);
                Port p = opened.get(iface.name());
                if (p == null) {
                    p = open(iface);
                    fresh.put(iface.name(), p);
                } else if (!openedAs.get(iface.name()).equals(binding(iface))) {
                    // a port is the router's device for as long as the router lives
                    throw new ConfigException("interface " + iface.name() + " is on " + openedAs.get(iface.name())
                            + "; it cannot move to " + binding(iface) + " while the router runs");
                }
                fits(iface, p);
                ports[i] = p;
            }
            // every interface opened and fits: only now do drained ports take their devices again, and
            // if one cannot, those that did give theirs back, so that a refused configuration changes
            // nothing
            java.util.List<Port> inForce = java.util.Arrays.asList(byIf);
            java.util.List<Port> resumed = new java.util.ArrayList<>();
            for (int i = 0; i < ports.length; i++) {
                Port p = ports[i];
                boolean drained = !fresh.containsValue(p) && !inForce.contains(p);
                try {
                    p.resume();
                } catch (PortException e) {
                    resumed.forEach(Port::drain);
                    throw new ConfigException("interface " + ifs.get(i).name() + ": " + e.getMessage(), e);
                }
                if (drained) {
                    resumed.add(p);
                }
            }
        } catch (ConfigException e) {
            fresh.values().forEach(Port::close);
            throw e;
        }
        opened.putAll(fresh);
        for (DataplaneConfig.Interface iface : ifs) {
            openedAs.putIfAbsent(iface.name(), binding(iface));
        }
        opened.forEach((iface, p) -> {
            if (f.ifIndex(iface) < 0) {
                p.drain();
            }
        });
        TxBurst[] bursts = new TxBurst[ports.length];
        for (int i = 0; i < bursts.length; i++) {
            bursts[i] = buffers.txBurst();
        }
        byIf = ports;
        tx = bursts;
    }

    private static String binding(DataplaneConfig.Interface iface) {
        return iface.device() == null ? iface.driver() : iface.driver() + " device '" + iface.device() + "'";
    }

    private Port open(DataplaneConfig.Interface iface) throws ConfigException {
        Port p;
        try {
            p = factory.open(iface, buffers);
        } catch (PortException e) {
            throw new ConfigException("interface " + iface.name() + ": " + e.getMessage(), e);
        }
        if (p == null) {
            throw new ConfigException("interface " + iface.name() + ": router " + router + " has no port for it");
        }
        return p;
    }

    private static void fits(DataplaneConfig.Interface iface, Port p) throws ConfigException {
        if (p.mtu() > 0 && iface.mtu() > p.mtu()) {
            throw new ConfigException("interface " + iface.name() + ": mtu " + iface.mtu() + " is more than device "
                    + p.device() + " carries (" + p.mtu() + ")");
        }
        MacAddress mac = p.mac();
        if (mac != null && !mac.equals(iface.mac())) {
            throw new ConfigException("interface " + iface.name() + ": mac " + iface.mac() + " is not device "
                    + p.device() + "'s (" + mac + "), so frames to it would never arrive");
        }
    }

    /** The port opened for {@code iface}, in force or not; null if none. */
    Port get(String iface) {
        return opened.get(iface);
    }

    /** The ports in force, by interface index. */
    Port[] byIf() {
        return byIf;
    }

    /** Their transmit bursts, by interface index: empty between vectors. */
    TxBurst[] tx() {
        return tx;
    }

    /** Buffers the ports hold on their receive side ({@link Port#buffersHeld}). */
    int buffersHeld() {
        int held = 0;
        for (Port p : opened.values()) {
            held += p.buffersHeld();
        }
        return held;
    }

    /** Received frames that joined another's large send, over every port. */
    long coalesced() {
        long n = 0;
        for (Port p : opened.values()) {
            n += p.counters().rxCoalesced();
        }
        return n;
    }

    /** Every port's device counters, in the order the interfaces were first configured. */
    List<Counters.PortStats> stats() {
        List<Counters.PortStats> ps = new ArrayList<>();
        opened.forEach((iface, p) -> {
            var c = p.counters();
            ps.add(new Counters.PortStats(
                    iface, c.rxPackets(), c.rxBytes(), c.txPackets(), c.txBytes(), c.rxNoBuffer(), c.txErrors()));
        });
        return ps;
    }

    /** Closes every port: each gives its buffers back. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Port p : opened.values()) {
            try {
                p.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
