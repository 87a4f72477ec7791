package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.ProviderException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts {@code srv6sh router} in a router's namespace: the same srv6sh as the
 * one applying, run by the same {@code java}. Under the launcher ({@code ./srv6sh}) that is the module
 * path of {@code shell/target} ({@code jdk.module.path}); under a test runner, the class path. {@code
 * SRV6SH_ROUTER_JAVA_OPTS} replaces the JVM options: by default ZGC ({@link #GC}) and a 256 MiB heap,
 * which a router's data plane, off-heap, does not need more of, and C2 compiling the data plane's
 * methods (the engine, its ports, the daemon's poller, the link daemon) after a twentieth of the usual
 * invocation counts, so that paths a router takes rarely (a ping a second, the ports' offload work)
 * leave the interpreter after hundreds of packets instead of thousands; the daemon's warm-up
 * compiles the common behaviors before it serves. Only those packages: the same scaling for the
 * whole JVM compiled start-up code too and cost a router 4.3 s of CPU to start instead of 2.4 s
 * (measured on a loaded two-core machine; seven routers start at once in the campaign).
 *
 * <p>Both daemons' data plane threads put themselves in the real-time class ({@code SCHED_FIFO} 1,
 * {@code ThreadNice}; nice -10 where that is refused), above the machine's other work and their own
 * process's (the JIT's compiler threads, which compile what the first packets made hot, the SSH
 * server): they stand for network devices, whose latency a busy machine should not add to. Measured
 * on two loaded cores (load 1.8), a ping through the quickstart's two routers averaged 10.7 to 11.9
 * ms with the whole daemons at nice 0 and 10.1 to 10.2 ms at nice -10, for the table's 9.435 ms; at
 * load 3.1, nice -10 still let single echoes reach 20 to 54 ms, and SCHED_FIFO held the 99th
 * percentile at 10.3 ms ({@code ThreadNice} has the figures). The hosts' ping and iperf3 run at nice
 * {@value #NICE} ({@link NetnsHost}, {@link Iperf3}); ping takes its times from the kernel's receive
 * timestamps, so its own wake-up is not in them.
 *
 * <p>The JVM options are public: the aws backend's bootstrap starts its routers with the same ones.
 */
public final class RouterLauncher {
    /**
     * ZGC, whose pauses are under a millisecond: with the serial collector, a router's young
     * collections in its first seconds (the warm-up's and the SSH sessions' garbage) stopped its data
     * plane thread for 10-80 ms, and a full one for the metaspace for 47 ms, which a campaign's ping
     * right after apply caught (67 ms for an echo of 10). ZGC costs about 0.15 s more CPU to start
     * and 12 MB more resident (190 against 178 MB), measured here.
     */
    public static final String GC = "-XX:+UseZGC -Xmx256m";

    public static final String JIT = "-XX:CompileCommand=quiet"
            + " -XX:CompileCommand=CompileThresholdScaling,dev.srv6sh.dataplane.*::*,0.05"
            + " -XX:CompileCommand=CompileThresholdScaling,dev.srv6sh.cloud.netns.*::*,0.05"
            + " -XX:CompileCommand=CompileThresholdScaling,dev.srv6sh.shell.daemon.*::*,0.05";

    public static final int NICE = -10;

    /**
     * The native access a router's modules need: the data plane's FFM calls, and Netty's JNI library
     * (the udp driver) loaded by io.netty.common. The aws bootstrap starts its routers with the same.
     */
    public static final String NATIVE_ACCESS = "srv6sh.dataplane,io.netty.common";

    private RouterLauncher() {}

    static List<String> command(String ns, Path config, String name, String ssh, Path keys, Path hostKey, Path state)
            throws ProviderException {
        List<String> cmd = srv6sh(ns);
        cmd.addAll(List.of(
                "router",
                "--config",
                config.toString(),
                "--name",
                name,
                "--ssh",
                ssh,
                "--authorized-keys",
                keys.toString(),
                "--host-key",
                hostKey.toString(),
                "--state",
                state.toString()));
        return cmd;
    }

    /** The command line that starts {@code srv6sh links --config CONFIG} in {@code ns} (the same way). */
    static List<String> links(String ns, Path config) throws ProviderException {
        List<String> cmd = srv6sh(ns);
        cmd.addAll(List.of("links", "--config", config.toString()));
        return cmd;
    }

    /**
     * {@code ip netns exec NS java ... Main}: srv6sh in {@code ns}, before its command's arguments,
     * with the routers' JVM options. Public for {@code srv6sh bench --wire}, whose router must run as
     * the netns backend's do for its figures to be theirs.
     */
    public static List<String> srv6sh(String ns) throws ProviderException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElseThrow(() -> new ProviderException("cannot tell which java runs srv6sh, to start its routers"));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java));
        String opts = System.getenv("SRV6SH_ROUTER_JAVA_OPTS");
        cmd.addAll(List.of((opts == null || opts.isBlank() ? GC + " " + JIT : opts.strip()).split("\\s+")));
        String modulePath = System.getProperty("jdk.module.path");
        boolean modular = RouterLauncher.class.getModule().isNamed() && modulePath != null && !modulePath.isBlank();
        if (modular) {
            cmd.addAll(List.of(
                    "--enable-native-access=" + NATIVE_ACCESS,
                    "--module-path",
                    modulePath,
                    "-m",
                    "srv6sh.shell/dev.srv6sh.shell.Main"));
        } else {
            cmd.addAll(List.of(
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.srv6sh.shell.Main"));
        }
        return cmd;
    }
}
