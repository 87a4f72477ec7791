package dev.srv6sh.grammar.parse;

import static org.assertj.core.api.Assertions.assertThat;

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
            })
    void complete(String text) {
        assertThat(Parser.isComplete(text)).as(text).isTrue();
    }
}
