package dev.srv6sh.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.Behaviors;
import dev.srv6sh.grammar.parse.Completion;
import dev.srv6sh.grammar.parse.Parser;
import org.junit.jupiter.api.Test;

class HelpTest {
    @Test
    void everyStatementOperationAndBehaviorHasATopic() {
        assertThat(Help.topics()).containsAll(Behaviors.names());
        // the words that may start an entry (statements and operations)
        for (String word : Completion.at("", 0).keywords()) {
            if (!word.equals("true") && !word.equals("false") && !word.equals("not") && !word.equals("else")) {
                assertThat(Help.topics()).as("a topic for '%s'", word).contains(word);
            }
        }
        assertThat(Help.topics()).contains("rtt", "locator", "encap", "interface", "route", "neighbor", "repl");
    }

    @Test
    void everyExampleParses() {
        for (String topic : Help.topics()) {
            if (topic.equals("repl") || topic.equals(Help.BEHAVIORS)) {
                continue; // the REPL's commands and the list of behaviors are no statements
            }
            String example = Help.all().get(topic).example();
            assertThat(example).as(topic).isNotBlank();
            assertThat(Parser.parse(topic, example).diagnostics())
                    .as("the example of %s:\n%s", topic, example)
                    .isEmpty();
        }
    }
}
