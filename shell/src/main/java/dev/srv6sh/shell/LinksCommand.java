package dev.srv6sh.shell;

import dev.srv6sh.cloud.netns.LinkDaemon;
import dev.srv6sh.cloud.netns.LinksConfig;
import dev.srv6sh.dataplane.port.PortException;
import dev.srv6sh.dataplane.port.linux.ErrnoException;
import dev.srv6sh.interpreter.ExitCode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code srv6sh links}: the netns backend's links between regions, a daemon the provider starts ({@link LinkDaemon}). */
@Command(
        name = "links",
        mixinStandardHelpOptions = true,
        description = {
            "Run the netns backend's links between regions: each VPC's uplink, cut in two, passes through"
                    + " this process, which delays a frame for another VPC by half the two regions' RTT"
                    + " (the local backend's table and jitter) and passes everything else at once.",
            "The netns provider starts it in the deployment's PREFIX-links namespace with a FILE.json it"
                    + " writes; it is not meant to be run by hand (docs/netns.md).",
            "One line per event goes to standard error. SIGTERM (or Ctrl-C) stops it cleanly."
        },
        footer = {
            "",
            "Example (the netns provider runs it so, in the namespace s6e6cd-links):",
            "  srv6sh links --config ~/.srv6sh/netns/s6e6cd/links.json",
            "",
            "Exit codes: 0 stopped by a signal; 2 the configuration cannot be read; 3 a device cannot be opened."
        })
final class LinksCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "the wires and delays, as the netns provider writes them (links.json)")
    Path file;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LinksConfig config;
        try {
            config = LinksConfig.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            err.println("srv6sh links: cannot read " + file + ": " + e.getMessage());
            return ExitCode.SCRIPT_ERROR;
        } catch (IllegalArgumentException e) {
            err.println("srv6sh links: " + file + ": " + e.getMessage());
            return ExitCode.SCRIPT_ERROR;
        }
        err.flush();
        PrintStream log = System.err;
        LinkDaemon daemon;
        try {
            daemon = LinkDaemon.open(config, log);
        } catch (PortException | ErrnoException e) {
            log.println("srv6sh links: could not start: " + e.getMessage());
            return ExitCode.RUNTIME_ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM, SIGINT: the JVM halts once its hooks return, so the hook waits for the clean stop
        Thread hook = new Thread(() -> {
            daemon.log("stopping (signal)");
            daemon.stop();
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            daemon.log("running (pid " + ProcessHandle.current().pid() + ")");
            daemon.run();
            return ExitCode.OK;
        } finally {
            daemon.close();
            daemon.log("stopped");
            stopped.countDown();
        }
    }
}
