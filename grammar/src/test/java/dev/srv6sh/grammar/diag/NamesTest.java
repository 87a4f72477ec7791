package dev.srv6sh.grammar.diag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void suggestsTheClosestName() {
        assertThat(Names.suggest("lrr", List.of("pr", "lr"))).containsExactly("did you mean 'lr'?");
        assertThat(Names.suggest("End.DX5", List.of("End.DX4", "End.DX6", "End.DT4")))
                .containsExactly("did you mean 'End.DX4' or 'End.DX6'?");
        assertThat(Names.suggest("End.DX44", List.of("End.DX4", "End.DX6"))).containsExactly("did you mean 'End.DX4'?");
        assertThat(Names.suggest("to_londn", List.of("to_london"))).containsExactly("did you mean 'to_london'?");
    }

    @Test
    void saysNothingWhenNothingIsClose() {
        assertThat(Names.suggest("zebra", List.of("pr", "lr"))).isEmpty();
        assertThat(Names.suggest("x", List.of())).isEmpty();
    }

    @Test
    void transpositionCountsOnce() {
        assertThat(Names.distance("pr", "rp")).isEqualTo(1);
        assertThat(Names.distance("kitten", "sitting")).isEqualTo(3);
    }
}
