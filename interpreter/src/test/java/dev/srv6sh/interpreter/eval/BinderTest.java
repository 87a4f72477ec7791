package dev.srv6sh.interpreter.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BinderTest {
    @Test
    void functionHashIsStableAndNeverZero() {
        assertThat(Binder.fnv16("sid dx4")).isEqualTo(Binder.fnv16("sid dx4"));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int f = Binder.fnv16("sid s" + i);
            assertThat(f).isBetween(1, 0xffff);
            seen.add(f);
        }
        // 2000 names in 65535 slots: a handful of collisions at most, never a degenerate hash
        assertThat(seen.size()).isGreaterThan(1950);
    }
}
