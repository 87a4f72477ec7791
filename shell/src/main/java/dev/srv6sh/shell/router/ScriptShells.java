package dev.srv6sh.shell.router;

import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.interpreter.RouterShell;
import dev.srv6sh.interpreter.RouterShells;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The router shells a script's deployment serves ({@code router r in v { ssh 127.0.0.1:2222 }}): the
 * same SSH server and router shell as {@code srv6sh router}'s, over the deployed router's agent.
 *
 * <p>Keys: the public keys of {@code $SRV6SH_AUTHORIZED_KEYS}, by default {@code
 * ~/.ssh/authorized_keys} (refused if others can write it); the host key {@code
 * $SRV6SH_HOME/routers/R/ssh_host_key}, made once and kept, so that a deployment applied again, or
 * the next session's, presents the same key. The server's events go to {@code
 * $SRV6SH_HOME/routers/R/ssh.log}, not to the REPL's terminal, where they would cut into what the
 * user types. ({@code srv6sh.home} and {@code srv6sh.authorizedKeys} system properties stand in for
 * the environment variables in tests.)
 */
public final class ScriptShells implements RouterShells {

    @Override
    public Exposed expose(String router, RouterAgent agent, Prefix locator, InetSocketAddress at) throws Exception {
        Path dir = home().resolve("routers").resolve(router);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        PrintStream log = new PrintStream(
                Files.newOutputStream(dir.resolve("ssh.log"), StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                true,
                StandardCharsets.UTF_8);
        RouterSshServer server;
        try {
            server = RouterSshServer.start(
                    new RouterSshServer.Config(
                            at.getAddress().getHostAddress(),
                            at.getPort(),
                            authorizedKeys(),
                            dir.resolve("ssh_host_key"),
                            null,
                            null,
                            dir.resolve("shell-history"),
                            line -> {
                                synchronized (log) {
                                    log.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " router " + router
                                            + ": " + line);
                                }
                            }),
                    agent,
                    ShellConsole.over(agent, new RouterShell.Options(locator, null, null, null)));
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        String how = "ssh -p " + server.port() + " " + at.getAddress().getHostAddress();
        String description =
                "router " + router + ": its shell answers on " + at.getAddress().getHostAddress() + ":" + server.port()
                        + " (" + how + "; host key " + server.hostKeyFingerprint() + ")";
        return new Exposed() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void close() {
                try {
                    server.close();
                } catch (IOException e) {
                    log.println("closing: " + e.getMessage());
                } finally {
                    log.close();
                }
            }
        };
    }

    static Path home() {
        String p = System.getProperty("srv6sh.home");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String h = System.getenv("SRV6SH_HOME");
        return h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".srv6sh");
    }

    static Path authorizedKeys() {
        String p = System.getProperty("srv6sh.authorizedKeys");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String e = System.getenv("SRV6SH_AUTHORIZED_KEYS");
        return e != null && !e.isBlank()
                ? Path.of(e)
                : Path.of(System.getProperty("user.home"), ".ssh", "authorized_keys");
    }
}
