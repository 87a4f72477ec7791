package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Counters;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.util.HashMap;
import java.util.Map;

/**
 * A router on the local backend: a real data plane {@link Engine} whose in-memory ports are ENIs on
 * its VPC's fabric. Frames arrive on the event loop, run through the graph at once, and what the graph
 * transmits goes back to the fabric; so every emulated round trip includes the router's real cost.
 */
final class LocalRouter implements RouterHandle {
    private final String name;
    private final Prefix locator;
    private final Inet6Address transitAddress;
    private final DataplaneConfig base;
    private final EventLoop loop;
    private final Engine engine;
    private final Map<String, Eni> enis = new HashMap<>();
    private VpcFabric fabric;
    private volatile DataplaneConfig config;

    LocalRouter(String name, Prefix locator, Inet6Address transitAddress, DataplaneConfig base, EventLoop loop)
            throws ProviderException {
        this.name = name;
        this.locator = locator;
        this.transitAddress = transitAddress;
        this.base = base;
        this.loop = loop;
        this.engine = new Engine(name);
        try {
            engine.apply(base);
        } catch (ConfigException e) {
            engine.close();
            throw new ProviderException(
                    "router " + name + ": the backend's own topology was rejected: " + e.getMessage(), e);
        }
        for (DataplaneConfig.Interface i : base.interfaces()) {
            engine.port(i.name()).onTransmit(this::transmit);
        }
    }

    void attach(VpcFabric fabric, String iface, Eni eni) {
        this.fabric = fabric;
        enis.put(iface, eni);
    }

    /** A frame the fabric delivered to one of this router's ENIs. Runs on the loop. */
    void receive(String iface, byte[] frame) {
        engine.port(iface).inject(frame);
        engine.poll();
    }

    private void transmit(String iface, MemorySegment segment, long offset, int length) {
        byte[] frame = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, frame, 0, length);
        Eni eni = enis.get(iface);
        if (eni != null) {
            fabric.fromEni(eni, frame);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Prefix locator() {
        return locator;
    }

    @Override
    public Inet6Address transitAddress() {
        return transitAddress;
    }

    @Override
    public DataplaneConfig base() {
        return base;
    }

    @Override
    public void configure(DataplaneConfig c) throws ProviderException {
        try {
            loop.call(() -> {
                engine.apply(c);
                for (DataplaneConfig.Interface i : c.interfaces()) {
                    engine.port(i.name()).onTransmit(this::transmit);
                }
                return null;
            });
            config = c;
        } catch (ConfigException e) {
            throw new ProviderException("router " + name + " rejected its configuration: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new ProviderException("router " + name + " could not be configured: " + e, e);
        }
    }

    @Override
    public DataplaneConfig config() {
        return config;
    }

    @Override
    public Counters counters() throws ProviderException {
        try {
            return loop.call(engine::counters);
        } catch (Exception e) {
            throw new ProviderException("router " + name + ": counters unavailable: " + e.getMessage(), e);
        }
    }

    void close() {
        try {
            loop.call(() -> {
                engine.close();
                return null;
            });
        } catch (Exception e) {
            // the loop is gone; the engine's arena goes with the JVM
        }
    }
}
