package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every example in scripts/ is also a test: it checks, is formatted, and runs to exit 0 on the local backend. */
class ScriptsTest {
    /** Parameters that keep the long measurement campaigns short in the suite. */
    static final Map<String, List<String>> QUICK =
            Map.of("campaign.srv6", List.of("--param", "duration=1s", "--param", "pings=3"));

    @TempDir
    Path out;

    @TestFactory
    Stream<DynamicTest> everyScriptRuns() throws IOException {
        Path dir = Cli.root().resolve("scripts");
        var files = Files.list(dir)
                .filter(p -> p.toString().endsWith(".srv6"))
                .sorted()
                .toList();
        assertThat(files).isNotEmpty();
        return files.stream()
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                    Cli check = Cli.run("check", f.toString());
                    assertThat(check.exit()).as(check.err()).isZero();
                    Cli fmt = Cli.run("fmt", "--check", f.toString());
                    assertThat(fmt.exit()).as(fmt.out()).isZero();
                    if (QUICK.containsKey(f.getFileName().toString())) {
                        return; // runs, and is looked at, in its own test below
                    }
                    List<String> args = new ArrayList<>(List.of("run", f.toString(), "--dir", out.toString()));
                    Cli run = Cli.run(args.toArray(String[]::new));
                    assertThat(run.exit()).as(run.out() + run.err()).isZero();
                }));
    }

    @Test
    void theCampaignWritesOneRowPerDestinationAndItsCharts() throws IOException {
        Path dir = out.resolve("campaign");
        List<String> args = new ArrayList<>(
                List.of("run", Cli.root().resolve("scripts/campaign.srv6").toString(), "--dir", dir.toString()));
        args.addAll(QUICK.get("campaign.srv6"));
        Cli run = Cli.run(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("campaign.csv"));
        assertThat(csv.getFirst()).isEqualTo("region,rtt_ms,ci95_ms,direct_ms,overhead_ms,hoplimit,udp_Mbps");
        assertThat(csv.subList(1, csv.size()))
                .extracting(l -> l.substring(0, l.indexOf(',')))
                .containsExactly("london", "ireland", "oregon", "saopaulo", "tokyo", "sydney");
        // the far destinations' RTT is the emulated one, give or take the routers
        String tokyo = csv.get(5);
        double rtt = Double.parseDouble(tokyo.split(",")[1]);
        assertThat(rtt).isBetween(225.934, 225.934 * 1.05);
        assertThat(tokyo.split(",")[5]).isEqualTo("62");
        assertThat(Files.readString(dir.resolve("rtt.svg"))).contains("<title>RTT from Paris</title>");
        assertThat(Files.readString(dir.resolve("overhead.svg"))).contains("<title>SRv6 router overhead</title>");
    }

    /**
     * The specification's §7 examples are in scripts/ verbatim (they run above): quickstart, campaign
     * and chain were copied from it unchanged, and their digests, taken then, keep them so. A script
     * edited on purpose is a change to the specification's examples and needs the spec changed too.
     */
    static final Map<String, String> SPEC_EXAMPLES = Map.of(
            "quickstart.srv6", "9721b63775b5541226c854176bf67ddaf3244cbf8262cc45f2152f0e62fbd7f1",
            "campaign.srv6", "7d54294f10132865cb1e9c87af1ec701b2790365e5047ea97514d306d1ad55d5",
            "chain.srv6", "4416ad987c032ba08c28d257fda98ea5eb9c4ba906dd5b8b51a752582230e4dc");

    @TestFactory
    Stream<DynamicTest> theSpecificationsExamplesAreVerbatim() {
        return SPEC_EXAMPLES.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    byte[] text =
                            Files.readAllBytes(Cli.root().resolve("scripts").resolve(e.getKey()));
                    String digest = java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(text));
                    assertThat(digest)
                            .as("scripts/%s is the specification's example, unchanged", e.getKey())
                            .isEqualTo(e.getValue());
                }));
    }
}
