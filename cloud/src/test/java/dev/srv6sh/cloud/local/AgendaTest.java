package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The event heap: due time first, then the order of adding; interleaved adds and polls. */
class AgendaTest {
    private record Entry(long due, int order) {}

    @Test
    void interleavedAddsAndPollsAgreeWithAPriorityQueue() {
        Agenda agenda = new Agenda();
        PriorityQueue<Entry> reference =
                new PriorityQueue<>(Comparator.comparingLong(Entry::due).thenComparingInt(Entry::order));
        SplittableRandom random = new SplittableRandom(3);
        List<Entry> seen = new ArrayList<>();
        int added = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 100; i++) { // few distinct times: many ties
                Entry e = new Entry(random.nextLong(20), added++);
                reference.add(e);
                agenda.add(e.due(), () -> seen.add(e));
            }
            for (int i = 0; i < 60; i++) {
                agenda.poll().run();
                assertThat(seen.getLast()).isEqualTo(reference.poll());
            }
        }
        while (!agenda.isEmpty()) {
            agenda.poll().run();
            assertThat(seen.getLast()).isEqualTo(reference.poll());
        }
        assertThat(reference).isEmpty();
    }

    @Test
    void drainsInExactOrderWhenAllAreAddedFirst() {
        Agenda agenda = new Agenda();
        SplittableRandom random = new SplittableRandom(5);
        List<Entry> expected = new ArrayList<>();
        List<Entry> seen = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            Entry e = new Entry(random.nextLong(300), i);
            expected.add(e);
            agenda.add(e.due(), () -> seen.add(e));
        }
        assertThat(agenda.size()).isEqualTo(5_000);
        while (!agenda.isEmpty()) {
            agenda.poll().run();
        }
        expected.sort(Comparator.comparingLong(Entry::due).thenComparingInt(Entry::order));
        assertThat(seen).isEqualTo(expected);
    }
}
