package dev.srv6sh.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The discrete-event loop: time order, a clock that jumps idle time, deadlines, interrupts. */
class EventLoopTest {
    @Test
    void eventsRunInTimeOrderAndThoseOfOneInstantInTheOrderTheyWereScheduled() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            List<String> seen = new ArrayList<>();
            loop.at(300, () -> seen.add("c@" + loop.now()));
            loop.at(100, () -> seen.add("a@" + loop.now()));
            loop.at(100, () -> {
                seen.add("b@" + loop.now());
                loop.at(loop.now() + 50, () -> seen.add("a2@" + loop.now()));
            });
            assertThat(loop.runUntil(() -> seen.size() == 4, Long.MAX_VALUE)).isTrue();
            assertThat(seen).containsExactly("a@100", "b@100", "a2@150", "c@300");
            assertThat(loop.now()).isEqualTo(300);
            assertThat(loop.events()).isEqualTo(4);
        }
    }

    /**
     * How many times this thread has waited (sleep, park, wait) so far: a loop in virtual time
     * never does, whatever length of time it passes.
     */
    static long waits() {
        return java.lang.management.ManagementFactory.getThreadMXBean()
                .getThreadInfo(Thread.currentThread().threadId())
                .getWaitedCount();
    }

    @Test
    void withNothingToDoTheClockMovesStraightToTheDeadline() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            long waited = waits();
            assertThat(loop.runFor(3_600_000_000_000L, () -> false)).isFalse(); // an hour
            assertThat(loop.now()).isEqualTo(3_600_000_000_000L);
            assertThat(loop.clock().nanos()).isEqualTo(3_600_000_000_000L);
            assertThat(loop.events()).isZero();
            assertThat(waits()).isEqualTo(waited); // it jumped: no sleeping, no parking
        }
    }

    @Test
    void theClockJumpsFromOneEventToTheNextWithoutWaiting() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            long hour = 3_600_000_000_000L;
            List<Long> seen = new ArrayList<>();
            for (int h = 1; h <= 24; h++) {
                loop.at(h * hour, () -> seen.add(loop.now()));
            }
            long waited = waits();
            assertThat(loop.runUntil(() -> false, 30 * hour)).isFalse(); // a day and more
            assertThat(seen).hasSize(24).allMatch(t -> t % hour == 0).isSorted();
            assertThat(seen.getLast()).isEqualTo(24 * hour);
            assertThat(loop.events()).isEqualTo(24);
            assertThat(loop.now()).isEqualTo(30 * hour);
            assertThat(waits()).isEqualTo(waited);
        }
    }

    @Test
    void aRunStopsWhenDoneAndLeavesLaterEventsForTheNext() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            int[] n = new int[1];
            for (int i = 1; i <= 10; i++) {
                loop.at(i * 1_000L, () -> n[0]++);
            }
            assertThat(loop.runUntil(() -> n[0] == 3, Long.MAX_VALUE)).isTrue();
            assertThat(loop.now()).isEqualTo(3_000);
            assertThat(loop.runUntil(() -> false, 5_500)).isFalse();
            assertThat(n[0]).isEqualTo(5);
            assertThat(loop.now()).isEqualTo(5_500);
            loop.at(0, () -> n[0] = 100); // the past means now
            loop.runUntil(() -> n[0] == 100, Long.MAX_VALUE);
            assertThat(loop.now()).isEqualTo(5_500);
        }
    }

    @Test
    void anEventThatThrowsIsCountedAndTheWorldGoesOn() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            boolean[] after = new boolean[1];
            loop.at(1, () -> {
                throw new IllegalStateException("boom");
            });
            loop.at(2, () -> after[0] = true);
            loop.runUntil(() -> after[0], Long.MAX_VALUE);
            assertThat(loop.failures()).isEqualTo(1);
            assertThat(loop.lastFailure()).hasMessage("boom");
        }
    }

    @Test
    void anInterruptStopsAnEndlessWorldBetweenTwoEvents() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> loop.at(loop.now() + 1_000, tick[0]); // a source that never ends
            loop.execute(tick[0]);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread runner = Thread.ofPlatform().start(() -> {
                try {
                    loop.runUntil(() -> false, Long.MAX_VALUE);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            Thread.sleep(50);
            runner.interrupt();
            runner.join(10_000);
            assertThat(runner.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            // the world is intact: another run takes up where it stopped
            long at = loop.call(loop::now);
            assertThat(loop.runFor(10_000, () -> false)).isFalse();
            assertThat(loop.now()).isEqualTo(at + 10_000);
        }
    }

    @Test
    void otherThreadsSeeTheWorldOnlyBetweenEvents() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            assertThat(loop.call(() -> 42)).isEqualTo(42);
            assertThatThrownBy(() -> loop.call(() -> {
                        throw new java.io.IOException("no");
                    }))
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
