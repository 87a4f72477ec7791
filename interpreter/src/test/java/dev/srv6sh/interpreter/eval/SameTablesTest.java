package dev.srv6sh.interpreter.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.Providers;
import dev.srv6sh.grammar.parse.Parser;
import dev.srv6sh.interpreter.RouterShell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A script's show and the router shell's print one router's records the same way ({@link RouterTables}). */
class SameTablesTest {
    @Test
    void theReplAndTheRouterShellRenderTheSameRecords() throws Exception {
        String script =
                """
                region paris aws "eu-west-3"
                vpc pv in paris { cidr 198.51.100.0/24 }
                host pc in pv { ip 198.51.100.10 }
                router pr in pv {
                  locator 2001:db8:0:1:1::/80
                  sid dx4 End.DX4 nh pc
                  policy out encap [2001:db8:0:2:1::d4]
                  steer 203.0.113.0/24 -> out
                }
                apply auto
                show sids pr
                show policies pr
                show steering pr
                show fib pr
                show neighbors pr
                """;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Evaluator ev = new Evaluator(
                false,
                Map.of(),
                () -> Providers.create("local", Providers.DEFAULT_SEED),
                new dev.srv6sh.interpreter.render.TextRenderer(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        try {
            ev.run(Parser.parse("t.srv6", script).program(), script);
            String printed = bytes.toString(StandardCharsets.UTF_8);
            try (RouterShell shell =
                    new RouterShell(ev.ops().deployed().router("pr").agent(), "alice", RouterShell.Options.of(null))) {
                for (String view : new String[] {"sids", "policies", "steering", "fib", "neighbors"}) {
                    RouterShell.Result r = shell.execute("show " + view);
                    assertThat(r.exitCode()).isZero();
                    assertThat(r.out()).isNotBlank();
                    assertThat(printed).contains("router pr:\n" + r.out().indent(2));
                }
            }
        } finally {
            ev.close();
        }
    }
}
