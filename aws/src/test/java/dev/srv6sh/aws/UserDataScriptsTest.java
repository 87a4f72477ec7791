package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.netns.RouterLauncher;
import dev.srv6sh.dataplane.agent.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user-data as cloud-init reads it: parsed by PyYAML (cloud-init's own YAML library), its files
 * taken out, the scripts checked by {@code bash -n}, the environment files sourced by bash. Needs
 * python3 with PyYAML (moto_server's tests bring it): skipped without, failed without under CI.
 */
class UserDataScriptsTest {
    @TempDir
    Path dir;

    private static final String EXTRACT =
            """
            import json, sys, yaml
            text = open(sys.argv[1]).read()
            doc = yaml.safe_load(text)
            out = {"first": text.splitlines()[0], "keys": sorted(doc.keys()),
                   "ssh_authorized_keys": doc["ssh_authorized_keys"], "runcmd": doc["runcmd"], "files": {}}
            for f in doc["write_files"]:
                out["files"][f["path"]] = {"permissions": f["permissions"], "owner": f["owner"], "content": f["content"]}
            print(json.dumps(out))
            """;

    static boolean pyyaml() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import yaml")
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static void requirePyyaml() {
        if (!pyyaml()) {
            String why = "python3 with PyYAML is needed to read user-data as cloud-init does";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI=true: install python3-yaml)");
            }
            Assumptions.abort(why);
        }
    }

    private record Run(int exit, String out) {}

    private static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(String userData) throws Exception {
        Path ud = dir.resolve("user-data");
        Files.writeString(ud, userData);
        Path py = dir.resolve("extract.py");
        Files.writeString(py, EXTRACT);
        Run r = run(List.of("python3", py.toString(), ud.toString()));
        assertThat(r.exit()).as(r.out()).isZero();
        return (Map<String, Object>) JsonText.parse(r.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void routerUserDataParsesAndItsScriptsAreBash() throws Exception {
        requirePyyaml();
        CloudInitBootstrap b = new CloudInitBootstrap(dir.resolve("home"));
        Map<String, Object> doc = parse(b.routerUserData(CloudInitBootstrapTest.boot("quickstart")));
        assertThat(doc.get("first")).isEqualTo("#cloud-config");
        assertThat((List<String>) doc.get("keys")).containsExactly("runcmd", "ssh_authorized_keys", "write_files");
        assertThat((List<Object>) doc.get("ssh_authorized_keys")).containsExactly(b.publicKey("quickstart"));
        assertThat(doc.get("runcmd")).isEqualTo(List.of(List.of("/usr/local/libexec/srv6sh/bootstrap")));
        Map<String, Map<String, String>> files = (Map<String, Map<String, String>>) doc.get("files");
        assertThat(files)
                .containsOnlyKeys(
                        "/etc/srv6sh/router.env",
                        "/etc/srv6sh/fetch.env",
                        "/etc/srv6sh/authorized_keys",
                        "/usr/local/libexec/srv6sh/lib.sh",
                        "/usr/local/libexec/srv6sh/bootstrap",
                        "/usr/local/libexec/srv6sh/links",
                        "/usr/local/libexec/srv6sh/run",
                        "/etc/systemd/system/srv6sh-router.service");
        assertThat(files.get("/etc/srv6sh/fetch.env").get("permissions")).isEqualTo("0600");
        assertThat(files.get("/usr/local/libexec/srv6sh/run").get("permissions"))
                .isEqualTo("0755");
        assertThat(files.get("/etc/srv6sh/authorized_keys").get("content")).isEqualTo(b.publicKey("quickstart") + "\n");
        assertThat(files.get("/usr/local/libexec/srv6sh/bootstrap").get("content"))
                .startsWith("#!/bin/bash\n")
                .endsWith("say \"done\"\n");

        for (String script : List.of("lib.sh", "bootstrap", "links", "run")) {
            Path f = dir.resolve(script);
            Files.writeString(
                    f, files.get("/usr/local/libexec/srv6sh/" + script).get("content"));
            Run r = run(List.of("bash", "-n", f.toString()));
            assertThat(r.exit()).as(script + ": " + r.out()).isZero();
        }

        // the environment files, sourced by bash, give back exactly what was rendered
        Path env = dir.resolve("router.env");
        Files.writeString(env, files.get("/etc/srv6sh/router.env").get("content"));
        Path fetch = dir.resolve("fetch.env");
        Files.writeString(fetch, files.get("/etc/srv6sh/fetch.env").get("content"));
        Run r = run(List.of(
                "bash",
                "-c",
                ". \"$1\"; . \"$2\"; printf '%s\\n' \"$SRV6SH_ROUTER\" \"$SRV6SH_INSIDE_MAC\" \"$SRV6SH_DIST_URL\""
                        + " \"$SRV6SH_CONFIG_URL\"",
                "bash",
                env.toString(),
                fetch.toString()));
        Bootstrap.RouterBoot boot = CloudInitBootstrapTest.boot("quickstart");
        assertThat(r.out())
                .isEqualTo(String.join(
                        "\n",
                        "pr",
                        "02:1a:2b:3c:4d:02",
                        boot.distribution().toString(),
                        boot.configuration().toString(),
                        ""));

        // the run script's JVM options: one word each, as the netns backend passes them
        Path run = dir.resolve("run");
        Run words = run(List.of(
                "bash",
                "-c",
                "eval \"$(grep '^opts=' \"$1\")\"; printf '%s\\n' \"${opts[@]}\"",
                "bash",
                run.toString()));
        List<String> expected = List.of((RouterLauncher.GC + " " + RouterLauncher.JIT).split(" "));
        assertThat(words.out().strip().split("\n")).containsExactlyElementsOf(expected);
    }

    @Test
    @SuppressWarnings("unchecked")
    void hostUserDataParsesAndItsScriptIsBash() throws Exception {
        requirePyyaml();
        CloudInitBootstrap b = new CloudInitBootstrap(dir.resolve("home"));
        Map<String, Object> doc = parse(b.hostUserData(new Bootstrap.HostBoot("quickstart", "hk", "eu-west-3")));
        Map<String, Map<String, String>> files = (Map<String, Map<String, String>>) doc.get("files");
        assertThat(files).containsOnlyKeys("/usr/local/libexec/srv6sh/lib.sh", "/usr/local/libexec/srv6sh/bootstrap");
        Path f = dir.resolve("bootstrap");
        Files.writeString(f, files.get("/usr/local/libexec/srv6sh/bootstrap").get("content"));
        assertThat(Files.readString(f)).contains("host hk of stack quickstart");
        assertThat(run(List.of("bash", "-n", f.toString())).exit()).isZero();
    }

    @Test
    void devOfFindsAnInterfaceByItsMac() throws Exception {
        // loopback's MAC is all zeros on every Linux: the one interface a test can count on
        Path lib = dir.resolve("lib.sh");
        try (var in = CloudInitBootstrap.class.getResourceAsStream("cloudinit/lib.sh")) {
            Files.write(lib, in.readAllBytes());
        }
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/class/net/lo")), "no /sys/class/net/lo");
        Run r = run(List.of("bash", "-c", ". \"$1\"; dev_of 00:00:00:00:00:00", "bash", lib.toString()));
        assertThat(r.out().strip()).isEqualTo("lo");
        Run none = run(List.of("bash", "-c", ". \"$1\"; dev_of 02:00:5e:00:53:ff", "bash", lib.toString()));
        assertThat(none.exit()).isEqualTo(1);
    }
}
