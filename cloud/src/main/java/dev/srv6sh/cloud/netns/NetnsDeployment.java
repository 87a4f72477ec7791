package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.RouterHandle;
import dev.srv6sh.cloud.local.AddressPlan;
import dev.srv6sh.cloud.model.InstanceTypes;
import dev.srv6sh.cloud.model.Shaping;
import dev.srv6sh.cloud.ssh.SshAgentClient;
import dev.srv6sh.dataplane.agent.AgentConnection;
import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.AgentJson;
import dev.srv6sh.dataplane.agent.RouterBoot;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.MacAddress;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.dataplane.proto.Ethernet;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link CloudSpec} made of Linux network namespaces (docs/netns.md). Every name starts with the
 * deployment's prefix ({@code s6xxxx}), so deployments coexist and {@link Leftovers} finds what one
 * left:
 *
 * <pre>
 *  PREFIX-h-HOST (kernel stack)        PREFIX-g-VPC (the VPC's gateway)          PREFIX-inet
 *   eth0 ─────────────── hN ─┐   br0: the VPC's fabric, .1 / ::1, route table   gN ── up (per VPC)
 *  PREFIX-r-ROUTER (srv6sh router)  │   (remote prefixes → router inside,         routes: VPC blocks,
 *   inside ──────────── riN ─┤       locators → router transit), 1:1 NAT  ── up    public /32s
 *   transit ─────────── rtN ─┘
 *   mgmt ── PREFIXmN (root namespace, 203.0.113.0/24 /31s): the agent over SSH
 * </pre>
 *
 * The gateway namespace plays the VPC's implicit router and internet gateway, as the local
 * backend's {@code VpcFabric} does: hosts route by default to it; it sends the prefixes a router
 * attracts to that router's inside address and its locator to its transit address, and everything
 * else to the internet namespace (IPv4 through 1:1 NAT to the host's public address). Scripts'
 * CIDRs exist only inside these namespaces.
 */
final class NetnsDeployment extends dev.srv6sh.cloud.MapDeployment<NetnsRouter, NetnsHost> {
    @Override
    public String id() {
        return prefix;
    }

    static final int FABRIC_MTU = 9001; // as AWS's jumbo frames inside a VPC
    static final int HOST_MTU = 1500;
    /**
     * Between regions, the internet's: the uplinks carry it, and a router's transit interface is
     * configured with it (its device is on the 9001-byte fabric), so that a router whose H.Encaps
     * would not fit answers the host with Packet Too Big or Fragmentation Needed and the host's
     * TCP sends segments that fit from the first connection (path MTU discovery).
     */
    static final int INTERNET_MTU = 1500;

    private static final int SSH_PORT = 22;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String prefix;
    private final Path dir;
    private final AddressPlan plan;
    private final Map<String, MacAddress> macs = new LinkedHashMap<>();
    private SshAgentClient ssh;
    private long nextMac = 0x5e_0053_0000L;
    private final long seed;

    private NetnsDeployment(CloudSpec spec, String prefix, Path dir, long seed) throws ProviderException {
        super(spec);
        this.prefix = prefix;
        this.dir = dir;
        this.seed = seed;
        this.plan = new AddressPlan(spec);
    }

    /**
     * Builds {@code spec} under {@code prefix}, the links' jitter seeded by {@code seed}; on any failure
     * removes what it made and rethrows.
     */
    static NetnsDeployment create(CloudSpec spec, String prefix, Path dir, long seed) throws ProviderException {
        NetnsDeployment d = new NetnsDeployment(spec, prefix, dir, seed);
        try {
            d.build();
            return d;
        } catch (ProviderException | RuntimeException e) {
            d.close();
            Leftovers.remove(prefix);
            throw e;
        }
    }

    String prefix() {
        return prefix;
    }

    private String ns(String kind, String name) {
        return prefix + "-" + kind + "-" + name;
    }

    private String inet() {
        return prefix + "-inet";
    }

    /** The namespace of the link daemon, between the gateways' uplinks and the internet namespace. */
    private String links() {
        return prefix + "-links";
    }

    private MacAddress mac(String key) {
        return macs.computeIfAbsent(key, k -> MacAddress.local(++nextMac));
    }

    private void build() throws ProviderException {
        if (spec.vpcs().size() > 127) {
            throw new ProviderException("the netns backend numbers at most 127 VPCs (one /31 of 192.0.2.0/24 each)");
        }
        for (CloudSpec.Host h : spec.hosts()) { // an unknown type fails before anything is made
            InstanceTypes.of(h.instanceType(), "host " + h.name());
        }
        for (CloudSpec.Router r : spec.routers()) {
            InstanceTypes.of(r.instanceType(), "router " + r.name());
        }
        try {
            Keys.ownerOnlyDir(dir);
        } catch (IOException e) {
            throw new ProviderException("cannot make " + dir + ": " + e.getMessage());
        }
        addNs(inet());
        sysctl(inet(), "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
        addNs(links());
        // the daemon owns the wires: the kernel of its namespace keeps off them (no IPv6, no addresses)
        sysctl(links(), "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        int i = 0;
        for (CloudSpec.Vpc v : spec.vpcs()) {
            vpcs.put(v.name(), plan.vpc(v.name()));
            buildVpc(v, i++);
        }
        int j = 0;
        for (CloudSpec.Host h : spec.hosts()) {
            buildHost(h, j++);
        }
        natAndRoutes();
        startLinks();
        KeyPair identity = Keys.make(dir.resolve("id_ecdsa"), "srv6sh-netns-" + prefix);
        Keys.authorize(dir.resolve("authorized_keys"), identity, "srv6sh-netns-" + prefix);
        List<Pending> pending = new ArrayList<>();
        List<Inet4Address> mgmt = managementAddresses(spec.routers().size());
        int k = 0;
        for (CloudSpec.Router r : spec.routers()) {
            pending.add(startRouter(r, k, mgmt.get(2 * k), mgmt.get(2 * k + 1)));
            k++;
        }
        ssh = new SshAgentClient(Duration.ofSeconds(20));
        for (Pending p : pending) {
            routers.put(p.name, connect(p, identity));
        }
        prime(pending);
    }

    /**
     * Has each VPC's gateway and hosts resolve its routers' addresses now (one echo from the gateway
     * to each router address: ARP for inside, neighbor discovery for transit; one from each host to
     * the router's inside address), so that a script's first packet does not wait for those
     * exchanges, each a round through a router's data plane thread: without this, the first ping
     * through two routers took 25-35 ms against 11 ms for the next ones. The routers have no static
     * neighbors: they learn the gateway and the hosts from these requests (RFC 826's merge, RFC 4861's
     * source link-layer option), as they would any other. Best effort: a router that does not answer
     * is found out by the script's own operations.
     */
    private void prime(List<Pending> pending) {
        primeRouters(pending);
    }

    /**
     * The routers have their programs: echoes on every host pair ({@link #primePaths}), twice, so that
     * what the first round made the routers compile (the JIT works beside the data plane's thread) is
     * finished and taken by the second before the script's first packet.
     */
    @Override
    public void programmed() {
        primePaths();
        primePaths();
    }

    /** Echoes per host pair in {@link #primePaths}, and the time between them. */
    static final int PRIME_ECHOES = 10;

    /** Pings that run at once in {@link #primePaths}: a campaign's 42 pairs in one round. */
    static final int PRIME_AT_ONCE = 64;

    /**
     * Has every host send {@value #PRIME_ECHOES} echoes to every other host, up to {@value
     * #PRIME_AT_ONCE} pairs at once, so that each path a script can measure has carried packets before
     * apply returns: the kernels' and the routers' address resolution on it is done (the uplinks', the
     * internet namespace's), and the routers' data plane threads have taken their real ports' paths,
     * which their warm-up (in memory) cannot. Measured on the quickstart: the first echo after apply
     * took 20-30 ms through the two routers, the next few 11-13 ms, then 10-10.5 ms; a campaign of five
     * pings a path averaged that first one in. Pairs with no path between them (a VPC not steered to
     * another) time out after a second, in parallel with the rest. Best effort, as {@link
     * #primeRouters}: a ping that cannot start ends the priming, after the ones started have run.
     */
    private void primePaths() {
        List<String[]> pairs = new ArrayList<>();
        for (CloudSpec.Host from : spec.hosts()) {
            for (CloudSpec.Host to : spec.hosts()) {
                if (from != to) {
                    pairs.add(new String[] {
                        ns("h", from.name()), dev.srv6sh.dataplane.config.Addresses.format(plan.host(to.name()))
                    });
                }
            }
        }
        for (int first = 0; first < pairs.size(); first += PRIME_AT_ONCE) {
            if (!primeRound(pairs.subList(first, Math.min(pairs.size(), first + PRIME_AT_ONCE)))) {
                return;
            }
        }
    }

    /** One round of {@link #primePaths}; false when a ping could not start or the wait was interrupted. */
    private static boolean primeRound(List<String[]> pairs) {
        List<Process> running = new ArrayList<>();
        boolean started = true;
        try {
            for (String[] pair : pairs) {
                try {
                    running.add(new ProcessBuilder(
                                    "ip",
                                    "netns",
                                    "exec",
                                    pair[0],
                                    "ping",
                                    "-n",
                                    "-q",
                                    "-c",
                                    Integer.toString(PRIME_ECHOES),
                                    "-i",
                                    "0.01",
                                    "-W",
                                    "1",
                                    "-w",
                                    "3",
                                    pair[1])
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectInput(ProcessBuilder.Redirect.from(
                                    Path.of("/dev/null").toFile()))
                            .start());
                } catch (java.io.IOException e) {
                    started = false; // no more: the script's own operations will say what is wrong
                    break;
                }
            }
            for (Process p : running) {
                p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            return started;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            for (Process p : running) {
                p.destroyForcibly();
            }
        }
    }

    private void primeRouters(List<Pending> pending) {
        for (Pending p : pending) {
            String vpc = spec.routers().stream()
                    .filter(r -> r.name().equals(p.name))
                    .map(CloudSpec.Router::vpc)
                    .findFirst()
                    .orElse(null);
            if (vpc == null) {
                continue;
            }
            for (DataplaneConfig.Interface i : p.base.interfaces()) {
                for (Prefix a : i.addresses()) {
                    if (i.name().equals("inside")) {
                        for (CloudSpec.Host h : spec.hosts()) {
                            if (h.vpc().equals(vpc)) {
                                echoOnce(ns("h", h.name()), a);
                            }
                        }
                    }
                    echoOnce(ns("g", vpc), a);
                }
            }
        }
    }

    /** One echo from namespace {@code from} to {@code to}'s address, waiting a second at most. */
    private static void echoOnce(String from, Prefix to) {
        Sys.quiet(
                "ip",
                "netns",
                "exec",
                from,
                "ping",
                "-n",
                "-q",
                "-c",
                "1",
                "-W",
                "1",
                dev.srv6sh.dataplane.config.Addresses.format(to.address()));
    }

    private void buildVpc(CloudSpec.Vpc v, int i) throws ProviderException {
        VpcInfo info = vpcs.get(v.name());
        String g = ns("g", v.name());
        addNs(g);
        sysctl(
                g,
                "net.ipv4.ip_forward=1",
                "net.ipv6.conf.all.forwarding=1",
                "net.ipv4.conf.all.send_redirects=0",
                "net.ipv4.conf.default.send_redirects=0",
                "net.ipv4.conf.all.rp_filter=0",
                "net.ipv4.conf.default.rp_filter=0");
        ip("-n", g, "link", "add", "br0", "type", "bridge", "stp_state", "0", "mcast_snooping", "0");
        ip("-n", g, "link", "set", "br0", "address", mac("gw-" + v.name()).toString(), "mtu", "" + FABRIC_MTU, "up");
        ip(
                "-n",
                g,
                "addr",
                "add",
                Addresses.format(info.inside().host(1)) + "/" + info.inside().length(),
                "dev",
                "br0");
        ip(
                "-n",
                g,
                "addr",
                "add",
                Addresses.format(info.transit().host(1)) + "/" + info.transit().length(),
                "dev",
                "br0",
                "nodad");
        ip("-n", g, "addr", "add", Addresses.format(insideV6(info).host(1)) + "/64", "dev", "br0", "nodad");
        if (!info.cidr().equals(info.inside())) {
            ip("-n", g, "route", "add", info.cidr().toString(), "dev", "br0");
        }
        // the uplink to the internet namespace: 192.0.2.2i/31 and 2001:db8:ffff:i::/64, through the
        // link daemon's wire (uplink ── aI | daemon | bI ── gI), which is transparent at layer 2
        veth(g, "uplink", links(), "a" + i, INTERNET_MTU, INTERNET_MTU);
        veth(links(), "b" + i, inet(), "g" + i, INTERNET_MTU, INTERNET_MTU);
        ip("-n", links(), "link", "set", "a" + i, "promisc", "on");
        ip("-n", links(), "link", "set", "b" + i, "promisc", "on");
        String up4 = "192.0.2." + (2 * i);
        String gw4 = "192.0.2." + (2 * i + 1);
        String up6 = "2001:db8:ffff:" + Integer.toHexString(i) + "::1";
        String gw6 = "2001:db8:ffff:" + Integer.toHexString(i) + "::2";
        ip("-n", inet(), "addr", "add", up4 + "/31", "dev", "g" + i);
        ip("-n", inet(), "addr", "add", up6 + "/64", "dev", "g" + i, "nodad");
        ip("-n", g, "addr", "add", gw4 + "/31", "dev", "uplink");
        ip("-n", g, "addr", "add", gw6 + "/64", "dev", "uplink", "nodad");
        ip("-n", g, "route", "add", "default", "via", up4);
        ip("-n", g, "-6", "route", "add", "default", "via", up6);
        ip("-n", inet(), "-6", "route", "add", info.ipv6().toString(), "via", gw6);
    }

    private static Prefix insideV6(VpcInfo info) {
        return info.ipv6().length() < 64 ? info.ipv6().subnet(64 - info.ipv6().length(), 0) : info.ipv6();
    }

    private void buildHost(CloudSpec.Host h, int j) throws ProviderException {
        VpcInfo info = vpcs.get(h.vpc());
        String g = ns("g", h.vpc());
        String hn = ns("h", h.name());
        addNs(hn);
        veth(hn, "eth0", g, "h" + j, HOST_MTU, FABRIC_MTU);
        ip("-n", g, "link", "set", "h" + j, "master", "br0");
        ip("-n", hn, "link", "set", "eth0", "address", mac("host-" + h.name()).toString());
        InetAddress a = plan.host(h.name());
        Inet6Address a6 = plan.host6(h.name());
        int len =
                info.inside().contains(a) ? info.inside().length() : info.cidr().length();
        ip("-n", hn, "addr", "add", Addresses.format(a) + "/" + len, "dev", "eth0");
        ip("-n", hn, "addr", "add", Addresses.format(a6) + "/64", "dev", "eth0", "nodad");
        ip(
                "-n",
                hn,
                "route",
                "add",
                "default",
                "via",
                Addresses.format(info.inside().host(1)),
                "dev",
                "eth0",
                "onlink");
        ip(
                "-n",
                hn,
                "-6",
                "route",
                "add",
                "default",
                "via",
                Addresses.format(insideV6(info).host(1)),
                "dev",
                "eth0");
        shapeEgress(hn, InstanceTypes.of(h.instanceType(), "host " + h.name()));
        Inet4Address pub = plan.publicAddress(h.name());
        hosts.put(h.name(), new NetnsHost(h.name(), hn, a, a6, pub));
        int i = spec.vpcs().stream().map(CloudSpec.Vpc::name).toList().indexOf(h.vpc());
        ip("-n", inet(), "route", "add", Addresses.format(pub) + "/32", "via", "192.0.2." + (2 * i + 1));
    }

    /** Each gateway's 1:1 NAT: its hosts' private addresses to their public ones on the uplink, and back. */
    private void natAndRoutes() throws ProviderException {
        for (CloudSpec.Vpc v : spec.vpcs()) {
            StringBuilder pre = new StringBuilder();
            StringBuilder post = new StringBuilder();
            for (CloudSpec.Host h : spec.hosts()) {
                if (h.vpc().equals(v.name())) {
                    String priv = Addresses.format(plan.host(h.name()));
                    String pub = Addresses.format(plan.publicAddress(h.name()));
                    pre.append("    ip daddr ")
                            .append(pub)
                            .append(" dnat to ")
                            .append(priv)
                            .append("\n");
                    post.append("    oifname \"uplink\" ip saddr ")
                            .append(priv)
                            .append(" snat to ")
                            .append(pub)
                            .append("\n");
                }
            }
            String rules = "table ip srv6sh_nat {\n"
                    + "  chain pre {\n    type nat hook prerouting priority dstnat;\n" + pre + "  }\n"
                    + "  chain post {\n    type nat hook postrouting priority srcnat;\n" + post + "  }\n"
                    + "}\n";
            Sys.runWithInput(rules, "ip", "netns", "exec", ns("g", v.name()), "nft", "-f", "-");
        }
    }

    /**
     * The VPC's route table without a hop: a frame a host sends to the gateway for a prefix this router
     * attracts leaves the bridge for the router's interface as it came (its destination MAC rewritten
     * before the bridge looks it up: nftables' bridge family, at prerouting), as AWS's VPC router
     * delivers to the ENI a route names without decrementing the TTL. Through the gateway's kernel
     * routing instead, every echo through the routers arrived with one hop less than on local (61
     * instead of 62 for the quickstart). The kernel routes stay for what the gateway itself sends.
     */
    private void steer(String g, CloudSpec.Router r, MacAddress insideMac, MacAddress transitMac)
            throws ProviderException {
        if (r.attract().isEmpty()) {
            return;
        }
        String gw = mac("gw-" + r.vpc()).toString();
        VpcInfo vpc = vpcs.get(r.vpc());
        StringBuilder rules = new StringBuilder();
        for (Prefix p : r.attract()) {
            boolean v4 = p.address() instanceof Inet4Address;
            // only what hosts send (ports hN; a router's own frames are routed as before, so one that
            // sends to the gateway for a prefix it attracts is not handed back to itself), and never
            // what is for the VPC itself, the gateway's own addresses among it: the VPC's local route
            // wins over the ones a router adds, as on AWS
            rules.append("    iifname \"h*\" ether daddr ")
                    .append(gw)
                    .append(v4 ? " ip daddr != " + vpc.cidr() : " ip6 daddr != " + vpc.ipv6())
                    .append(v4 ? " ip daddr " : " ip6 daddr ")
                    .append(p)
                    .append(" ether daddr set ")
                    .append(v4 ? insideMac : transitMac)
                    .append("\n");
        }
        String table = "table bridge srv6sh_steer_" + r.name().replaceAll("[^A-Za-z0-9_]", "_") + " {\n"
                + "  chain pre {\n    type filter hook prerouting priority -300; policy accept;\n" + rules
                + "  }\n}\n";
        Sys.runWithInput(table, "ip", "netns", "exec", g, "nft", "-f", "-");
    }

    /**
     * Starts {@code srv6sh links} in the links namespace ({@link LinkDaemon}): each VPC's wire, and
     * between every two VPCs half their regions' RTT ({@code RttModel#between}, as local's links), and
     * waits until it runs.
     */
    private void startLinks() throws ProviderException {
        List<CloudSpec.Vpc> vs = spec.vpcs();
        List<LinksConfig.Wire> wires = new ArrayList<>();
        long[][] oneWay = new long[vs.size()][vs.size()];
        for (int i = 0; i < vs.size(); i++) {
            CloudSpec.Vpc v = vs.get(i);
            List<Inet4Address> publics = new ArrayList<>();
            for (CloudSpec.Host h : spec.hosts()) {
                if (h.vpc().equals(v.name())) {
                    publics.add(plan.publicAddress(h.name()));
                }
            }
            wires.add(new LinksConfig.Wire(v.name(), vpcs.get(v.name()).ipv6(), publics, "a" + i, "b" + i));
            for (int j = 0; j < vs.size(); j++) {
                oneWay[i][j] = dev.srv6sh.cloud.local.RttModel.between(
                                        spec, v.region(), vs.get(j).region())
                                .toNanos()
                        / 2;
            }
        }
        LinksConfig config = new LinksConfig(
                seed,
                dev.srv6sh.cloud.local.Jitter.AWS_WIDTH_NANOS,
                dev.srv6sh.cloud.model.Shaping.awsFlow(INTERNET_MTU + dev.srv6sh.dataplane.proto.Ethernet.LENGTH),
                wires,
                oneWay);
        Path file = dir.resolve("links.json");
        Path log = dir.resolve("links.log");
        Process p;
        try {
            Files.writeString(file, config.toJson(), StandardCharsets.UTF_8);
            p = new ProcessBuilder(RouterLauncher.links(links(), file))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            Files.writeString(dir.resolve("links.pid"), Long.toString(p.pid()));
        } catch (IOException e) {
            throw new ProviderException("cannot start the links between regions: " + e.getMessage());
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!read(log).contains("srv6sh links: running")) {
            if (!p.isAlive()) {
                throw new ProviderException("the links between regions stopped while starting (exit " + p.exitValue()
                        + "); their log (" + log + "):\n" + tail(read(log)));
            }
            if (System.nanoTime() > deadline) {
                throw new ProviderException("the links between regions did not start within "
                        + START_TIMEOUT.toSeconds() + " s; their log (" + log + "):\n" + tail(read(log)));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException("interrupted while the links between regions were starting");
            }
        }
    }

    private record Pending(
            String name,
            String namespace,
            Process process,
            Path log,
            Inet4Address address,
            KeyPair hostKey,
            DataplaneConfig base,
            Prefix locator,
            Inet6Address transit) {}

    private Pending startRouter(CloudSpec.Router r, int k, Inet4Address rootSide, Inet4Address routerSide)
            throws ProviderException {
        VpcInfo vpc = vpcs.get(r.vpc());
        String g = ns("g", r.vpc());
        String rn = ns("r", r.name());
        addNs(rn);
        MacAddress insideMac = mac("inside-" + r.name());
        MacAddress transitMac = mac("transit-" + r.name());
        veth(rn, "inside", g, "ri" + k, FABRIC_MTU, FABRIC_MTU);
        veth(rn, "transit", g, "rt" + k, FABRIC_MTU, FABRIC_MTU);
        ip("-n", g, "link", "set", "ri" + k, "master", "br0");
        ip("-n", g, "link", "set", "rt" + k, "master", "br0");
        // the daemon owns these devices: the kernel of its namespace keeps off them (no addresses, no
        // IPv6), and drops its copy of each frame they receive at ingress. An AF_PACKET socket only
        // taps a device: without the drop the kernel also routed every IPv4 frame the daemon
        // forwards, to find forwarding off (the wire benchmark measured 2.2-2.3 µs of softirq a
        // packet without, 1.6-1.8 with). nftables' netdev ingress hook runs after the packet taps, so
        // the daemon still gets every frame; its management link (mgmt, below) is not touched. A
        // kernel without nftables' netdev family (CONFIG_NF_TABLES_NETDEV) refuses the table: the
        // router works the same without it, so that is no error (the router's directory says so)
        sysctl(rn, "net.ipv6.conf.inside.disable_ipv6=1", "net.ipv6.conf.transit.disable_ipv6=1");
        Sys.Result drop = Sys.execQuiet(
                """
                table netdev srv6sh {
                  chain inside { type filter hook ingress device "inside" priority 0; counter drop; }
                  chain transit { type filter hook ingress device "transit" priority 0; counter drop; }
                }
                """,
                "ip",
                "netns",
                "exec",
                rn,
                "nft",
                "-f",
                "-");
        ip("-n", rn, "link", "set", "inside", "address", insideMac.toString());
        ip("-n", rn, "link", "set", "transit", "address", transitMac.toString());
        // management: PREFIXmK in the root namespace, mgmt in the router's; SSH listens on mgmt only
        String m = prefix + "m" + k;
        Sys.run("ip", "link", "add", m, "type", "veth", "peer", "name", "mgmt", "netns", rn);
        ip("addr", "add", Addresses.format(rootSide) + "/31", "dev", m);
        ip("link", "set", m, "up");
        ip("-n", rn, "addr", "add", Addresses.format(routerSide) + "/31", "dev", "mgmt");
        ip("-n", rn, "link", "set", "mgmt", "up");

        InetAddress inside = plan.routerInside(r.name());
        Inet6Address transit = plan.routerTransit(r.name());
        Prefix locator = plan.locator(r.name());
        // the gateway's route table (as local's VpcFabric): attracted prefixes to inside, the locator to
        // transit. No static neighbor: the gateway resolves the router's addresses with ARP and neighbor
        // discovery, which the router answers, as any host on the bridge
        ip("-n", g, "-6", "route", "add", locator.toString(), "via", Addresses.format(transit), "dev", "br0");
        for (Prefix p : r.attract()) {
            // IPv6 prefixes go to the transit address: the inside interface has no IPv6 address to route to
            InetAddress via = p.address() instanceof Inet4Address ? inside : transit;
            ip(
                    "-n",
                    g,
                    p.address() instanceof Inet4Address ? "-4" : "-6",
                    "route",
                    "add",
                    p.toString(),
                    "via",
                    Addresses.format(via),
                    "dev",
                    "br0");
        }
        steer(g, r, insideMac, transitMac);
        DataplaneConfig base = base(r, vpc, inside, transit, insideMac, transitMac);
        Path rdir = dir.resolve("routers").resolve(r.name());
        Path config = rdir.resolve("boot.json");
        Path log = rdir.resolve("daemon.log");
        KeyPair hostKey;
        try {
            Keys.ownerOnlyDir(rdir);
            Files.writeString(config, AgentJson.write(new RouterBoot(base, locator)), StandardCharsets.UTF_8);
            hostKey = Keys.make(rdir.resolve("ssh_host_key"), "srv6sh-router-" + r.name());
            Keys.ownerOnlyDir(rdir.resolve("state"));
            if (!drop.ok()) {
                Files.writeString(
                        rdir.resolve("no-kernel-drop"),
                        "the kernel of " + rn + " routes its copy of each frame on inside and transit: nft refused"
                                + " the netdev table: " + drop.err().strip() + "\n");
            }
        } catch (IOException e) {
            throw new ProviderException("cannot prepare router " + r.name() + " in " + rdir + ": " + e.getMessage());
        }
        List<String> cmd = RouterLauncher.command(
                rn,
                config,
                r.name(),
                Addresses.format(routerSide) + ":" + SSH_PORT,
                dir.resolve("authorized_keys"),
                rdir.resolve("ssh_host_key"),
                rdir.resolve("state"));
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            Files.writeString(rdir.resolve("pid"), Long.toString(p.pid()));
        } catch (IOException e) {
            throw new ProviderException("cannot start router " + r.name() + ": " + e.getMessage());
        }
        return new Pending(r.name(), rn, p, log, routerSide, hostKey, base, locator, transit);
    }

    private DataplaneConfig base(
            CloudSpec.Router r,
            VpcInfo vpc,
            InetAddress inside,
            Inet6Address transit,
            MacAddress insideMac,
            MacAddress transitMac) {
        InetAddress gw4 = vpc.inside().host(1);
        InetAddress gw6 = vpc.transit().host(1);
        MacAddress gwMac = mac("gw-" + r.vpc());
        return new DataplaneConfig(
                r.name(),
                List.of(
                        new DataplaneConfig.Interface(
                                "inside",
                                insideMac,
                                List.of(new Prefix(inside, vpc.inside().length())),
                                FABRIC_MTU,
                                "af_packet",
                                "inside"),
                        new DataplaneConfig.Interface(
                                "transit",
                                transitMac,
                                List.of(new Prefix(transit, vpc.transit().length())),
                                INTERNET_MTU,
                                "af_packet",
                                "transit")),
                List.of(
                        new DataplaneConfig.Route(0, Prefix.parse("0.0.0.0/0"), gw4, "inside"),
                        new DataplaneConfig.Route(0, Prefix.parse("::/0"), gw6, "transit")),
                List.of(), // no static neighbors: ARP and neighbor discovery, primed at apply (prime)
                List.of(),
                List.of(),
                List.of(),
                new DataplaneConfig.Encap(transit, 64),
                new DataplaneConfig.SrDomain(List.of("inside"), List.of()));
    }

    /** Waits for the daemon's "ssh: listening" line, then logs in with the deployment's identity. */
    private NetnsRouter connect(Pending p, KeyPair identity) throws ProviderException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            String log = read(p.log);
            if (log.contains("ssh: listening on")) {
                break;
            }
            if (!p.process.isAlive()) {
                throw new ProviderException("router " + p.name + " stopped while starting (exit "
                        + p.process.exitValue() + "); its log (" + p.log + "):\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new ProviderException("router " + p.name + " did not start SSH within "
                        + START_TIMEOUT.toSeconds() + " s; its log (" + p.log + "):\n" + tail(log));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException("interrupted while router " + p.name + " was starting");
            }
        }
        SshAgentClient.Target target = new SshAgentClient.Target(
                Addresses.format(p.address), SSH_PORT, RouterHandle.USER, identity, p.hostKey.getPublic());
        AgentConnection c;
        try {
            c = ssh.connect(target);
        } catch (AgentException e) {
            throw new ProviderException("router " + p.name + ": " + e.getMessage());
        }
        return new NetnsRouter(p.name, p.locator, p.transit, p.base, p.namespace, p.process.toHandle(), c);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String log) {
        String[] lines = log.strip().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 15), lines.length));
    }

    /** Free /31s of 203.0.113.0/24 in the root namespace: root side, router side, per router. */
    private static List<Inet4Address> managementAddresses(int routers) throws ProviderException {
        Set<String> used = new HashSet<>();
        for (String line : Sys.run("ip", "-4", "-o", "addr", "show").split("\n")) {
            String[] f = line.strip().split("\\s+");
            for (int x = 0; x + 1 < f.length; x++) {
                if (f[x].equals("inet")) {
                    used.add(f[x + 1].split("/")[0]);
                }
            }
        }
        List<Inet4Address> out = new ArrayList<>();
        for (int n = 0; n < 256 && out.size() < 2 * routers; n += 2) {
            String a = "203.0.113." + n;
            String b = "203.0.113." + (n + 1);
            if (!used.contains(a) && !used.contains(b)) {
                out.add((Inet4Address) Addresses.parse(a));
                out.add((Inet4Address) Addresses.parse(b));
            }
        }
        if (out.size() < 2 * routers) {
            throw new ProviderException("no free management addresses left in 203.0.113.0/24 for " + routers
                    + " router(s): destroy other netns deployments first");
        }
        return out;
    }

    private void addNs(String name) throws ProviderException {
        Sys.run("ip", "netns", "add", name);
        ip("-n", name, "link", "set", "lo", "up");
    }

    private static void sysctl(String ns, String... settings) throws ProviderException {
        List<String> cmd = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        cmd.addAll(List.of(settings));
        Sys.inNs(ns, cmd.toArray(String[]::new));
    }

    /**
     * A host sends at most its instance type's bandwidth, as local's {@code Instance}: the kernel's
     * {@code tbf} on its {@code eth0}, with the burst and queue local sizes its shapers with ({@link
     * Shaping}). Routers are not shaped this way: they send through AF_PACKET with
     * PACKET_QDISC_BYPASS, which no qdisc sees (docs/netns.md).
     */
    private static void shapeEgress(String ns, InstanceTypes.InstanceType type) throws ProviderException {
        Shaping s = new Shaping(type.bps(), Shaping.AWS_QUEUE_NANOS, Shaping.BURST_NANOS, HOST_MTU + Ethernet.LENGTH);
        Sys.run(
                "tc",
                "-n",
                ns,
                "qdisc",
                "replace",
                "dev",
                "eth0",
                "root",
                "tbf",
                "rate",
                type.bps() + "bit",
                "burst",
                "" + s.burstBytes(),
                "latency",
                (Shaping.AWS_QUEUE_NANOS / 1000) + "us");
    }

    /** A veth pair made directly in two namespaces (no name in the root namespace), both ends up. */
    private static void veth(String nsA, String a, String nsB, String b, int mtuA, int mtuB) throws ProviderException {
        Sys.run("ip", "link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB);
        ip("-n", nsA, "link", "set", "dev", a, "mtu", "" + mtuA, "up");
        ip("-n", nsB, "link", "set", "dev", b, "mtu", "" + mtuB, "up");
    }

    private static void ip(String... args) throws ProviderException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Sys.run(cmd);
    }

    /** Closes the agent connections (the daemons and namespaces stay until {@link Leftovers#remove}). */
    void close() {
        for (NetnsRouter r : routers.values()) {
            r.connection().close();
        }
        if (ssh != null) {
            try {
                ssh.close();
            } catch (IOException e) {
                // its threads end with the process anyway
            }
            ssh = null;
        }
    }
}
