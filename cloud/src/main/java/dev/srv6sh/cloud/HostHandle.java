package dev.srv6sh.cloud;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** One deployed host: a client VM on aws, a namespace on netns, an emulated endpoint on local. */
public interface HostHandle {

    String name();

    InetAddress address();

    /**
     * Sends {@code count} ICMP echo requests to {@code target}, one every {@code interval}, waits up to
     * {@code timeout} after the last for replies, and reports each probe.
     */
    List<Probe> ping(InetAddress target, int count, Duration interval, int size, Duration timeout)
            throws ProviderException, InterruptedException;

    /** One echo: rttNanos is -1 and hopLimit -1 when no reply came back. */
    record Probe(int sequence, long rttNanos, int hopLimit) {
        public boolean answered() {
            return rttNanos >= 0;
        }
    }
}
