package dev.srv6sh.aws;

import dev.srv6sh.cloud.HostHandle;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.netns.Iperf3;
import dev.srv6sh.cloud.netns.PingOutput;
import dev.srv6sh.cloud.ssh.SshAgentClient;
import dev.srv6sh.dataplane.config.Addresses;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client host on aws: an Amazon Linux instance whose bootstrap installed iputils and iperf3,
 * driven over SSH exec as {@value #USER} with the stack's key. Its measurements run the netns
 * backend's command lines and are read by its parsers ({@link PingOutput}, {@link Iperf3}), so they
 * are the same records.
 *
 * <p>Until {@link #pin} gives it the host keys its console printed, it refuses to connect: the
 * provider never trusts a host's key on first use.
 */
public final class AwsHostHandle implements HostHandle {
    /** The default user of Amazon Linux, whom cloud-init authorizes the stack's key for. */
    public static final String USER = "ec2-user";

    /** How long iperf3's one-off server may take to listen, and to write its report once the client is done. */
    private static final Duration SERVER_WAIT = Duration.ofSeconds(15);

    private final String name;
    private final InetAddress address;
    private final InetAddress address6;
    private final InetAddress publicAddress;
    private final String sshHost;
    private final int sshPort;
    private final SshExec ssh;
    private final KeyPair identity;
    private volatile List<PublicKey> pinned = List.of();

    /**
     * Host {@code name}, reached for SSH at {@code sshHost:sshPort} (its public address and 22 on
     * aws), logging in with {@code identity} through {@code ssh}.
     */
    public AwsHostHandle(
            String name,
            InetAddress address,
            InetAddress address6,
            InetAddress publicAddress,
            String sshHost,
            int sshPort,
            SshExec ssh,
            KeyPair identity) {
        this.name = name;
        this.address = address;
        this.address6 = address6;
        this.publicAddress = publicAddress;
        this.sshHost = sshHost;
        this.sshPort = sshPort;
        this.ssh = ssh;
        this.identity = identity;
    }

    /** Trusts the host's keys its bootstrap printed ({@link Bootstrap#hostKeys}), and only those. */
    public void pin(List<String> keyLines) throws ProviderException {
        List<PublicKey> keys = new ArrayList<>();
        for (String line : keyLines) {
            try {
                keys.add(SshAgentClient.publicKey(line));
            } catch (IllegalArgumentException e) {
                throw new ProviderException("host " + name + ": " + e.getMessage());
            }
        }
        pinned = List.copyOf(keys);
    }

    public boolean pinned() {
        return !pinned.isEmpty();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetAddress address() {
        return address;
    }

    @Override
    public InetAddress address6() {
        return address6;
    }

    @Override
    public InetAddress publicAddress() {
        return publicAddress;
    }

    @Override
    public boolean hasTcpStack() {
        return true;
    }

    private SshExec.Target target() throws ProviderException {
        List<PublicKey> keys = pinned;
        if (keys.isEmpty()) {
            throw new ProviderException("host " + name + " has not finished its bootstrap: its host keys are not in"
                    + " its console output yet (aws ec2 get-console-output shows how far it got)");
        }
        return new SshExec.Target(sshHost, sshPort, USER, identity, keys);
    }

    @Override
    public List<Probe> ping(InetAddress target, int count, Duration interval, int size, Duration timeout)
            throws ProviderException, InterruptedException {
        if (count < 1) {
            return List.of();
        }
        PingOutput.Command ping = PingOutput.command(target, count, interval, size, timeout);
        SshExec.Result r =
                ssh.run(target(), SshExec.quote(ping.arguments()), Duration.ofMillis(ping.deadlineMillis() + 10_000));
        if (!PingOutput.measured(r.exit())) {
            throw new ProviderException(
                    "ping from host " + name + " to " + Addresses.format(target) + " failed (exit " + r.exit() + "): "
                            + (r.err().isBlank() ? r.out().strip() : r.err().strip()));
        }
        return PingOutput.probes(r.out(), count);
    }

    @Override
    public UdpReport udp(HostHandle receiver, InetAddress target, UdpFlow flow)
            throws ProviderException, InterruptedException {
        Outputs o = iperf3(peer(receiver), target, flow.duration(), Iperf3.udpOptions(target, flow));
        return Iperf3.udpReport(o.client(), o.server(), flow.size());
    }

    @Override
    public TcpReport tcp(HostHandle receiver, InetAddress target, TcpFlow flow)
            throws ProviderException, InterruptedException {
        Outputs o = iperf3(peer(receiver), target, flow.duration(), Iperf3.tcpOptions(flow));
        return Iperf3.tcpReport(o.client(), flow.streams());
    }

    private AwsHostHandle peer(HostHandle receiver) throws ProviderException {
        if (receiver instanceof AwsHostHandle h) {
            return h;
        }
        throw new ProviderException("host " + receiver.name() + " is not an aws host");
    }

    private record Outputs(String client, String server) {}

    /**
     * iperf3 as on netns: a one-off server ({@code -s -1 -J}) on the receiver on a free port, then
     * the client here; the server's process (its pid, which it prints first) is killed if it outlives
     * the measurement.
     */
    private Outputs iperf3(AwsHostHandle receiver, InetAddress target, Duration duration, List<String> opts)
            throws ProviderException, InterruptedException {
        SshExec.Target rx = receiver.target();
        SshExec.Target tx = target();
        int port = freePort(receiver, rx);
        String server = "echo $$; exec iperf3 -s -1 -J -p " + port;
        SshExec.Running srv = ssh.start(rx, server);
        try {
            awaitListening(receiver, rx, srv, port);
            long seconds = Iperf3.seconds(duration);
            List<String> cmd = new ArrayList<>(List.of(
                    "iperf3", "-c", Addresses.format(target), "-p", Integer.toString(port), "-J", "-t", "" + seconds));
            cmd.addAll(opts);
            SshExec.Result c = ssh.run(tx, SshExec.quote(cmd), Duration.ofSeconds(seconds + 30));
            Iperf3.checkError("iperf3's client on " + name, c.out(), c.err());
            SshExec.Result s = srv.await(SERVER_WAIT);
            String json = s.out().substring(Math.max(0, s.out().indexOf('{')));
            Iperf3.checkError("iperf3's server on " + receiver.name, json, s.err());
            return new Outputs(c.out(), json);
        } finally {
            if (srv.isRunning()) {
                kill(rx, srv);
            }
            srv.close();
        }
    }

    /** A port nothing on the receiver listens on. */
    private static int freePort(AwsHostHandle h, SshExec.Target t) throws ProviderException, InterruptedException {
        String listening = h.ssh.run(t, "ss -Hltn", Duration.ofSeconds(20)).out();
        for (int i = 0; i < 20; i++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            if (!listening.contains(":" + port + " ")) {
                return port;
            }
        }
        throw new ProviderException("no free port for iperf3's server on host " + h.name);
    }

    private static void awaitListening(AwsHostHandle h, SshExec.Target t, SshExec.Running srv, int port)
            throws ProviderException, InterruptedException {
        long deadline = System.nanoTime() + SERVER_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!srv.isRunning()) {
                SshExec.Result r = srv.await(Duration.ofSeconds(1));
                throw new ProviderException("iperf3's server on host " + h.name + " ended before it listened (exit "
                        + r.exit() + "): " + (r.out() + r.err()).strip());
            }
            String ss = h.ssh.run(t, "ss -Hltn 'sport = :" + port + "'", Duration.ofSeconds(20))
                    .out();
            if (!ss.isBlank()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new ProviderException("iperf3's server on host " + h.name + " did not listen on port " + port + " within "
                + SERVER_WAIT.toSeconds() + " s");
    }

    /** Ends the server this handle started, by the pid it printed, and nothing else. */
    private void kill(SshExec.Target t, SshExec.Running srv) throws InterruptedException {
        String first = srv.out().lines().findFirst().orElse("").strip();
        if (!first.matches("\\d{1,10}")) {
            return;
        }
        try {
            ssh.run(t, "kill " + first + " 2>/dev/null", Duration.ofSeconds(20));
        } catch (ProviderException e) {
            // the session's end stops it too once it writes; nothing more to do here
        }
    }
}
