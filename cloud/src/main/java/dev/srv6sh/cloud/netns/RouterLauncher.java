package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.ProviderException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts {@code srv6sh router} in a router's namespace: the same srv6sh as the
 * one applying, run by the same {@code java}. Under the launcher ({@code ./srv6sh}) that is the module
 * path of {@code shell/target} ({@code jdk.module.path}); under a test runner, the class path. {@code
 * SRV6SH_ROUTER_JAVA_OPTS} adds JVM options (default: the serial collector and a 256 MiB heap, which
 * a router's data plane, off-heap, does not need more of).
 */
final class RouterLauncher {
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

    /** {@code ip netns exec NS java ... Main}: srv6sh in {@code ns}, before its command's arguments. */
    private static List<String> srv6sh(String ns) throws ProviderException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElseThrow(() -> new ProviderException("cannot tell which java runs srv6sh, to start its routers"));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java));
        String opts = System.getenv("SRV6SH_ROUTER_JAVA_OPTS");
        cmd.addAll(
                List.of((opts == null || opts.isBlank() ? "-XX:+UseSerialGC -Xmx256m" : opts.strip()).split("\\s+")));
        String modulePath = System.getProperty("jdk.module.path");
        boolean modular = RouterLauncher.class.getModule().isNamed() && modulePath != null && !modulePath.isBlank();
        if (modular) {
            cmd.addAll(List.of(
                    // the data plane's FFM calls, and Netty's JNI library (the udp driver) loaded by io.netty.common
                    "--enable-native-access=srv6sh.dataplane,io.netty.common",
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
