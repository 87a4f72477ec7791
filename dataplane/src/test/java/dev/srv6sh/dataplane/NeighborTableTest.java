package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The open-addressing table against a map: random inserts, finds and removals (with the backward
 * shift that replaces tombstones) agree, clustered keys included; eviction picks FAILED, then the
 * oldest STALE entry, and never one that holds packets.
 */
class NeighborTableTest {
    @Test
    void insertsFindsAndRemovalsAgreeWithAMap() {
        NeighborTable t = new NeighborTable(16);
        Map<List<Long>, Integer> model = new HashMap<>();
        SplittableRandom r = new SplittableRandom(7);
        for (int step = 0; step < 200_000; step++) {
            int ifi = r.nextInt(3);
            long lo = r.nextInt(3000); // few distinct keys: long probe runs, many collisions
            List<Long> key = List.of((long) ifi, lo);
            int s = t.find(ifi, 0x2001_0db8_0000_0000L, lo);
            assertThat(s >= 0).isEqualTo(model.containsKey(key));
            if (s >= 0 && r.nextBoolean()) {
                t.remove(s);
                model.remove(key);
            } else if (s < 0 && model.size() < NeighborTable.CAPACITY) {
                s = t.insert(ifi, 0x2001_0db8_0000_0000L, lo, NeighborTable.REACHABLE);
                assertThat(s).isNotNegative();
                model.put(key, s);
            }
            assertThat(t.count).isEqualTo(model.size());
        }
        for (List<Long> key : model.keySet()) {
            assertThat(t.find(key.get(0).intValue(), 0x2001_0db8_0000_0000L, key.get(1)))
                    .isNotNegative();
        }
    }

    @Test
    void aFullTableEvictsFailedThenTheOldestStaleButNothingHolding() {
        NeighborTable t = new NeighborTable(16);
        for (int i = 0; i < NeighborTable.CAPACITY; i++) {
            int s = t.insert(0, 0, NeighborTable.key4(i), NeighborTable.STALE);
            t.updated[s] = 1_000 - i; // the last inserted is the oldest
        }
        int held = t.find(0, 0, NeighborTable.key4(NeighborTable.CAPACITY - 1));
        t.hold(held, 3); // the oldest holds a packet: it stays
        int failed = t.find(0, 0, NeighborTable.key4(5));
        t.state[failed] = NeighborTable.FAILED;
        assertThat(t.insert(0, 0, NeighborTable.key4(5000), NeighborTable.INCOMPLETE))
                .isNotNegative();
        assertThat(t.find(0, 0, NeighborTable.key4(5))).as("FAILED first").isNegative();
        assertThat(t.insert(0, 0, NeighborTable.key4(5001), NeighborTable.INCOMPLETE))
                .isNotNegative();
        assertThat(t.find(0, 0, NeighborTable.key4(NeighborTable.CAPACITY - 2)))
                .as("then the oldest STALE that holds nothing")
                .isNegative();
        assertThat(t.find(0, 0, NeighborTable.key4(NeighborTable.CAPACITY - 1))).isNotNegative();
    }
}
