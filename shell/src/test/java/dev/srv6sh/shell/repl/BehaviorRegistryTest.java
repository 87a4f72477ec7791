package dev.srv6sh.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.Behaviors;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.interpreter.Interpreter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.junit.jupiter.api.Test;

/**
 * The language and the REPL know a behavior from its spec alone: every behavior of the registry is
 * checked by it (its example passes, a needed argument left out is named), completed from it (its
 * name after {@code sid NAME}, its parameters after the name) and explained from it ({@code :help}).
 * With the data plane's BehaviorsTest and DocsTest, this is what holds a new behavior's spec whole.
 */
class BehaviorRegistryTest {
    /** What the behaviors' examples name: a host pc and a policy to_london of router pr. */
    private static final String TOPOLOGY =
            """
            region paris aws "eu-west-3"
            vpc pv in paris { cidr 10.11.0.0/16 }
            host pc in pv
            router pr in pv {
              locator auto
              policy to_london encap [2001:db8::1]
              %s
            }
            """;

    private static List<String> check(String sid) {
        return Interpreter.check("t.srv6", TOPOLOGY.formatted(sid), Map.of()).stream()
                .map(Diagnostic::message)
                .toList();
    }

    @Test
    void everyExampleChecksAndEveryNeededArgumentIsAskedFor() {
        for (BehaviorSpec b : Behaviors.all()) {
            assertThat(check(b.example())).as(b.example()).isEmpty();
            List<String> words = Arrays.asList(b.example().split(" "));
            for (BehaviorSpec.Param p : b.params()) {
                int at = words.indexOf(p.key());
                if (p.required()) {
                    List<String> without = new ArrayList<>(words);
                    without.subList(at, at + 2).clear();
                    assertThat(check(String.join(" ", without)))
                            .as(b.name() + " without " + p.key())
                            .singleElement()
                            .asString()
                            .startsWith(b.name() + " needs '" + p.key() + "'");
                }
            }
            assertThat(check(b.example() + " bogus 1"))
                    .singleElement()
                    .asString()
                    .startsWith(b.name() + " takes no argument 'bogus'; it takes "
                            + String.join(
                                    ", ",
                                    b.params().stream()
                                            .map(BehaviorSpec.Param::key)
                                            .toList()));
            b.aliases().forEach(a -> assertThat(check(b.example().replace(b.name(), a)))
                    .isEmpty());
            // each flavor is taken or refused as the spec says, before the data plane would refuse it
            if (b.param("flavors") != null) {
                String needed = needed(b);
                for (Flavor f : Flavor.values()) {
                    List<String> found = check(needed + " flavors " + BehaviorSpec.word(f));
                    if (b.flavors().contains(f)) {
                        assertThat(found).as(b.name() + " " + f).isEmpty();
                    } else {
                        assertThat(found)
                                .containsExactly(b.name() + " does not take " + BehaviorSpec.word(f) + "; it takes "
                                        + String.join(", ", b.flavorWords()));
                    }
                }
                assertThat(check(needed + " flavors pps"))
                        .containsExactly(
                                "unknown flavor 'pps'; " + b.name() + " takes " + String.join(", ", b.flavorWords()));
            }
        }
        assertThat(check("sid d End.DX5 nh pc")).containsExactly("unknown behavior 'End.DX5'");
    }

    /** The behavior's example with only the arguments it needs. */
    private static String needed(BehaviorSpec b) {
        List<String> words = Arrays.asList(b.example().split(" "));
        StringBuilder sb = new StringBuilder(String.join(" ", words.subList(0, 3)));
        for (int k = 3; k + 1 < words.size(); k += 2) {
            if (b.param(words.get(k)).required()) {
                sb.append(' ').append(words.get(k)).append(' ').append(words.get(k + 1));
            }
        }
        return sb.toString();
    }

    @Test
    void completionOffersEveryBehaviorAndThenItsParameters() {
        assertThat(complete("sid x ")).containsAll(Behaviors.names());
        for (BehaviorSpec b : Behaviors.all()) {
            assertThat(complete("sid x " + b.name() + " "))
                    .as(b.name())
                    .containsAll(
                            b.params().stream().map(BehaviorSpec.Param::key).toList());
        }
    }

    @Test
    void helpExplainsEveryBehaviorFromItsSpec() {
        String list = Help.text(Help.BEHAVIORS);
        for (BehaviorSpec b : Behaviors.all()) {
            assertThat(list).contains(b.name(), b.summary(), b.reference());
            String topic = Help.text(b.name());
            assertThat(topic)
                    .startsWith(
                            b.name() + ": " + b.summary() + " (" + b.reference() + ")\n  " + b.example() + " on pr\n");
            b.params().forEach(p -> assertThat(topic).contains(p.key(), p.help()));
        }
        assertThat(Help.text("End.B6.Insert")).contains("also written End.B6");
    }

    /** The candidates the REPL offers for the word the line ends with (none started: after a space). */
    private static List<String> complete(String line) {
        List<Candidate> out = new ArrayList<>();
        new ReplCompleter(() -> null).complete(null, new Line(line), out);
        return out.stream().map(Candidate::value).toList();
    }

    /** A line with the cursor at its end and an empty word there. */
    private record Line(String line) implements ParsedLine {
        @Override
        public String word() {
            return "";
        }

        @Override
        public int wordCursor() {
            return 0;
        }

        @Override
        public int wordIndex() {
            return words().size();
        }

        @Override
        public List<String> words() {
            return List.of(line.split(" "));
        }

        @Override
        public int cursor() {
            return line.length();
        }
    }
}
