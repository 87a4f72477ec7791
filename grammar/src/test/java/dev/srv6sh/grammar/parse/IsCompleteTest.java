package dev.srv6sh.grammar.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.internal.Brackets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The REPL keeps reading lines while {@link Parser#isComplete} is false. */
class IsCompleteTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "router pr in pv {",
                "router pr in pv {\n  locator auto\n",
                "let xs = [1, 2",
                "print len(xs",
                "let m = {a: 1,",
                "let x = 1 +",
                "let x = 1 +\n",
                "let r = ping pc ->",
                "steer lv ->\n",
                "let x = 1 and",
                "print \"abc",
                "print \"abc ${x",
                "if x {\n print x\n} else {",
                "fn f(a,",
                "let x =",
                // inside a block, whatever the lines so far would say on their own
                "router pr in pv {\n  locator auto\n  sid d End.DX4 nh pc",
                "router pr in pv {\n  sid d End.DX4 nh pc\n",
                "router pr in pv {\n  sid d End.DX4 nh",
                "router pr in pv {\n  print 1 +* 2\n  sid",
                "router pr in pv {\n  policy p encap [lr.dx4]\n  steer lv ->",
                "vpc pv in paris {\n  cidr 10.11.0.0/16",
                "for x in [1, 2] {\n  print x",
                "if 1 > 2 {\n  print 1\n} else {\n  print 2",
                "fn f(x) {\n  return 2 * x",
                "let m = {\n  paris: \"eu-west-3\",\n  london: \"eu-west-2\"",
                "router pr in pv {\n  interface inside {\n    mtu 1500\n  }",
                "router pr in pv {\n  policy w encap {\n    [2001:db8::1] weight 3",
                "router pr in pv {\n  host \"abc\n",
            })
    void incomplete(String text) {
        assertThat(Parser.isComplete(text)).as(text).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   \n\n# only a comment\n",
                "apply auto",
                "let r = ping pc -> lc count 10",
                "router pr in pv { locator auto }",
                "vpc pv in paris { cidr 10.11.0.0/16 }\n",
                "print \"abc\"",
                // real errors: the user must see them now, not type more
                "print )",
                "let r = ping pc lc",
                "let a = 2001:db8:::1",
                "print \"abc\nprint 1",
                "let x = 1 ]",
                "router pr in pv { locator auto ) ",
                // a closing bracket that closes nothing, or another kind, is an error now
                "}",
                "router pr in pv {\n  locator auto\n}\n}",
                "let xs = [1, 2)",
                "for x in [1, 2] {\n  print (x]",
                // a finished block is evaluated, and its errors reported, at once
                "router pr in pv {\n  sid d End.DX4 nh\n}",
                "router pr in pv {\n  locator auto\n  sid d End.DX4 nh pc\n}",
                "if 1 > 2 {\n  print 1\n} else {\n  print 2\n}",
                // brackets in strings and comments do not count
                "print \"{[(\" # {",
            })
    void complete(String text) {
        assertThat(Parser.isComplete(text)).as(text).isTrue();
    }

    /** Every example script, typed line by line: the lines before a block's last are never complete. */
    @ParameterizedTest
    @ValueSource(strings = {"quickstart", "campaign", "router_items", "maps_blocks", "structure"})
    void aBlockStaysOpenUntilItsClosingBrace(String name) throws IOException {
        String text = Files.readString(Path.of("src/test/resources/golden", name + ".srv6"));
        StringBuilder entry = new StringBuilder();
        int blocks = 0;
        for (String line : text.lines().toList()) {
            entry.append(line);
            boolean complete = Parser.isComplete(entry.toString());
            if (Brackets.of(entry.toString()) == Brackets.State.OPEN) {
                assertThat(complete).as("%s: %s", name, entry).isFalse();
                entry.append('\n');
            } else if (complete) {
                if (entry.indexOf("\n") >= 0) {
                    blocks++;
                }
                assertThat(Parser.parse(name, entry.toString()).diagnostics())
                        .as(entry.toString())
                        .isEmpty();
                entry.setLength(0);
            } else {
                entry.append('\n'); // a trailing operator or comma
            }
        }
        assertThat(entry.toString()).isBlank();
        assertThat(blocks).isPositive();
    }
}
