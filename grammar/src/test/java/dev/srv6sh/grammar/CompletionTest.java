package dev.srv6sh.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.grammar.parse.Completion;
import dev.srv6sh.grammar.parse.Completion.Slot;
import dev.srv6sh.grammar.parse.Tokens;
import dev.srv6sh.grammar.parse.Tokens.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionTest {
    private static Completion.Result at(String text) {
        return Completion.at(text, text.length());
    }

    @Test
    void statementKeywordsAtTheStartOfAnEntry() {
        Completion.Result r = at("");
        assertThat(r.keywords()).contains("region", "router", "ping", "let", "plan", "apply", "import");
        assertThat(r.slots()).contains(Slot.NAME);
    }

    @Test
    void aBehaviorAfterSidAndItsArgumentsAfterTheBehavior() {
        assertThat(at("sid dx4 ").slots()).containsExactly(Slot.BEHAVIOR);
        assertThat(at("sid dx4 ").keywords()).containsExactly("at");
        assertThat(at("sid dx4 End.DX4 ").slots()).containsExactly(Slot.ARGUMENT);
        assertThat(at("sid dx4 End.DX4 ").keywords()).contains("on");
        assertThat(at("policy p ").slots()).containsExactly(Slot.POLICY_MODE);
        assertThat(at("router r in v {\n  sid a End\n  sid b ").slots()).containsExactly(Slot.BEHAVIOR);
    }

    @Test
    void routerItemsInsideARouterBlock() {
        Completion.Result r = at("router pr in pv {\n  ");
        assertThat(r.keywords()).contains("locator", "sid", "policy", "steer", "route", "interface");
        assertThat(r.keywords()).doesNotContain("region", "ping");
    }

    @Test
    void namesWhereAValueGoesAndOnlyTheKeywordsThatFit() {
        Completion.Result r = at("host pc in ");
        assertThat(r.slots()).contains(Slot.NAME);
        assertThat(r.keywords()).doesNotContain("region", "router", "sid");
        assertThat(at("ping pc -> lc ").keywords()).doesNotContain("router");
        assertThat(at("region ").slots()).isEmpty();
        assertThat(at("let r = ping pc -> lc\nprint ").slots()).contains(Slot.NAME);
    }

    @Test
    void aMemberAfterADot() {
        assertThat(at("print lr.").slots()).contains(Slot.MEMBER);
    }

    @Test
    void highlightingClassesFromTheLexer() {
        String line = "sid dx4 End.DX4 nh 10.0.0.1 # to pc\nlet t = 9.4ms; print \"x\" $";
        List<Tokens.Token> ts = Tokens.of(line);
        assertThat(ts.stream().map(t -> t.kind() + ":" + line.substring(t.start(), t.end())))
                .containsExactly(
                        "KEYWORD:sid",
                        "NAME:dx4",
                        "BEHAVIOR:End.DX4",
                        "NAME:nh",
                        "ADDRESS:10.0.0.1",
                        "COMMENT:# to pc",
                        "PUNCTUATION:\n",
                        "KEYWORD:let",
                        "NAME:t",
                        "PUNCTUATION:=",
                        "QUANTITY:9.4ms",
                        "PUNCTUATION:;",
                        "KEYWORD:print",
                        "STRING:\"x\"",
                        "ERROR:$");
        assertThat(Tokens.of("r.rtt.mean").stream().map(Tokens.Token::kind))
                .containsExactly(Kind.NAME, Kind.PUNCTUATION, Kind.NAME, Kind.PUNCTUATION, Kind.NAME);
        // offsets are chars: after a character outside the BMP (two chars, one code point) they still fit
        String emoji = "print \"\uD83D\uDE80 ok\" # \uD83D\uDE80\nlet x = 5us";
        assertThat(Tokens.of(emoji).stream().map(t -> t.kind() + ":" + emoji.substring(t.start(), t.end())))
                .contains("STRING:\"\uD83D\uDE80 ok\"", "COMMENT:# \uD83D\uDE80", "QUANTITY:5us");
    }
}
