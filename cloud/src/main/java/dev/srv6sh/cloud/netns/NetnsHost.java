package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.config.Addresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host on netns: a namespace with the kernel's own stack; probes are iputils' {@code ping} run in
 * it, throughput is iperf3 ({@link Iperf3}).
 */
record NetnsHost(String name, String namespace, InetAddress address, InetAddress address6, InetAddress publicAddress)
        implements HostHandle {

    /** One reply line of iputils' ping: {@code 64 bytes from 10.12.1.10: icmp_seq=1 ttl=62 time=0.123 ms}. */
    private static final Pattern REPLY =
            Pattern.compile("icmp_seq=(\\d+)\\s+(?:ttl|hlim)=(\\d+)\\s+time=([0-9.]+)\\s*ms(.*)$");

    @Override
    public List<Probe> ping(InetAddress target, int count, Duration interval, int size, Duration timeout)
            throws ProviderException, InterruptedException {
        if (count < 1) {
            return List.of();
        }
        double wait = Math.max(1, Math.ceil(timeout.toMillis() / 1000.0));
        double deadline = Math.ceil((count - 1) * interval.toMillis() / 1000.0 + wait + 1);
        List<String> cmd = Sys.measuring(
                namespace,
                "ping",
                "-n",
                "-c",
                Integer.toString(count),
                "-i",
                String.format(Locale.ROOT, "%.3f", interval.toNanos() / 1e9),
                "-s",
                Integer.toString(size),
                "-W",
                String.format(Locale.ROOT, "%.0f", wait),
                "-w",
                String.format(Locale.ROOT, "%.0f", deadline),
                Addresses.format(target));
        Sys.Result r = Sys.exec(cmd, null, (long) (deadline * 1000) + 10_000);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        // exit 1: some probes went unanswered, which the probes say; 2 and others: ping itself failed
        if (r.exit() != 0 && r.exit() != 1) {
            throw new ProviderException("ping from host " + name + " to " + Addresses.format(target) + " failed (exit "
                    + r.exit() + "): " + (r.err().isEmpty() ? r.out().strip() : r.err()));
        }
        return probes(r.out(), count);
    }

    /** The probes iputils' output reports: answered ones from their reply lines, the rest unanswered. */
    static List<Probe> probes(String output, int count) {
        long[] rtt = new long[count];
        int[] ttl = new int[count];
        java.util.Arrays.fill(rtt, -1);
        java.util.Arrays.fill(ttl, -1);
        for (String line : output.split("\n")) {
            Matcher m = REPLY.matcher(line);
            if (!m.find() || m.group(4).contains("DUP")) {
                continue;
            }
            int seq = Integer.parseInt(m.group(1)) - 1; // iputils counts from 1, probes from 0
            if (seq >= 0 && seq < count && rtt[seq] < 0) {
                rtt[seq] = Math.round(Double.parseDouble(m.group(3)) * 1_000_000);
                ttl[seq] = Integer.parseInt(m.group(2));
            }
        }
        List<Probe> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Probe(i, rtt[i], ttl[i]));
        }
        return out;
    }

    @Override
    public UdpReport udp(HostHandle receiver, InetAddress target, UdpFlow flow)
            throws ProviderException, InterruptedException {
        return Iperf3.udp(namespace, peer(receiver).namespace(), target, flow);
    }

    @Override
    public boolean hasTcpStack() {
        return true;
    }

    @Override
    public TcpReport tcp(HostHandle receiver, InetAddress target, TcpFlow flow)
            throws ProviderException, InterruptedException {
        return Iperf3.tcp(namespace, peer(receiver).namespace(), target, flow);
    }

    private NetnsHost peer(HostHandle receiver) throws ProviderException {
        if (receiver instanceof NetnsHost h) {
            return h;
        }
        throw new ProviderException("host " + receiver.name() + " is not a netns host");
    }
}
