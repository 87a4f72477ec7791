package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.config.Addresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * A host on netns: a namespace with the kernel's own stack; probes are iputils' {@code ping} run in
 * it ({@link PingOutput}), throughput is iperf3 ({@link Iperf3}).
 */
record NetnsHost(String name, String namespace, InetAddress address, InetAddress address6, InetAddress publicAddress)
        implements HostHandle {

    @Override
    public List<Probe> ping(InetAddress target, int count, Duration interval, int size, Duration timeout)
            throws ProviderException, InterruptedException {
        if (count < 1) {
            return List.of();
        }
        PingOutput.Command ping = PingOutput.command(target, count, interval, size, timeout);
        List<String> cmd = Sys.measuring(namespace, ping.arguments().toArray(String[]::new));
        Sys.Result r = Sys.exec(cmd, null, ping.deadlineMillis() + 10_000);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        // exit 1: some probes went unanswered, which the probes say; 2 and others: ping itself failed
        if (!PingOutput.measured(r.exit())) {
            throw new ProviderException("ping from host " + name + " to " + Addresses.format(target) + " failed (exit "
                    + r.exit() + "): " + (r.err().isEmpty() ? r.out().strip() : r.err()));
        }
        return PingOutput.probes(r.out(), count);
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
