package dev.srv6sh.interpreter.eval;

import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.grammar.ast.Arg;
import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Names;
import dev.srv6sh.interpreter.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Probes and measurements: {@code ping} and {@code measure rtt|throughput} drive deployed hosts and
 * give the script a result record ({@code PingResult}, {@code RttResult}, {@code ThroughputResult}),
 * which is also their {@link Result}, reporting their progress as they run.
 */
final class ProbeOps {
    private final Evaluator ev;
    private final Ops ops;

    ProbeOps(Evaluator ev, Ops ops) {
        this.ev = ev;
        this.ops = ops;
    }

    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private record Probe(
            String from,
            String to,
            int count,
            Duration interval,
            int size,
            Duration timeout,
            boolean direct,
            boolean ipv6) {}

    private Probe probe(Expr fromE, Expr toE, List<Arg> options, Env env, Span span) {
        String from = hostName(ev.exprs().eval(fromE, env, true), fromE.span());
        String to = hostName(ev.exprs().eval(toE, env, true), toE.span());
        int count = 5;
        Duration interval = DEFAULT_INTERVAL;
        int size = 56;
        Duration timeout = DEFAULT_TIMEOUT;
        boolean direct = false;
        boolean ipv6 = false;
        for (Arg o : options) {
            if (o.key().equals("direct")) {
                direct = flag(o);
                continue;
            }
            if (o.key().equals("ipv6")) {
                ipv6 = flag(o);
                continue;
            }
            if (o.value() == null) {
                throw new ScriptError(o.span(), "'" + o.key() + "' needs a value");
            }
            Value v = ev.exprs().eval(o.value(), env, false);
            switch (o.key()) {
                case "count" -> {
                    count = Builtins.whole(o.value().span(), v);
                    if (count < 1 || count > 65_535) {
                        // the echo sequence number is 16 bits
                        throw new ScriptError(o.value().span(), "count is 1..65535");
                    }
                }
                case "interval" -> interval = duration(v, o);
                case "timeout" -> timeout = duration(v, o);
                case "size" -> {
                    if (!(v instanceof Value.Qty q && q.dim() == Dim.SIZE) || q.value() < 0 || q.value() > 65_507) {
                        throw new ScriptError(o.value().span(), "size is a size such as 56B (0B..65507B)");
                    }
                    size = (int) q.value();
                }
                default ->
                    throw new ScriptError(
                            o.span(),
                            "unknown option '" + o.key() + "'",
                            Names.suggest(o.key(), List.of("count", "interval", "size", "timeout", "direct", "ipv6")));
            }
        }
        if (direct && ipv6) {
            throw new ScriptError(
                    span,
                    "'direct' reaches a host at its public IPv4 address; IPv6 between VPCs already goes straight"
                            + " through the internet gateways: use one or the other");
        }
        return new Probe(from, to, count, interval, size, timeout, direct, ipv6);
    }

    /** {@code direct} is a word on its own: the same pair reached without the SRv6 routers. */
    private static boolean flag(Arg o) {
        if (o.value() != null) {
            throw new ScriptError(o.value().span(), "'" + o.key() + "' takes no value");
        }
        return true;
    }

    private static Duration duration(Value v, Arg o) {
        if (v instanceof Value.Qty q && q.dim() == Dim.DURATION && q.value() >= 0) {
            return Duration.ofNanos(Math.round(q.value() * 1e9));
        }
        throw new ScriptError(o.value().span(), "'" + o.key() + "' is a duration such as 200ms, not " + v.describe());
    }

    private String hostName(Value v, Span span) {
        return switch (v) {
            case Value.Res r when r.kind().equals("host") -> r.name();
            case Value.Forward f ->
                throw new ScriptError(
                        span,
                        "unknown host '" + f.name() + "'",
                        Names.suggest(f.name(), ev.desired().hosts.keySet()));
            default -> throw new ScriptError(span, "expected a host, but '" + Render.text(v) + "' is " + v.describe());
        };
    }

    Value ping(Expr.Ping p, Env env) {
        Probe pr = probe(p.from(), p.to(), p.options(), env, p.span());
        if (ev.checkOnly()) {
            return new Value.Unknown("PingResult");
        }
        String op =
                "ping " + pr.from() + " -> " + pr.to() + (pr.direct() ? " direct" : "") + (pr.ipv6() ? " ipv6" : "");
        Value result = tracked(op, probeTime(pr), () -> pingResult(pr, run(pr, p.span())));
        ev.results().accept(new Result.Pinged(pr.from(), pr.to(), pr.direct(), pr.ipv6(), result));
        return result;
    }

    Value measure(Expr.Measure m, Env env) {
        if (!m.metric().equals("rtt")) {
            Throughput t = throughput(m, env);
            if (ev.checkOnly()) {
                return new Value.Unknown("ThroughputResult");
            }
            String op = "measure throughput " + t.proto() + " " + t.from() + " -> " + t.to()
                    + (t.direct() ? " direct" : "");
            Value result = tracked(op, t.duration(), () -> measureThroughput(t, m.span()));
            ev.results().accept(new Result.ThroughputMeasured(t.proto(), t.from(), t.to(), t.direct(), result));
            return result;
        }
        Probe pr = probe(m.from(), m.to(), m.options(), env, m.span());
        if (ev.checkOnly()) {
            return new Value.Unknown("RttResult");
        }
        String op = "measure rtt " + pr.from() + " -> " + pr.to() + (pr.direct() ? " direct" : "")
                + (pr.ipv6() ? " ipv6" : "");
        Value result = tracked(op, probeTime(pr), () -> rttResult(run(pr, m.span())));
        ev.results().accept(new Result.RttMeasured(pr.from(), pr.to(), pr.direct(), pr.ipv6(), result));
        return result;
    }

    /** How long a ping run takes when every reply comes back at once. */
    private static Duration probeTime(Probe pr) {
        return pr.interval().multipliedBy(Math.max(0, pr.count() - 1)).plusMillis(1);
    }

    /**
     * Runs an operation between STARTED and FINISHED events, with PROGRESS every 100 ms of real time
     * reckoned on the deployment's clock: on local, the share of the operation's virtual length done
     * ({@link Tracker}).
     */
    private Value tracked(String op, Duration expected, java.util.function.Supplier<Value> body) {
        Tracker tracker = new Tracker(ev.progress(), op, expected, ops.clock(), Tracker.REAL);
        Value result = null;
        try {
            result = body.get();
            return result;
        } finally {
            tracker.finish(result);
        }
    }

    /**
     * The UDP default rate: far above iperf3's 1 Mbit/s (which says nothing about a link) and within
     * every AWS limit (5 Gbit/s per flow), so that a flow measures the path loss-free. On local any
     * rate is emulated exactly (virtual time), but each datagram costs the emulator ~6 µs of real time
     * on an idle core and ~18 µs on a busy two-core machine: at 500 Mbit/s the campaign's six 20 s
     * flows take about a minute and a half there, at 1 Gbit/s over three (docs/emulation.md). A script
     * asks for more with {@code rate}.
     */
    static final long DEFAULT_UDP_RATE = 500_000_000L;

    /** The UDP default datagram size: fits a 1500-byte path with a one-SID encapsulation (1436 B). */
    static final int DEFAULT_UDP_SIZE = 1400;

    static final Duration DEFAULT_UDP_DURATION = Duration.ofSeconds(10);
    static final int MIN_UDP_SIZE = 44;
    static final int MAX_UDP_SIZE = 9000;

    /** The most TCP streams a measurement opens ({@code streams N}): iperf3 allows 128. */
    static final int MAX_STREAMS = 128;

    /**
     * A throughput measurement: {@code rate} is 0 for TCP unless the script caps it, {@code streams} is
     * TCP's parallel connections (1 unless asked).
     */
    private record Throughput(
            String proto,
            String from,
            String to,
            Duration duration,
            long rate,
            int size,
            boolean direct,
            int streams) {}

    /**
     * A throughput measurement's hosts, protocol and options ({@code for D}, {@code rate R}, {@code size
     * S}, {@code streams N}, {@code direct}), checked in check mode as at run time. TCP takes no size
     * (the stack sizes its segments) and UDP no streams (one flow, as on local).
     */
    private Throughput throughput(Expr.Measure m, Env env) {
        if (!m.metric().equals("throughput")) {
            throw new ScriptError(
                    m.span(),
                    "unknown measurement '" + m.metric() + "'; measure rtt or throughput",
                    Names.suggest(m.metric(), List.of("rtt", "throughput")));
        }
        String from = hostName(ev.exprs().eval(m.from(), env, true), m.from().span());
        String to = hostName(ev.exprs().eval(m.to(), env, true), m.to().span());
        if (m.proto() == null) {
            throw new ScriptError(m.span(), "'measure throughput' needs a protocol: udp or tcp");
        }
        Duration duration = DEFAULT_UDP_DURATION;
        boolean tcp = m.proto().equals("tcp");
        long rate = tcp ? 0 : DEFAULT_UDP_RATE;
        int size = DEFAULT_UDP_SIZE;
        int streams = 1;
        boolean direct = false;
        for (Arg o : m.options()) {
            if (o.key().equals("direct")) {
                direct = flag(o);
                continue;
            }
            if (o.key().equals("streams")) {
                streams = streams(o, env, tcp);
                continue;
            }
            if (o.key().equals("size") && tcp) {
                throw new ScriptError(
                        o.span(), "'size' is a UDP datagram's size; TCP sizes its own segments: drop it for tcp");
            }
            Dim want =
                    switch (o.key()) {
                        case "for" -> Dim.DURATION;
                        case "rate" -> Dim.RATE;
                        case "size" -> Dim.SIZE;
                        default ->
                            throw new ScriptError(
                                    o.span(),
                                    "unknown option '" + o.key() + "'",
                                    Names.suggest(o.key(), List.of("for", "rate", "size", "streams", "direct")));
                    };
            if (o.value() == null) {
                throw new ScriptError(o.span(), "'" + o.key() + "' needs " + want.article());
            }
            Value v = ev.exprs().eval(o.value(), env, false);
            if (v instanceof Value.Unknown) {
                continue;
            }
            if (!(v instanceof Value.Qty q && q.dim() == want && q.value() > 0)) {
                throw new ScriptError(
                        o.value().span(), "'" + o.key() + "' takes " + want.article() + ", not " + v.describe());
            }
            switch (o.key()) {
                case "for" -> {
                    if (q.value() < 1e-3 || q.value() > 3600) {
                        throw new ScriptError(o.value().span(), "'for' is 1ms..1h");
                    }
                    duration = Duration.ofNanos(Math.round(q.value() * 1e9));
                }
                case "rate" -> {
                    if (q.value() < 1e3 || q.value() > 100e9) {
                        throw new ScriptError(o.value().span(), "'rate' is 1kbps..100Gbps");
                    }
                    rate = Math.round(q.value());
                }
                default -> {
                    if (q.value() < MIN_UDP_SIZE || q.value() > MAX_UDP_SIZE || q.value() != Math.rint(q.value())) {
                        throw new ScriptError(
                                o.value().span(),
                                "'size' is the IPv4 datagram's size, " + MIN_UDP_SIZE + "B.." + MAX_UDP_SIZE
                                        + "B: 28 bytes of IPv4 and UDP headers and at least the 16 bytes of"
                                        + " sequence number and timestamp each datagram carries");
                    }
                    size = (int) q.value();
                }
            }
        }
        return new Throughput(m.proto(), from, to, duration, rate, size, direct, streams);
    }

    /** {@code streams N}: TCP's parallel connections (iperf3's {@code -P}), 1..128. */
    private int streams(Arg o, Env env, boolean tcp) {
        if (!tcp) {
            throw new ScriptError(o.span(), "'streams' opens parallel TCP connections; a UDP measurement is one flow");
        }
        if (o.value() == null) {
            throw new ScriptError(o.span(), "'streams' needs a whole number such as 4");
        }
        Value v = ev.exprs().eval(o.value(), env, false);
        if (v instanceof Value.Unknown) {
            return 1;
        }
        int n = Builtins.whole(o.value().span(), v);
        if (n < 1 || n > MAX_STREAMS) {
            throw new ScriptError(o.value().span(), "'streams' is 1.." + MAX_STREAMS);
        }
        return n;
    }

    /** Runs the measurement and gives its ThroughputResult. */
    private Value measureThroughput(Throughput t, Span span) {
        return t.proto().equals("tcp") ? throughputResult(t, tcp(t, span)) : throughputResult(t, udp(t, span));
    }

    private HostHandle.TcpReport tcp(Throughput t, Span span) {
        Deployment dep = ops.deployment(span, "measure throughput");
        HostHandle from = Ops.deployed(dep.host(t.from()), "host", t.from(), span, "measure throughput");
        HostHandle to = Ops.deployed(dep.host(t.to()), "host", t.to(), span, "measure throughput");
        if (!from.hasTcpStack() || !to.hasTcpStack()) {
            throw new RuntimeFailure(
                    span,
                    "'measure throughput tcp' needs a real TCP stack at both ends: it runs on the netns and aws"
                            + " backends (iperf3 in the hosts), not on "
                            + ops.provider(span).name()
                            + ", whose hosts are emulated; measure throughput udp here");
        }
        try {
            return from.tcp(
                    to, target(to, t.direct(), span), new HostHandle.TcpFlow(t.duration(), t.streams(), t.rate()));
        } catch (ProviderException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(span, "interrupted");
        }
    }

    private HostHandle.UdpReport udp(Throughput t, Span span) {
        Deployment dep = ops.deployment(span, "measure throughput");
        HostHandle from = Ops.deployed(dep.host(t.from()), "host", t.from(), span, "measure throughput");
        HostHandle to = Ops.deployed(dep.host(t.to()), "host", t.to(), span, "measure throughput");
        try {
            return from.udp(to, target(to, t.direct(), span), new HostHandle.UdpFlow(t.rate(), t.size(), t.duration()));
        } catch (ProviderException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(span, "interrupted");
        }
    }

    /** The address a measurement aims at: the host's own, or with {@code direct} its public one. */
    private java.net.InetAddress target(HostHandle to, boolean direct, Span span) {
        if (!direct) {
            return to.address();
        }
        if (to.publicAddress() == null) {
            throw new RuntimeFailure(
                    span,
                    "host " + to.name() + " has no public address on the "
                            + ops.provider(span).name() + " backend, so there is no direct path to it");
        }
        return to.publicAddress();
    }

    static Value.Rec throughputResult(Throughput t, HostHandle.UdpReport r) {
        double seconds = r.duration().toNanos() / 1e9;
        LinkedHashMap<String, Value> f = new LinkedHashMap<>();
        f.put("proto", new Value.Str(t.proto()));
        f.put("from", new Value.Str(t.from()));
        f.put("to", new Value.Str(t.to()));
        f.put("duration", new Value.Qty(seconds, Dim.DURATION));
        f.put("bytes", new Value.Qty(r.bytes(), Dim.SIZE));
        f.put("rate", new Value.Qty(r.bytes() * 8 / seconds, Dim.RATE));
        f.put("offered", new Value.Qty(r.sent() * (double) t.size() * 8 / seconds, Dim.RATE));
        f.put("sent", new Value.Num(r.sent()));
        f.put("packets", new Value.Num(r.received()));
        f.put("loss", new Value.Qty(r.sent() == 0 ? 0 : 100.0 * r.lost() / r.sent(), Dim.PERCENT));
        f.put("jitter", new Value.Qty(r.jitterNanos() / 1e9, Dim.DURATION));
        f.put("reordered", new Value.Num(r.reordered()));
        f.put("hoplimit", r.hopLimit() < 0 ? Value.NIL : new Value.Num(r.hopLimit()));
        return new Value.Rec("ThroughputResult", f);
    }

    /**
     * A TCP ThroughputResult: the same fields as UDP's, so scripts and CSVs line up, with what TCP does
     * not count (datagrams, loss, jitter, reordering, hop limit) nil, and the sender's retransmits and
     * the number of streams added.
     */
    static Value.Rec throughputResult(Throughput t, HostHandle.TcpReport r) {
        LinkedHashMap<String, Value> f = new LinkedHashMap<>();
        f.put("proto", new Value.Str(t.proto()));
        f.put("from", new Value.Str(t.from()));
        f.put("to", new Value.Str(t.to()));
        f.put("duration", new Value.Qty(r.duration().toNanos() / 1e9, Dim.DURATION));
        f.put("bytes", new Value.Qty(r.bytes(), Dim.SIZE));
        f.put("rate", new Value.Qty(r.bitsPerSecond(), Dim.RATE));
        f.put("offered", t.rate() > 0 ? new Value.Qty(t.rate(), Dim.RATE) : Value.NIL);
        f.put("sent", Value.NIL);
        f.put("packets", Value.NIL);
        f.put("loss", Value.NIL);
        f.put("jitter", Value.NIL);
        f.put("reordered", Value.NIL);
        f.put("hoplimit", Value.NIL);
        f.put("retransmits", new Value.Num(r.retransmits()));
        f.put("streams", new Value.Num(r.streams()));
        return new Value.Rec("ThroughputResult", f);
    }

    private List<HostHandle.Probe> run(Probe pr, Span span) {
        Deployment dep = ops.deployment(span, "ping");
        HostHandle from = Ops.deployed(dep.host(pr.from()), "host", pr.from(), span, "ping");
        HostHandle to = Ops.deployed(dep.host(pr.to()), "host", pr.to(), span, "ping");
        try {
            java.net.InetAddress target = pr.ipv6() ? to.address6() : target(to, pr.direct(), span);
            if (target == null) {
                throw new RuntimeFailure(
                        span,
                        "host " + to.name() + " has no IPv6 address on the "
                                + ops.provider(span).name() + " backend");
            }
            return from.ping(target, pr.count(), pr.interval(), pr.size(), pr.timeout());
        } catch (ProviderException e) {
            throw new RuntimeFailure(span, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(span, "interrupted");
        }
    }

    private static Value pingResult(Probe pr, List<HostHandle.Probe> probes) {
        Value.Rec rtt = rttResult(probes);
        long received = probes.stream().filter(HostHandle.Probe::answered).count();
        LinkedHashMap<String, Value> f = new LinkedHashMap<>();
        f.put("from", new Value.Str(pr.from()));
        f.put("to", new Value.Str(pr.to()));
        f.put("sent", new Value.Num(probes.size()));
        f.put("received", new Value.Num(received));
        f.put("loss", new Value.Qty(100.0 * (probes.size() - received) / probes.size(), Dim.PERCENT));
        f.put("rtt", rtt);
        f.put("hoplimit", rtt.fields().get("hoplimit"));
        return new Value.Rec("PingResult", f);
    }

    static Value.Rec rttResult(List<HostHandle.Probe> probes) {
        double[] s = probes.stream()
                .filter(HostHandle.Probe::answered)
                .mapToDouble(p -> p.rttNanos() / 1e9)
                .toArray();
        LinkedHashMap<String, Value> f = new LinkedHashMap<>();
        f.put("count", new Value.Num(s.length));
        Value none = Value.NIL;
        f.put("mean", s.length == 0 ? none : new Value.Qty(Stats.mean(s), Dim.DURATION));
        f.put(
                "min",
                s.length == 0
                        ? none
                        : new Value.Qty(java.util.Arrays.stream(s).min().orElseThrow(), Dim.DURATION));
        f.put(
                "max",
                s.length == 0
                        ? none
                        : new Value.Qty(java.util.Arrays.stream(s).max().orElseThrow(), Dim.DURATION));
        f.put("stddev", s.length == 0 ? none : new Value.Qty(Stats.stddev(s), Dim.DURATION));
        f.put("ci95", s.length == 0 ? none : new Value.Qty(Stats.ci95(s), Dim.DURATION));
        List<Value> samples = new ArrayList<>();
        for (double x : s) {
            samples.add(new Value.Qty(x, Dim.DURATION));
        }
        f.put("samples", new Value.ListV(samples));
        f.put("hoplimit", hopLimit(probes));
        return new Value.Rec("RttResult", f);
    }

    /** The hop limit the replies arrived with (the most common one, should paths differ). */
    private static Value hopLimit(List<HostHandle.Probe> probes) {
        Map<Integer, Integer> seen = new java.util.TreeMap<>();
        probes.stream().filter(HostHandle.Probe::answered).forEach(p -> seen.merge(p.hopLimit(), 1, Integer::sum));
        return seen.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .<Value>map(e -> new Value.Num(e.getKey()))
                .orElse(Value.NIL);
    }
}
