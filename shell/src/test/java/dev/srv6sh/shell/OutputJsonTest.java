package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run --output json: stdout is one JSON object per operation result, read back here; the text is on stderr. */
class OutputJsonTest {

    /** Every stdout line parsed; a line that is not one JSON object fails the test. */
    private static List<Map<String, Object>> lines(Cli r) {
        return r.out()
                .lines()
                .map(l -> {
                    Object o = dev.srv6sh.dataplane.agent.JsonText.parse(l);
                    assertThat(o).as(l).isInstanceOf(Map.class);
                    return map(o);
                })
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    /** A quantity: {"value": x, "unit": u}; returns x after checking the unit. */
    private static double qty(Object o, String unit) {
        assertThat(map(o).get("unit")).isEqualTo(unit);
        return (Double) map(o).get("value");
    }

    @Test
    void everyKindOfResultIsOneLineOfJsonInScriptOrder() {
        Cli r = Cli.run("run", Cli.resource("output/results.srv6"), "--output", "json");
        assertThat(r.exit()).as(r.err()).isEqualTo(1); // the expect fails on purpose
        List<Map<String, Object>> lines = lines(r);
        assertThat(lines)
                .<Object>extracting(m -> m.get("op"))
                .containsExactly(
                        "plan",
                        "apply",
                        "ping",
                        "measure rtt",
                        "measure throughput",
                        "print",
                        "expect",
                        "destroy",
                        "exit");

        Map<String, Object> plan = lines.get(0);
        assertThat(plan.get("backend")).isEqualTo("local");
        assertThat(plan.get("add")).isEqualTo(8.0);
        assertThat(plan.get("change")).isEqualTo(0.0);
        assertThat(map(((List<?>) plan.get("changes")).getFirst()))
                .containsEntry("action", "create")
                .containsEntry("symbol", "+")
                .containsEntry("kind", "region")
                .containsEntry("name", "paris");
        assertThat(lines.get(1)).containsEntry("op", "apply").containsEntry("routers", 2.0);

        Map<String, Object> ping = lines.get(2);
        assertThat(ping).containsEntry("from", "pc").containsEntry("to", "lc").containsEntry("direct", false);
        Map<String, Object> pr = map(ping.get("result"));
        assertThat(pr).containsEntry("sent", 3.0).containsEntry("received", 3.0).containsEntry("hoplimit", 62.0);
        assertThat(qty(pr.get("loss"), "%")).isZero();
        // Paris-London is 9.4 ms on the emulated link: seconds, not milliseconds
        assertThat(qty(map(pr.get("rtt")).get("mean"), "s")).isBetween(0.009, 0.1);

        Map<String, Object> rtt = map(lines.get(3).get("result"));
        assertThat(rtt.get("count")).isEqualTo(3.0);
        assertThat((List<?>) rtt.get("samples")).hasSize(3).allSatisfy(s -> assertThat(qty(s, "s"))
                .isBetween(0.009, 0.1));
        assertThat(qty(rtt.get("min"), "s")).isLessThanOrEqualTo(qty(rtt.get("max"), "s"));

        Map<String, Object> tp = lines.get(4);
        assertThat(tp).containsEntry("proto", "udp");
        Map<String, Object> tr = map(tp.get("result"));
        // in virtual time, exactly: 178 datagrams of 11,200 bits fit in 200 ms at 10 Mbit/s, all arrive
        assertThat(qty(tr.get("duration"), "s")).isEqualTo(0.2);
        assertThat(qty(tr.get("rate"), "bps")).isEqualTo(178 * 11_200 / 0.2);
        assertThat(qty(tr.get("bytes"), "B")).isPositive();
        assertThat(qty(tr.get("jitter"), "s")).isNotNegative();

        assertThat(map(lines.get(5).get("value")))
                .containsEntry("pairs", List.of("pc", "lc"))
                .containsEntry("addr", "10.11.1.10")
                .containsEntry("loss", Map.of("value", 0.0, "unit", "%"));

        Map<String, Object> expect = lines.get(6);
        assertThat(expect)
                .containsEntry("passed", false)
                .containsEntry("line", 31.0)
                .containsEntry("column", 1.0)
                .containsEntry("condition", "rtt.mean < 1ms")
                .containsEntry("right", Map.of("value", 0.001, "unit", "s"))
                .containsEntry("message", "no real link is that fast");
        assertThat((String) expect.get("file")).endsWith("results.srv6");
        assertThat(qty(expect.get("left"), "s")).isEqualTo(qty(rtt.get("mean"), "s"));
        assertThat(lines.get(7)).containsEntry("backend", "local");
        assertThat(lines.get(8))
                .containsEntry("code", 1.0)
                .containsEntry("failed_expects", 1.0)
                .containsEntry("errors", List.of());

        // the human-readable text is all on stderr: the plan, show tables, progress, the expect message
        assertThat(r.err())
                .contains("Plan: 8 to add, 0 to change, 0 to destroy.")
                .contains("Apply complete:")
                .contains("ping pc -> lc: 3/3 replies")
                .contains("expect failed: rtt.mean < 1ms")
                .contains("End.DX4")
                .contains("Destroy complete.");
    }

    @Test
    void textStaysTheDefaultAndABadFormatIsAUsageError() {
        Cli text = Cli.run("run", Cli.resource("exit/expect-failed.srv6"));
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.out()).contains("expect failed: r.rtt.mean < 1ms").doesNotContain("{\"op\"");

        Cli json = Cli.run("run", Cli.resource("exit/expect-failed.srv6"), "--output", "json");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(lines(json)).<Object>extracting(m -> m.get("op")).containsExactly("apply", "ping", "expect", "exit");
        assertThat(json.err()).contains("expect failed: r.rtt.mean < 1ms");

        Cli bad = Cli.run("run", Cli.resource("exit/expect-failed.srv6"), "--output", "yaml");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--output").contains("text, json");
        assertThat(bad.out()).isEmpty();
    }

    @Test
    void aScriptThatDoesNotCheckWritesOnlyItsExitLine() {
        String file = Cli.resource("exit/unknown-router.srv6");
        Cli r = Cli.run("run", file, "--output", "json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown router 'lrr'");
        assertThat(lines(r)).singleElement().satisfies(exit -> {
            assertThat(exit)
                    .containsEntry("op", "exit")
                    .containsEntry("code", 2.0)
                    .containsEntry("failed_expects", 0.0);
            assertThat((List<?>) exit.get("errors"))
                    .singleElement()
                    .isEqualTo(Map.of(
                            "kind",
                            "script",
                            "message",
                            "unknown router 'lrr'",
                            "file",
                            file,
                            "line",
                            15.0,
                            "column",
                            27.0,
                            "notes",
                            List.of("did you mean 'lr'?")));
        });
    }

    @Test
    void aRuntimeErrorIsTheLastLine() {
        String file = Cli.resource("exit/runtime-error.srv6");
        Cli r = Cli.run("run", file, "--output", "json");
        assertThat(r.exit()).isEqualTo(3);
        List<Map<String, Object>> lines = lines(r);
        Map<String, Object> exit = lines.getLast();
        assertThat(exit).containsEntry("op", "exit").containsEntry("code", 3.0);
        assertThat(map(((List<?>) exit.get("errors")).getFirst()))
                .containsEntry("kind", "runtime")
                .containsEntry("message", "nothing is deployed yet: 'ping' needs an 'apply' before it")
                .containsEntry("file", file)
                .containsEntry("line", 6.0)
                .containsEntry("column", 9.0);
        // a --param that names no param is a check error of the command line: no line, no column
        Cli param = Cli.run("run", file, "--output", "json", "--param", "nope=1");
        assertThat(param.exit()).isEqualTo(2);
        assertThat(map(((List<?>) lines(param).getLast().get("errors")).getFirst()))
                .containsEntry("kind", "script")
                .containsEntry("file", "--param")
                .containsEntry("line", null)
                .containsEntry("column", null);
    }

    @Test
    void aRunThatSucceedsEndsWithExitZero(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("two.srv6"), "print 1 + 1\n");
        Cli r = Cli.run("run", f.toString(), "--output", "json");
        assertThat(r.exit()).isZero();
        assertThat(lines(r))
                .containsExactly(
                        Map.of("op", "print", "value", 2.0),
                        Map.of("op", "exit", "code", 0.0, "failed_expects", 0.0, "errors", List.of()));
    }
}
