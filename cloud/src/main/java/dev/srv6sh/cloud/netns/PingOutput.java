package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.HostHandle.Probe;
import dev.srv6sh.dataplane.config.Addresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iputils' {@code ping}, as every backend with real hosts runs it: its command line for a {@code
 * ping} request and the probes its output reports. Shared by netns (run in a namespace) and aws (run
 * over SSH on the host), so that both give the same records for the same replies.
 */
public final class PingOutput {
    private PingOutput() {}

    /** One reply line of iputils' ping: {@code 64 bytes from 10.12.1.10: icmp_seq=1 ttl=62 time=0.123 ms}. */
    private static final Pattern REPLY =
            Pattern.compile("icmp_seq=(\\d+)\\s+(?:ttl|hlim)=(\\d+)\\s+time=([0-9.]+)\\s*ms(.*)$");

    /**
     * {@code ping}'s arguments (from {@code ping} on) and how long it may run at most: {@code -w}, the
     * last probe's time plus the reply timeout plus a second, so that ping always ends by itself.
     */
    public record Command(List<String> arguments, long deadlineMillis) {}

    public static Command command(InetAddress target, int count, Duration interval, int size, Duration timeout) {
        double wait = Math.max(1, Math.ceil(timeout.toMillis() / 1000.0));
        double deadline = Math.ceil((count - 1) * interval.toMillis() / 1000.0 + wait + 1);
        List<String> args = List.of(
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
        return new Command(args, (long) (deadline * 1000));
    }

    /**
     * Whether an exit status of ping's is a measurement: 0 (all answered) or 1 (some unanswered, which
     * the probes say); 2 and others mean ping itself failed.
     */
    public static boolean measured(int exit) {
        return exit == 0 || exit == 1;
    }

    /** The probes iputils' output reports: answered ones from their reply lines, the rest unanswered. */
    public static List<Probe> probes(String output, int count) {
        long[] rtt = new long[count];
        int[] ttl = new int[count];
        Arrays.fill(rtt, -1);
        Arrays.fill(ttl, -1);
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
}
