package dev.srv6sh.shell.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.agent.AgentConformance;
import dev.srv6sh.dataplane.agent.EngineFixture;
import dev.srv6sh.dataplane.agent.RouterAgent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The router's SSH server as a user meets it: OpenSSH's own client against it, on loopback. */
@Timeout(180)
class RouterSshServerTest {
    @TempDir
    static Path keys;

    static Path alice; // ed25519, listed
    static Path ecdsa; // listed
    static Path rsa; // 3072 bits, listed
    static Path weak; // RSA 2048, listed, and still refused
    static Path stranger; // ed25519, not listed
    static Path stranger2;
    static Path stranger3;

    @TempDir
    Path dir;

    /** The FIB line of AgentConformance.BASE's IPv4 default route, as the router shell's show fib prints it. */
    static final String DEFAULT_ROUTE =
            "0.0.0.0/0                                    forward out transit to 02:00:00:00:01:99";

    /** Router shells whose trace waits long enough for a Ctrl-C to come while it waits. */
    static final dev.srv6sh.interpreter.RouterShell.Options SHELL =
            new dev.srv6sh.interpreter.RouterShell.Options(null, null, Duration.ofSeconds(120), null);

    private Path authorized;
    private Path hostKey;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private EngineFixture router;
    private RouterAgent agent;
    private final CountDownLatch traceStarted = new CountDownLatch(1);
    private RouterSshServer server;
    private OpenSsh ssh;

    @BeforeAll
    static void keys() throws Exception {
        OpenSsh.requireInstalled();
        alice = OpenSsh.keygen(keys, "alice", "ed25519", 0);
        ecdsa = OpenSsh.keygen(keys, "ecdsa", "ecdsa", 256);
        rsa = OpenSsh.keygen(keys, "rsa", "rsa", 3072);
        weak = OpenSsh.keygen(keys, "weak", "rsa", 2048);
        stranger = OpenSsh.keygen(keys, "stranger", "ed25519", 0);
        stranger2 = OpenSsh.keygen(keys, "stranger2", "ed25519", 0);
        stranger3 = OpenSsh.keygen(keys, "stranger3", "ed25519", 0);
    }

    @BeforeEach
    void start() throws Exception {
        Path home = Files.createDirectory(
                dir.resolve("home"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        authorized = home.resolve("authorized_keys");
        StringBuilder listed = new StringBuilder("# the router's administrators\n");
        for (Path k : List.of(alice, ecdsa, rsa, weak)) {
            listed.append(Files.readString(Path.of(k + ".pub")));
        }
        Files.writeString(authorized, listed);
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        hostKey = dir.resolve("state/ssh_host_key");
        router = new EngineFixture(null);
        RouterAgent engine = router.engineAgent();
        String setup = engine.openSession("setup");
        engine.edit(setup, AgentConformance.BASE);
        engine.commit(setup, "base", null);
        engine.closeSession(setup);
        agent = noticingTraces(engine, traceStarted);
        server = RouterSshServer.start(config(), agent, ShellConsole.over(agent, SHELL));
        ssh = new OpenSsh(dir, server.port(), server.hostKey());
    }

    private RouterSshServer.Config config() {
        return RouterSshServer.Config.loopback(0, hostKey)
                .withAuthorizedKeys(authorized)
                .withHistoryDir(dir.resolve("state/history"))
                .withLog(log::add);
    }

    /** {@code agent}, counting {@code started} down as a trace begins (so Ctrl-C comes while it waits). */
    private static RouterAgent noticingTraces(RouterAgent agent, CountDownLatch started) {
        return (RouterAgent) Proxy.newProxyInstance(
                RouterAgent.class.getClassLoader(), new Class<?>[] {RouterAgent.class}, (proxy, method, args) -> {
                    if (method.getName().equals("trace")) {
                        started.countDown();
                    }
                    try {
                        return method.invoke(agent, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            router.close();
        }
    }

    @Test
    void execRunsOneCommandWithEachKindOfListedKey() throws Exception {
        for (Path key : List.of(alice, ecdsa, rsa)) {
            OpenSsh.Result r = ssh.ssh("alice", List.of(key), List.of(), null, "show fib");
            assertThat(r.status()).as(key + ": " + r.err()).isZero();
            assertThat(r.out()).contains(DEFAULT_ROUTE + "\n");
        }
        assertThat(log)
                .anyMatch(l -> l.startsWith("ssh: alice from /127.0.0.1:")
                        && l.contains("logged in with ssh-ed25519 SHA256:"));
    }

    @Test
    void execReturnsTheCommandsExitStatus() throws Exception {
        OpenSsh.Result usage = ssh.ssh("alice", List.of(alice), List.of(), null, "show nothing");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).contains("error: cannot show 'nothing'");
        OpenSsh.Result failed = ssh.ssh("alice", List.of(alice), List.of(), null, "rollback 9");
        assertThat(failed.status()).as(failed.err()).isEqualTo(1);
        assertThat(failed.err()).contains("rollback takes 1 to");
        OpenSsh.Result unknown = ssh.ssh("alice", List.of(alice), List.of(), null, "frobnicate", "now");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'frobnicate'");
        assertThat(log).anyMatch(l -> l.endsWith("exec 'show nothing' ended (exit 2)"));
    }

    @Test
    void anUnlistedKeyIsRefusedAndLoggedWithItsFingerprint() throws Exception {
        OpenSsh.Result r = ssh.ssh("alice", List.of(stranger), List.of(), null, "show fib");
        assertThat(r.status()).isEqualTo(255);
        assertThat(r.err()).contains("Permission denied (publickey)");
        assertThat(r.out()).isEmpty();
        String fp = OpenSsh.fingerprint(stranger);
        assertThat(log)
                .anyMatch(l -> l.contains("refused ssh-ed25519 " + fp + " for alice from /127.0.0.1:")
                        && l.endsWith("not in " + authorized));
    }

    @Test
    void aListedKeyWhoseLineRestrictsItIsRefusedAndFromIsHonoured() throws Exception {
        String strangerLine = Files.readString(Path.of(stranger + ".pub")).strip();
        String aliceLine = Files.readString(Path.of(alice + ".pub")).strip();
        Files.writeString(
                authorized,
                "command=\"/usr/bin/rsync --server\",no-pty " + strangerLine + "\n" + "from=\"127.0.0.1\" " + aliceLine
                        + "\n");
        OpenSsh.Result r = ssh.ssh("alice", List.of(stranger), List.of(), null, "show fib");
        assertThat(r.status()).isEqualTo(255);
        assertThat(r.out()).isEmpty();
        String fp = OpenSsh.fingerprint(stranger);
        assertThat(log)
                .anyMatch(l -> l.contains("refused ssh-ed25519 " + fp) && l.contains("restricts it (command, no-pty)"));
        OpenSsh.Result ok = ssh.ssh("alice", List.of(alice), List.of(), null, "show fib");
        assertThat(ok.status()).as(ok.err()).isZero();
    }

    @Test
    void anRsaKeyShorterThan3072BitsIsRefusedEvenWhenListed() throws Exception {
        OpenSsh.Result r = ssh.ssh("alice", List.of(weak), List.of(), null, "show fib");
        assertThat(r.status()).isEqualTo(255);
        String fp = OpenSsh.fingerprint(weak);
        assertThat(log)
                .anyMatch(l -> l.contains("refused ssh-rsa " + fp)
                        && l.endsWith("an RSA key of 2048 bits (at least 3072 are needed)"));
    }

    @Test
    void passwordAndKeyboardInteractiveAreNeitherOfferedNorAccepted() throws Exception {
        for (String method : List.of("password", "keyboard-interactive")) {
            OpenSsh.Result r = ssh.ssh(
                    "alice",
                    List.of(alice),
                    List.of("-v", "-o", "PreferredAuthentications=" + method),
                    null,
                    "show fib");
            assertThat(r.status()).as(method).isEqualTo(255);
            assertThat(r.err())
                    .contains("Authentications that can continue: publickey\r\n", "Permission denied (publickey)");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void atMostThreeKeysAreTriedPerConnectionAsOpenSshsMaxAuthTries() throws Exception {
        OpenSsh.Result third = ssh.ssh("alice", List.of(stranger, stranger2, alice), List.of(), null, "show fib");
        assertThat(third.status()).as(third.err()).isZero();
        OpenSsh.Result fourth =
                ssh.ssh("alice", List.of(stranger, stranger2, stranger3, alice), List.of(), null, "show fib");
        assertThat(fourth.status()).isEqualTo(255);
        assertThat(fourth.out()).isEmpty();
        assertThat(fourth.err()).containsAnyOf("Too many authentication failures", "Permission denied");
    }

    @Test
    void itListensOnLoopbackOnly() throws Exception {
        assertThat(server.addresses()).isNotEmpty().allMatch(a -> a.getAddress().isLoopbackAddress());
        InetAddress outside = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst()
                .orElse(null);
        if (outside != null) {
            assertThatThrownBy(() -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(outside, server.port()), 5_000);
                        }
                    })
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aConnectionThatDoesNotLogInAndASessionLeftIdleAreClosed() throws Exception {
        server.close();
        server = RouterSshServer.start(
                config().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)),
                agent,
                ShellConsole.over(agent, SHELL));
        ssh = new OpenSsh(dir, server.port(), server.hostKey());
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(60_000);
            InputStream in = s.getInputStream();
            byte[] ident = new byte[256];
            assertThat(in.read(ident)).isPositive(); // the server's identification, then nothing from us
            while (in.read(ident) >= 0) {
                // until the server gives up on the login
            }
        }
        Process idle = ssh.start("alice", List.of(alice), List.of("-tt"));
        waitFor(collect(idle.getInputStream()), "r1# ");
        assertThat(idle.waitFor(60, TimeUnit.SECONDS))
                .as("closed while idle at the prompt")
                .isTrue();
    }

    @Test
    void theHostKeyIsPrivateMadeOnceAndKeptAcrossRestarts() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hostKey)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hostKey.getParent())))
                .isEqualTo("rwx------");
        String fingerprint = server.hostKeyFingerprint();
        assertThat(log).anyMatch(l -> l.startsWith("ssh: generated host key " + hostKey));
        assertThat(log)
                .anyMatch(l -> l.startsWith("ssh: listening on [/127.0.0.1:" + server.port()
                        + "], host key ecdsa-sha2-nistp256 " + fingerprint));
        byte[] bytes = Files.readAllBytes(hostKey);
        server.close();
        log.clear();
        server = RouterSshServer.start(config(), agent, ShellConsole.over(agent, SHELL));
        assertThat(server.hostKeyFingerprint()).isEqualTo(fingerprint);
        assertThat(Files.readAllBytes(hostKey)).isEqualTo(bytes);
        assertThat(log).noneMatch(l -> l.contains("generated"));
        // the known-hosts entry written for the first server still holds
        ssh = new OpenSsh(dir, server.port(), server.hostKey());
        assertThat(ssh.ssh("alice", List.of(alice), List.of(), null, "show fib").status())
                .isZero();
    }

    @Test
    void aHostKeyThatCannotBeReadIsRefusedNeverReplaced() throws Exception {
        server.close();
        server = null;
        Files.writeString(hostKey, "-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n");
        byte[] corrupt = Files.readAllBytes(hostKey);
        assertThatThrownBy(() -> RouterSshServer.start(config(), agent, ShellConsole.over(agent, SHELL)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot read the host key " + hostKey)
                .hasMessageContaining("it is not replaced");
        assertThat(Files.readAllBytes(hostKey)).isEqualTo(corrupt);

        Files.setPosixFilePermissions(hostKey, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> RouterSshServer.start(config(), agent, ShellConsole.over(agent, SHELL)))
                .isInstanceOf(IOException.class)
                .hasMessage("the host key " + hostKey + " is accessible by others (rw-r--r--): chmod 600 " + hostKey);
    }

    @Test
    void anAuthorizedKeysFileOthersCanWriteIsRefusedAtStart() throws Exception {
        server.close();
        server = null;
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-rw----"));
        assertThatThrownBy(() -> RouterSshServer.start(config(), agent, ShellConsole.over(agent, SHELL)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(
                        "the authorized keys file " + authorized + " is writable by its group (rw-rw----)");
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(authorized.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> RouterSshServer.start(config(), agent, ShellConsole.over(agent, SHELL)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("the directory of the authorized keys file " + authorized.getParent()
                        + " is writable by anyone");
        Files.setPosixFilePermissions(authorized.getParent(), PosixFilePermissions.fromString("rwx------"));
        Files.delete(authorized);
        assertThatThrownBy(() -> RouterSshServer.start(config(), agent, ShellConsole.over(agent, SHELL)))
                .isInstanceOf(IOException.class)
                .hasMessage("the authorized keys file " + authorized + " does not exist");
    }

    @Test
    void aKeyFileMadeWritableWhileRunningStopsLogins() throws Exception {
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-rw-rw-"));
        OpenSsh.Result r = ssh.ssh("alice", List.of(alice), List.of(), null, "show fib");
        assertThat(r.status()).isEqualTo(255);
        assertThat(log).anyMatch(l -> l.contains("refused ssh-ed25519") && l.contains("is writable by anyone"));
    }

    @Test
    void aPtySessionReachesThePromptRunsACommandAndExits() throws Exception {
        OpenSsh.Result r = ssh.ssh("alice", List.of(alice), List.of("-tt"), "show fib\nexit\n");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("srv6sh router shell", "r1# ", DEFAULT_ROUTE + "\r\n");
        assertThat(dir.resolve("state/history/alice")).content().contains("show fib");
    }

    @Test
    void ctrlCInterruptsTheCommandNotTheSession() throws Exception {
        Process p = ssh.start("alice", List.of(alice), List.of("-tt"));
        StringBuffer out = collect(p.getInputStream());
        OutputStream in = p.getOutputStream();
        waitFor(out, "r1# ");
        type(in, "trace 1\n");
        assertThat(traceStarted.await(30, TimeUnit.SECONDS)).isTrue();
        type(in, "\u0003");
        waitFor(out, "interrupted");
        type(in, "show fib\n");
        waitFor(out, DEFAULT_ROUTE);
        type(in, "exit\n");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void withoutAPtyTheShellReadsLinesAndStopsAtTheFirstFailure() throws Exception {
        OpenSsh.Result r = ssh.ssh("alice", List.of(alice), List.of("-T"), "show fib\n\nshow nothing\nshow fib\n");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).contains(DEFAULT_ROUTE + "\n").doesNotContain("error");
        assertThat(r.err()).contains("error: cannot show 'nothing'");
        OpenSsh.Result none = ssh.ssh("alice", List.of(alice), List.of("-T"), "");
        assertThat(none.status()).isZero();
    }

    @Test
    void severalSessionsAtOnce() throws Exception {
        Process first = ssh.start("alice", List.of(alice), List.of("-tt"));
        StringBuffer out = collect(first.getInputStream());
        waitFor(out, "r1# ");
        Process second = ssh.start("bob", List.of(ecdsa), List.of("-tt"));
        StringBuffer out2 = collect(second.getInputStream());
        waitFor(out2, "r1# ");
        OpenSsh.Result exec = ssh.ssh("carol", List.of(rsa), List.of(), null, "show fib");
        assertThat(exec.status()).isZero();
        type(first.getOutputStream(), "show fib\nexit\n");
        type(second.getOutputStream(), "exit\n");
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.toString()).contains(DEFAULT_ROUTE);
        assertThat(first.exitValue()).isZero();
        assertThat(second.exitValue()).isZero();
    }

    @Test
    void aClientThatVanishesMidSessionLeavesTheServerServing() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            Process prompt = ssh.start("alice", List.of(alice), List.of("-tt"));
            waitFor(collect(prompt.getInputStream()), "r1# ");
            prompt.destroyForcibly().waitFor();
            Process tracing = ssh.start("alice", List.of(alice), List.of("-tt"));
            type(tracing.getOutputStream(), "trace 1\n");
            assertThat(traceStarted.await(30, TimeUnit.SECONDS)).isTrue();
            tracing.destroyForcibly().waitFor();
            Process subsystem = ssh.start("alice", List.of(alice), List.of("-s"), "srv6sh-agent");
            subsystem.getOutputStream().write(new byte[] {0, 0, 0, 100, '{'}); // half a frame, then gone
            subsystem.getOutputStream().flush();
            Thread.sleep(200);
            subsystem.destroyForcibly().waitFor();
            OpenSsh.Result after = ssh.ssh("alice", List.of(alice), List.of(), null, "show fib");
            assertThat(after.status()).isZero();
            assertThat(log).noneMatch(l -> l.contains("failed"));
            assertThat(uncaught).isEmpty();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void theAgentSubsystemSpeaksTheProtocolToOpenSsh() throws Exception {
        byte[] request = "{\"id\":7,\"op\":\"fib\",\"args\":[]}".getBytes(StandardCharsets.UTF_8);
        Process p = ssh.start("alice", List.of(alice), List.of("-s"), "srv6sh-agent");
        try (OutputStream in = p.getOutputStream()) {
            in.write(java.nio.ByteBuffer.allocate(4).putInt(request.length).array());
            in.write(request);
        }
        byte[] reply = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(new String(reply, 4, reply.length - 4, StandardCharsets.UTF_8))
                .startsWith("{\"id\":7,\"ok\":true,\"value\":[{\"table\":0,")
                .contains("\"prefix\":\"0.0.0.0/0\"");
    }

    static StringBuffer collect(InputStream s) {
        StringBuffer sb = new StringBuffer();
        Thread.ofVirtual().start(() -> {
            byte[] b = new byte[4096];
            try {
                for (int n; (n = s.read(b)) > 0; ) {
                    sb.append(new String(b, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // ended
            }
        });
        return sb;
    }

    static void type(OutputStream in, String text) throws IOException {
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits (at most a minute, for a loaded machine) until the output shows {@code text}. */
    static void waitFor(StringBuffer out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!out.toString().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in: " + out);
            }
            Thread.sleep(20);
        }
    }
}
