package dev.srv6sh.shell;

import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Interpreter;
import dev.srv6sh.interpreter.RouterShell;
import dev.srv6sh.shell.daemon.RouterDaemon;
import dev.srv6sh.shell.router.RouterSshServer;
import dev.srv6sh.shell.router.ShellConsole;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "router",
        mixinStandardHelpOptions = true,
        description = {
            "Run one router of a script as a long-lived process: its data plane, its configuration"
                    + " store (candidate, commit, commit confirmed, rollback, history kept in --state)"
                    + " and, with --ssh, its SSH server: the router shell (a PTY or one command per exec)"
                    + " and the srv6sh-agent subsystem the backends manage it through.",
            "The script's configuration of the router is the first commit; once the state directory"
                    + " holds a history, the router starts from its last running configuration (what was"
                    + " committed over SSH survives a restart).",
            "One line per event goes to standard error. SIGTERM (or Ctrl-C) stops it cleanly.",
            "SSH: public keys only, from --authorized-keys (refused if others can write it); the host key"
                    + " is made once in --host-key (0600) and never replaced; loopback unless --ssh says"
                    + " otherwise (docs/router.md)."
        },
        footer = {
            "",
            "Example:",
            "  srv6sh router --config scripts/quickstart.srv6 --name pr --ssh 127.0.0.1:2222",
            "  ssh -p 2222 127.0.0.1 'show sids'",
            "",
            "Exit codes: 0 stopped by SIGINT; 143 by SIGTERM; 2 the script does not check, no such router, or a wrong"
                    + " option; 3 the router could not start (its state, a key file, the address) or its data plane stopped."
        })
final class RouterCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description =
                    "the .srv6 script, or a backend's FILE.json (a RouterBoot: the router's first configuration and locator)")
    Path file;

    @Option(names = "--name", required = true, paramLabel = "R", description = "the router of the script to run")
    String name;

    @Option(
            names = "--ssh",
            paramLabel = "HOST:PORT",
            description = "serve the router shell and the agent over SSH there (port 0: any free port)")
    String ssh;

    @Option(
            names = "--authorized-keys",
            paramLabel = "FILE",
            description = "the public keys that may log in (default: ~/.ssh/authorized_keys)")
    Path authorizedKeys;

    @Option(
            names = "--host-key",
            paramLabel = "FILE",
            description = "the router's SSH host key, made there if missing (default: STATE/ssh_host_key)")
    Path hostKey;

    @Option(
            names = "--state",
            paramLabel = "DIR",
            description = "where the commit history and shell histories are kept"
                    + " (default: $SRV6SH_HOME/routers/R, SRV6SH_HOME being ~/.srv6sh by default)")
    Path state;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "override a script 'param' (repeatable)")
    List<String> params = new ArrayList<>();

    @Option(
            names = "--workers",
            paramLabel = "N",
            defaultValue = "1",
            description = "data plane threads, each an engine with its own sockets on the router's af_packet"
                    + " devices, the kernel keeping each flow on one (PACKET_FANOUT); 1 to "
                    + dev.srv6sh.dataplane.port.linux.Fanout.MAX_WORKERS
                    + ", default 1 (docs/performance.md, \"Workers\")")
    int workers = 1;

    @Option(
            names = "--cpus",
            paramLabel = "LIST",
            description = "pin the data plane threads to these CPUs (2, 1,3 or 2-3), worker k to the k-th,"
                    + " as VPP's corelist-workers: a real-time data plane thread woken by a frame otherwise runs"
                    + " on the CPU that produced it (docs/router.md)")
    String cpus;

    @Option(
            names = "--no-warmup",
            description = "serve at once, without first compiling the forwarding path"
                    + " (the first thousands of packets are then slower by tens of microseconds each)")
    boolean noWarmup;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (workers < 1 || workers > dev.srv6sh.dataplane.port.linux.Fanout.MAX_WORKERS) {
            err.println("srv6sh: --workers takes 1 to " + dev.srv6sh.dataplane.port.linux.Fanout.MAX_WORKERS
                    + " data plane threads, not " + workers);
            return ExitCode.SCRIPT_ERROR;
        }
        List<Integer> cpuList = List.of();
        if (cpus != null) {
            try {
                cpuList = dev.srv6sh.dataplane.port.linux.ThreadAffinity.parse(cpus);
            } catch (IllegalArgumentException e) {
                err.println("srv6sh: --cpus: " + e.getMessage());
                return ExitCode.SCRIPT_ERROR;
            }
        }
        String text = ScriptFiles.read(file, err);
        Map<String, String> p = ScriptFiles.params(params, err);
        if (text == null || p == null) {
            return ExitCode.SCRIPT_ERROR;
        }
        String[] endpoint = ssh == null ? null : endpoint(ssh, err);
        if (ssh != null && endpoint == null) {
            return ExitCode.SCRIPT_ERROR;
        }
        Interpreter.RouterConfig.Lowered lowered;
        if (file.getFileName().toString().endsWith(".json")) {
            lowered = fromJson(text, err);
            if (lowered == null) {
                return ExitCode.SCRIPT_ERROR;
            }
        } else {
            switch (Interpreter.routerConfig(file.toString(), text, p, name)) {
                case Interpreter.RouterConfig.Lowered l -> lowered = l;
                case Interpreter.RouterConfig.Failed f -> {
                    err.println(f.message());
                    return f.exitCode();
                }
            }
        }
        Path dir = state != null ? state : home().resolve("routers").resolve(name);
        try {
            ownerOnly(dir);
        } catch (IOException | RuntimeException e) {
            err.println("srv6sh: router " + name + ": cannot use " + dir + " for its state: " + e.getMessage());
            return ExitCode.RUNTIME_ERROR;
        }
        err.flush();
        PrintStream log = System.err;
        RouterDaemon daemon;
        CountDownLatch stop = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            daemon = new RouterDaemon(
                    name,
                    lowered.config(),
                    dir.resolve("history"),
                    file.toString(),
                    log,
                    () -> {
                        failed.set(true);
                        stop.countDown();
                    },
                    workers,
                    cpuList);
        } catch (AgentException e) {
            log.println("srv6sh: router " + name + " could not start: " + e.getMessage());
            return ExitCode.RUNTIME_ERROR;
        }
        if (!noWarmup) {
            // before SSH is served, so that the deployment's first packet already takes the compiled path
            try {
                daemon.log("warm-up: " + dev.srv6sh.dataplane.agent.Warmup.run().summary());
            } catch (RuntimeException e) { // an optimisation: the router serves without it
                daemon.log("warm-up failed, serving without it (please report it): " + e);
            }
        }
        RouterSshServer server = null;
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM, SIGINT: the JVM halts once its hooks return, so the hook waits for the clean stop
        Thread hook = new Thread(() -> {
            daemon.log("stopping (signal)");
            stop.countDown();
            try {
                stopped.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (endpoint != null) {
                RouterSshServer.Config c = new RouterSshServer.Config(
                        endpoint[0],
                        Integer.parseInt(endpoint[1]),
                        authorizedKeys != null
                                ? authorizedKeys
                                : Path.of(System.getProperty("user.home"), ".ssh", "authorized_keys"),
                        hostKey != null ? hostKey : dir.resolve("ssh_host_key"),
                        null,
                        null,
                        dir.resolve("shell-history"),
                        line -> daemon.log(line));
                server = RouterSshServer.start(
                        c,
                        daemon.agent(),
                        ShellConsole.over(
                                daemon.agent(), new RouterShell.Options(lowered.locator(), null, null, null)));
            } else {
                daemon.log("no --ssh: managed by nobody but its script (add --ssh HOST:PORT for the router shell)");
            }
            daemon.log("running (pid " + ProcessHandle.current().pid() + ")");
            stop.await();
            return failed.get() ? ExitCode.RUNTIME_ERROR : ExitCode.OK;
        } catch (IOException | RuntimeException e) {
            daemon.log("could not start its SSH server: " + e.getMessage());
            return ExitCode.RUNTIME_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.OK;
        } finally {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException e) {
                    daemon.log("closing the SSH server: " + e.getMessage());
                }
            }
            daemon.close();
            daemon.log("stopped");
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook ran
            }
        }
    }

    /**
     * A configuration as the backends write it for the routers they start ({@code FILE.json}: a
     * {@link dev.srv6sh.dataplane.agent.RouterBoot} in the agent's JSON encoding), or null after
     * saying what is wrong with it. Its router must be {@code --name}.
     */
    private Interpreter.RouterConfig.Lowered fromJson(String text, PrintWriter err) {
        dev.srv6sh.dataplane.agent.RouterBoot b;
        try {
            b = dev.srv6sh.dataplane.agent.AgentJson.read(text, dev.srv6sh.dataplane.agent.RouterBoot.class);
        } catch (IllegalArgumentException e) {
            err.println("srv6sh: router: " + file + " is not a router configuration: " + e.getMessage());
            return null;
        }
        if (b == null || b.config() == null) {
            err.println("srv6sh: router: " + file + " has no \"config\"");
            return null;
        }
        if (!name.equals(b.config().router())) {
            err.println("srv6sh: router: " + file + " configures router '"
                    + b.config().router() + "', not '" + name + "'");
            return null;
        }
        return new Interpreter.RouterConfig.Lowered(b.config(), b.locator());
    }

    /** HOST:PORT, or null after saying what is wrong with it. */
    static String[] endpoint(String text, PrintWriter err) {
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        String port = colon >= 0 ? text.substring(colon + 1) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int n;
        try {
            n = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (host.isEmpty() || n < 0 || n > 65535) {
            err.println("srv6sh: --ssh takes HOST:PORT (such as 127.0.0.1:2222; port 0 for any free one), not '" + text
                    + "'");
            return null;
        }
        return new String[] {host, Integer.toString(n)};
    }

    private static Path home() {
        String h = System.getenv("SRV6SH_HOME");
        return h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".srv6sh");
    }

    /** Makes {@code dir} if missing, readable by its owner only (the history holds the network's configuration). */
    private static void ownerOnly(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
