package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.model.Shaping;
import dev.srv6sh.dataplane.agent.JsonText;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.Prefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code srv6sh links} is told (its {@code --config FILE.json}, written by the netns provider):
 * one wire per VPC, the one-way delay between every two VPCs (half their regions' RTT, {@code
 * RttModel#between}), and the jitter's seed and width, as the local backend's {@code LinkModel}. The
 * provider computes the delays, so the daemon needs no region table and no script. So with the
 * per-flow shaping: the provider writes AWS's figures ({@link Shaping#awsFlow}), local's own.
 *
 * @param seed the jitter's seed (srv6sh's {@code --seed})
 * @param jitterNanos the jitter's whole width, centred on zero
 * @param flow how each 5-tuple flow between VPCs is shaped (a rate of 0 shapes nothing)
 * @param wires one per VPC, in the order {@code oneWayNanos} indexes them
 * @param oneWayNanos {@code oneWayNanos[i][j]}: the delay of a frame from VPC i to VPC j
 */
public record LinksConfig(long seed, long jitterNanos, Shaping flow, List<Wire> wires, long[][] oneWayNanos) {

    /**
     * A VPC's wire: frames from its gateway arrive on {@code inner} and leave, delayed, on {@code
     * outer} towards the internet namespace; frames the other way pass at once.
     *
     * @param vpc the VPC's name, which seeds its links' jitter as on local
     * @param ipv6 the VPC's IPv6 block: a destination in it belongs to this VPC
     * @param publics its hosts' public IPv4 addresses, which belong to it too
     */
    public record Wire(String vpc, Prefix ipv6, List<Inet4Address> publics, String inner, String outer) {
        public Wire {
            publics = List.copyOf(publics);
            if (!(ipv6.address() instanceof Inet6Address)) {
                throw new IllegalArgumentException("wire " + vpc + ": ipv6 " + ipv6 + " is not an IPv6 prefix");
            }
        }
    }

    public LinksConfig {
        java.util.Objects.requireNonNull(flow, "flow");
        wires = List.copyOf(wires);
        if (oneWayNanos.length != wires.size()) {
            throw new IllegalArgumentException(
                    "one_way_ns has " + oneWayNanos.length + " rows for " + wires.size() + " wires");
        }
        long[][] copy = new long[oneWayNanos.length][];
        for (int i = 0; i < oneWayNanos.length; i++) {
            if (oneWayNanos[i].length != wires.size()) {
                throw new IllegalArgumentException("one_way_ns row " + i + " has " + oneWayNanos[i].length
                        + " delays for " + wires.size() + " wires");
            }
            for (long d : oneWayNanos[i]) {
                if (d < 0) {
                    throw new IllegalArgumentException("one_way_ns row " + i + ": a delay is negative (" + d + ")");
                }
            }
            copy[i] = oneWayNanos[i].clone();
        }
        oneWayNanos = copy;
        if (jitterNanos < 0) {
            throw new IllegalArgumentException("jitter_ns is negative (" + jitterNanos + ")");
        }
    }

    /** The delay of a frame from VPC {@code from} to VPC {@code to} (ns). */
    public long oneWay(int from, int to) {
        return oneWayNanos[from][to];
    }

    /** The JSON {@link #parse} reads back. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\n  \"seed\": ")
                .append(seed)
                .append(",\n  \"jitter_ns\": ")
                .append(jitterNanos)
                .append(",\n  \"flow_bps\": ")
                .append(flow.rateBps())
                .append(",\n  \"flow_queue_ns\": ")
                .append(flow.queueNanos())
                .append(",\n  \"flow_burst_ns\": ")
                .append(flow.burstNanos())
                .append(",\n  \"flow_largest_frame\": ")
                .append(flow.largestFrame())
                .append(",\n  \"wires\": [");
        for (int i = 0; i < wires.size(); i++) {
            Wire w = wires.get(i);
            sb.append(i == 0 ? "\n" : ",\n")
                    .append("    {\"vpc\": ")
                    .append(JsonText.string(w.vpc()))
                    .append(", \"ipv6\": ")
                    .append(JsonText.string(w.ipv6().toString()))
                    .append(", \"publics\": [");
            for (int k = 0; k < w.publics().size(); k++) {
                sb.append(k == 0 ? "" : ", ")
                        .append(JsonText.string(Addresses.format(w.publics().get(k))));
            }
            sb.append("], \"inner\": ")
                    .append(JsonText.string(w.inner()))
                    .append(", \"outer\": ")
                    .append(JsonText.string(w.outer()))
                    .append("}");
        }
        sb.append("\n  ],\n  \"one_way_ns\": [");
        for (int i = 0; i < oneWayNanos.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("[");
            for (int j = 0; j < oneWayNanos[i].length; j++) {
                sb.append(j == 0 ? "" : ", ").append(oneWayNanos[i][j]);
            }
            sb.append("]");
        }
        return sb.append("]\n}\n").toString();
    }

    /** Reads {@link #toJson}'s form; anything else is an {@link IllegalArgumentException} that says what. */
    public static LinksConfig parse(String json) {
        Object root;
        try {
            root = JsonText.parseExact(json); // a seed beyond 2^53 survives
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        Map<?, ?> m = map(root, "the configuration");
        List<Wire> wires = new ArrayList<>();
        for (Object o : list(m.get("wires"), "wires")) {
            Map<?, ?> w = map(o, "a wire");
            String vpc = string(w.get("vpc"), "a wire's vpc");
            List<Inet4Address> publics = new ArrayList<>();
            for (Object p : list(w.get("publics"), "wire " + vpc + "'s publics")) {
                InetAddress a = address(string(p, "wire " + vpc + "'s public address"));
                if (!(a instanceof Inet4Address a4)) {
                    throw new IllegalArgumentException("wire " + vpc + ": public address " + p + " is not IPv4");
                }
                publics.add(a4);
            }
            Prefix ipv6;
            try {
                ipv6 = Prefix.parse(string(w.get("ipv6"), "wire " + vpc + "'s ipv6"));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("wire " + vpc + ": ipv6: " + e.getMessage(), e);
            }
            wires.add(new Wire(
                    vpc,
                    ipv6,
                    publics,
                    string(w.get("inner"), "wire " + vpc + "'s inner"),
                    string(w.get("outer"), "wire " + vpc + "'s outer")));
        }
        List<?> rows = list(m.get("one_way_ns"), "one_way_ns");
        long[][] oneWay = new long[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            List<?> row = list(rows.get(i), "one_way_ns row " + i);
            oneWay[i] = new long[row.size()];
            for (int j = 0; j < row.size(); j++) {
                oneWay[i][j] = number(row.get(j), "one_way_ns[" + i + "][" + j + "]");
            }
        }
        long rate = number(m.get("flow_bps"), "flow_bps");
        long queue = number(m.get("flow_queue_ns"), "flow_queue_ns");
        long burst = number(m.get("flow_burst_ns"), "flow_burst_ns");
        long frame = number(m.get("flow_largest_frame"), "flow_largest_frame");
        if (frame > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("flow_largest_frame is too large: " + frame);
        }
        Shaping flow;
        try {
            flow = new Shaping(rate, queue, burst, (int) frame);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("flow shaping: " + e.getMessage(), e);
        }
        return new LinksConfig(
                number(m.get("seed"), "seed"), number(m.get("jitter_ns"), "jitter_ns"), flow, wires, oneWay);
    }

    private static InetAddress address(String text) {
        try {
            return Addresses.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address", e);
        }
    }

    private static Map<?, ?> map(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException(what + " is not an object");
    }

    private static List<?> list(Object o, String what) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(what + (o == null ? " is missing" : " is not a list"));
    }

    private static String string(Object o, String what) {
        if (o instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(what + (o == null ? " is missing" : " is not a string"));
    }

    private static long number(Object o, String what) {
        if (o instanceof java.math.BigDecimal n) {
            try {
                return n.longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(what + " is not a whole number of 64 bits: " + n, e);
            }
        }
        throw new IllegalArgumentException(what + (o == null ? " is missing" : " is not a whole number"));
    }
}
