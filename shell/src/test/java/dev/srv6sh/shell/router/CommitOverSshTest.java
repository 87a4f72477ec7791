package dev.srv6sh.shell.router;

import static dev.srv6sh.shell.router.RouterSshServerTest.collect;
import static dev.srv6sh.shell.router.RouterSshServerTest.type;
import static dev.srv6sh.shell.router.RouterSshServerTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.agent.AgentConformance;
import dev.srv6sh.dataplane.agent.CommitInfo;
import dev.srv6sh.dataplane.agent.EngineAgent;
import dev.srv6sh.dataplane.agent.EngineHost;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.interpreter.RouterShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit model as an operator meets it: OpenSSH's client on the router shell of an agent that
 * keeps real (wall-clock) time, so a {@code commit confirmed 3s} nobody confirms is undone by itself.
 */
class CommitOverSshTest {
    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    static Path alice;
    static Path bob;

    private Engine engine;
    private EngineAgent agent;
    private RouterSshServer server;
    private OpenSsh ssh;

    @BeforeAll
    static void keys() throws Exception {
        OpenSsh.requireInstalled();
        alice = OpenSsh.keygen(keys, "alice", "ed25519", 0);
        bob = OpenSsh.keygen(keys, "bob", "ecdsa", 256);
    }

    @BeforeEach
    void start() throws Exception {
        Path home = Files.createDirectory(
                dir.resolve("home"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path authorized = home.resolve("authorized_keys");
        Files.writeString(
                authorized, Files.readString(Path.of(alice + ".pub")) + Files.readString(Path.of(bob + ".pub")));
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        engine = new Engine("r1", Clock.SYSTEM, MemoryPort.FACTORY);
        agent = new EngineAgent("r1", engine, EngineHost.direct(), EngineAgent.Settings.DEFAULT);
        agent.install("setup", AgentConformance.BASE, "base");
        server = RouterSshServer.start(
                RouterSshServer.Config.loopback(0, dir.resolve("state/ssh_host_key"))
                        .withAuthorizedKeys(authorized)
                        .withLog(l -> {}),
                agent,
                ShellConsole.over(
                        agent,
                        new RouterShell.Options(Prefix.parse("2001:db8:f::/48"), dir, Duration.ofMillis(100), null)));
        ssh = new OpenSsh(dir, server.port(), server.hostKey());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        agent.close();
        engine.close();
    }

    private OpenSsh.Result exec(Path key, String user, String line) throws Exception {
        return ssh.ssh(user, List.of(key), List.of(), null, line);
    }

    @Test
    void candidateDiffCommitWithCommentHistoryAndRollback() throws Exception {
        Process p = ssh.start("alice", List.of(alice), List.of("-tt"));
        StringBuffer out = collect(p.getInputStream());
        waitFor(out, "r1# ");
        type(p.getOutputStream(), "sid dx4 at 2001:db8:f::10 End.DX4 nh 192.0.2.10\n");
        waitFor(out, "r1*# ");
        // the candidate is this session's: nothing runs yet
        assertThat(exec(alice, "alice", "show sids").out()).doesNotContain("dx4");
        type(p.getOutputStream(), "show diff\n");
        waitFor(out, "+ sid dx4 at 2001:db8:f::10 End.DX4 nh 192.0.2.10");
        type(p.getOutputStream(), "commit comment \"dx4 for the clients\"\n");
        waitFor(out, "commit 2 (generation 2): + sid dx4");
        type(p.getOutputStream(), "exit\n");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        OpenSsh.Result commits = exec(alice, "alice", "show commits");
        assertThat(commits.status()).as(commits.err()).isZero();
        assertThat(commits.out()).containsPattern("2 +alice .* committed +\\+ sid dx4 +\"dx4 for the clients\"");
        assertThat(exec(alice, "alice", "show sids").out()).contains("dx4");

        OpenSsh.Result back = exec(alice, "alice", "rollback 1");
        assertThat(back.status()).as(back.err()).isZero();
        assertThat(back.out()).contains("commit 3 (generation 3): - sid dx4");
        assertThat(exec(alice, "alice", "show sids").out()).doesNotContain("dx4");
    }

    @Test
    void anUnconfirmedCommitConfirmedIsUndoneByItselfAndAConfirmedOneStays() throws Exception {
        OpenSsh.Result c = exec(alice, "alice", "sid e1 at 2001:db8:f::1 End; commit confirmed 3s comment \"try\"");
        assertThat(c.status()).as(c.err()).isZero();
        assertThat(c.out()).contains("confirm before");
        assertThat(exec(alice, "alice", "show sids").out()).contains("e1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (exec(alice, "alice", "show sids").out().contains("e1")) {
            assertThat(System.nanoTime())
                    .as("commit confirmed 3s still in force after 30 s")
                    .isLessThan(deadline);
            Thread.sleep(250);
        }
        assertThat(agent.commits().get(1).status()).isEqualTo(CommitInfo.ROLLED_BACK);
        assertThat(exec(alice, "alice", "show commits").out()).contains("rolled-back", "was not confirmed");

        // confirmed in time (by another session of the same operator), it stays
        OpenSsh.Result again = exec(alice, "alice", "sid e2 at 2001:db8:f::2 End; commit confirmed 30s");
        assertThat(again.status()).as(again.err()).isZero();
        OpenSsh.Result confirm = exec(alice, "alice", "confirm");
        assertThat(confirm.status()).as(confirm.err()).isZero();
        assertThat(agent.commits().getFirst().status()).isEqualTo(CommitInfo.COMMITTED);
        assertThat(exec(alice, "alice", "show sids").out()).contains("e2");
    }

    @Test
    void twoSessionsEditingDifferentSidsBothLandAndAConflictIsRefusedNamingTheItem() throws Exception {
        Process a = ssh.start("alice", List.of(alice), List.of("-tt"));
        StringBuffer outA = collect(a.getInputStream());
        Process b = ssh.start("bob", List.of(bob), List.of("-tt"));
        StringBuffer outB = collect(b.getInputStream());
        waitFor(outA, "r1# ");
        waitFor(outB, "r1# ");
        type(a.getOutputStream(), "sid a1 at 2001:db8:f::a1 End\n");
        type(b.getOutputStream(), "sid b1 at 2001:db8:f::b1 End\n");
        waitFor(outA, "r1*# ");
        waitFor(outB, "r1*# ");
        type(a.getOutputStream(), "commit comment \"alice's\"\n");
        waitFor(outA, "commit 2 (generation 2): + sid a1");
        type(b.getOutputStream(), "commit comment \"bob's\"\n");
        waitFor(outB, "commit 3 (generation 3): + sid b1");
        assertThat(exec(alice, "alice", "show sids").out()).contains("a1", "b1");

        // both now change a1: the one that commits second was editing a1 as it was, and is refused
        type(a.getOutputStream(), "sid a1 at 2001:db8:f::a1 End flavors psp\n");
        type(b.getOutputStream(), "no sid a1\n");
        // the second edited prompt of each (the first is still in the output): both edits are made
        // before either commits, so bob started editing a1 as it was before alice's commit
        waitForTimes(outA, "r1*# ", 2);
        waitForTimes(outB, "r1*# ", 2);
        type(a.getOutputStream(), "commit\n");
        waitFor(outA, "commit 4 (generation 4): ~ sid a1");
        type(b.getOutputStream(), "commit\n");
        waitFor(outB, "sid a1 was changed by commit 4 (alice) since this session started editing");
        type(a.getOutputStream(), "exit\n");
        type(b.getOutputStream(), "discard\nexit\n");
        assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(exec(bob, "bob", "show sids").out()).contains("a1", "b1");
    }

    /** Waits (at most a minute) until the output shows {@code text} {@code times} times. */
    private static void waitForTimes(StringBuffer out, String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (out.toString().split(java.util.regex.Pattern.quote(text), -1).length - 1 < times) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + times + " times '" + text + "' in: " + out);
            }
            Thread.sleep(20);
        }
    }
}
