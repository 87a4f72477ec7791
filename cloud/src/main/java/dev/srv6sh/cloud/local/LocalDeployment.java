package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.model.InstanceTypes;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An emulated world built from a {@link CloudSpec}: one {@link VpcFabric} per VPC joined by the
 * {@link Internet}, one {@link EmulatedHost} per host, one {@link LocalRouter} per router, all events
 * of one {@link EventLoop} in virtual time. Addresses come from the {@link AddressPlan}.
 */
final class LocalDeployment extends dev.srv6sh.cloud.MapDeployment<LocalRouter, EmulatedHost> implements AutoCloseable {
    static final int MTU = 9001; // AWS jumbo frames inside a VPC

    private final EventLoop loop = new EventLoop();
    /** The wall-clock time of virtual time 0 (ns since the epoch): where capture timestamps count from. */
    private final long epochNanos = System.currentTimeMillis() * 1_000_000L;

    private final Map<String, VpcFabric> fabrics = new LinkedHashMap<>();
    private final Internet internet;
    private final LinkModel model;
    private final WorkMeter meter;
    private long macs = 0x5e_0053_0000L;

    LocalDeployment(CloudSpec spec) throws ProviderException {
        this(spec, LinkModel.AWS, WorkMeter.THREAD_CPU);
    }

    LocalDeployment(CloudSpec spec, LinkModel model, WorkMeter meter) throws ProviderException {
        super(spec);
        this.model = model;
        this.meter = meter;
        Map<String, String> codes = new LinkedHashMap<>();
        for (CloudSpec.Region r : spec.regions()) {
            codes.put(r.name(), r.code());
        }
        internet = new Internet(loop, codes, model);
        for (CloudSpec.Rtt r : spec.rtts()) {
            internet.override(r.a(), r.b(), r.rtt());
        }
        try {
            build();
        } catch (ProviderException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void build() throws ProviderException {
        AddressPlan plan = new AddressPlan(spec);
        for (CloudSpec.Vpc v : spec.vpcs()) {
            VpcInfo info = plan.vpc(v.name());
            vpcs.put(v.name(), info);
            VpcFabric f = new VpcFabric(info, v.region(), MacAddress.local(++macs), loop, internet);
            fabrics.put(v.name(), f);
            internet.add(f);
        }
        for (CloudSpec.Host h : spec.hosts()) {
            VpcFabric f = fabrics.get(h.vpc());
            EmulatedHost host = new EmulatedHost(
                    h.name(),
                    (Inet4Address) plan.host(h.name()),
                    plan.publicAddress(h.name()),
                    plan.host6(h.name()),
                    MacAddress.local(++macs),
                    loop);
            Instance instance = new Instance(h.name(), InstanceTypes.of(h.instanceType(), "host " + h.name()), model);
            Eni eni = new Eni(
                    h.name(),
                    "eth0",
                    host.mac(),
                    List.of(host.address(), host.address6()),
                    List.of(),
                    host::receive,
                    instance);
            host.attach(f, eni);
            f.attach(eni);
            f.nat((Inet4Address) host.address(), (Inet4Address) host.publicAddress());
            hosts.put(h.name(), host);
        }
        for (CloudSpec.Router r : spec.routers()) {
            buildRouter(plan, r);
        }
    }

    private void buildRouter(AddressPlan plan, CloudSpec.Router r) throws ProviderException {
        VpcFabric f = fabrics.get(r.vpc());
        VpcInfo vpc = f.info;
        InetAddress inside = plan.routerInside(r.name());
        Inet6Address transit = plan.routerTransit(r.name());
        Prefix locator = plan.locator(r.name());
        MacAddress insideMac = MacAddress.local(++macs);
        MacAddress transitMac = MacAddress.local(++macs);
        InetAddress gw4 = vpc.inside().host(1);
        InetAddress gw6 = vpc.transit().host(1);
        List<DataplaneConfig.Neighbor> neighbors = new ArrayList<>();
        neighbors.add(new DataplaneConfig.Neighbor(gw4, f.gatewayMac, "inside"));
        neighbors.add(new DataplaneConfig.Neighbor(gw6, f.gatewayMac, "transit"));
        for (EmulatedHost h : hosts.values()) {
            if (spec.hosts().stream()
                    .anyMatch(s -> s.name().equals(h.name()) && s.vpc().equals(r.vpc()))) {
                neighbors.add(new DataplaneConfig.Neighbor(h.address(), h.mac(), "inside"));
            }
        }
        DataplaneConfig base = new DataplaneConfig(
                r.name(),
                List.of(
                        new DataplaneConfig.Interface(
                                "inside",
                                insideMac,
                                List.of(new Prefix(inside, vpc.inside().length())),
                                MTU),
                        new DataplaneConfig.Interface(
                                "transit",
                                transitMac,
                                List.of(new Prefix(transit, vpc.transit().length())),
                                MTU)),
                List.of(
                        new DataplaneConfig.Route(0, Prefix.parse("0.0.0.0/0"), gw4, "inside"),
                        new DataplaneConfig.Route(0, Prefix.parse("::/0"), gw6, "transit")),
                neighbors,
                List.of(),
                List.of(),
                List.of(),
                new DataplaneConfig.Encap(transit, 64),
                // SRv6 arrives on transit; inside faces the VPC's hosts, outside the SR domain (RFC 8754 §5.1)
                new DataplaneConfig.SrDomain(List.of("inside"), List.of()));
        LocalRouter router = new LocalRouter(r.name(), locator, transit, base, loop, meter, epochNanos);
        Instance instance = new Instance(r.name(), InstanceTypes.of(r.instanceType(), "router " + r.name()), model);
        Eni insideEni = new Eni(
                r.name(),
                "inside",
                insideMac,
                List.of(inside),
                List.of(),
                frame -> router.receive("inside", frame),
                instance);
        Eni transitEni = new Eni(
                r.name(),
                "transit",
                transitMac,
                List.of(transit),
                List.of(locator),
                frame -> router.receive("transit", frame),
                instance);
        router.attach(f, "inside", insideEni);
        router.attach(f, "transit", transitEni);
        f.attach(insideEni);
        f.attach(transitEni);
        for (Prefix p : r.attract()) {
            f.route(p, insideEni);
        }
        routers.put(r.name(), router);
    }

    /** The fabric of a VPC (tests read its counters). */
    VpcFabric fabric(String vpc) {
        return fabrics.get(vpc);
    }

    Internet internet() {
        return internet;
    }

    /** Faults the emulation absorbed (tasks that threw); zero in a healthy run. */
    long emulationFailures() {
        return loop.failures();
    }

    EventLoop loop() {
        return loop;
    }

    @Override
    public dev.srv6sh.dataplane.Clock clock() {
        return loop.clock();
    }

    @Override
    public void sleep(java.time.Duration d) throws InterruptedException {
        loop.runFor(d.toNanos(), () -> false);
    }

    @Override
    public void close() {
        for (LocalRouter r : routers.values()) {
            r.close();
        }
        loop.close();
    }
}
