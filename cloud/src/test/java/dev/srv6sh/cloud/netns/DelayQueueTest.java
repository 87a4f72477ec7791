package dev.srv6sh.cloud.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DelayQueueTest {
    @Test
    void framesLeaveByDueTimeAndInTheOrderAddedWhenDueTogether() {
        DelayQueue q = new DelayQueue(1000);
        Random r = new Random(7);
        List<long[]> added = new ArrayList<>();
        for (int b = 0; b < 1000; b++) {
            long at = r.nextInt(50); // many ties
            assertThat(q.add(at, b, b % 4)).isTrue();
            added.add(new long[] {at, b});
        }
        assertThat(q.add(0, 1000, 0)).as("full").isFalse();
        added.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        for (long[] e : added) {
            assertThat(q.firstDue()).isEqualTo(e[0]);
            assertThat(q.firstBuffer()).isEqualTo((int) e[1]);
            assertThat(q.firstPort()).isEqualTo((int) e[1] % 4);
            q.removeFirst();
        }
        assertThat(q.isEmpty()).isTrue();
    }
}
