package dev.srv6sh.interpreter.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.interpreter.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A long operation's progress, ticked by hand on a clock the test sets: what each PROGRESS says is
 * the share of the operation's length passed on the deployment's clock, whatever the real time.
 */
class TrackerTest {
    @Test
    void eachTickReportsTheShareOfTheOperationsLengthPassedOnTheDeploymentsClock() {
        List<Progress.Event> events = new ArrayList<>();
        long[] now = {7_000_000_000L}; // the deployment's clock, wherever it stands
        Runnable[] tick = new Runnable[1];
        Duration[] period = new Duration[1];
        CompletableFuture<Void> ticking = new CompletableFuture<>();
        Tracker t = new Tracker(
                events::add, "measure throughput udp pc -> lc", Duration.ofSeconds(5), () -> now[0], (p, r) -> {
                    period[0] = p;
                    tick[0] = r;
                    return ticking;
                });
        assertThat(period[0]).isEqualTo(Duration.ofMillis(100));
        now[0] += 1_250_000_000L;
        tick[0].run();
        now[0] += 2_500_000_000L;
        tick[0].run();
        now[0] += 2_000_000_000L; // past the expected length: the stragglers; not 100% until the result is in
        tick[0].run();
        t.finish(new Value.Num(3));
        tick[0].run(); // a tick that comes late reports nothing
        assertThat(ticking).isCancelled();
        assertThat(events)
                .extracting(Progress.Event::kind)
                .containsExactly(
                        Progress.Kind.STARTED,
                        Progress.Kind.PROGRESS,
                        Progress.Kind.PROGRESS,
                        Progress.Kind.PROGRESS,
                        Progress.Kind.FINISHED);
        assertThat(events).extracting(Progress.Event::fraction).containsExactly(0.0, 0.25, 0.75, 0.99, 1.0);
        assertThat(events)
                .extracting(Progress.Event::elapsed)
                .containsExactly(
                        Duration.ZERO,
                        Duration.ofMillis(1_250),
                        Duration.ofMillis(3_750),
                        Duration.ofMillis(5_750),
                        Duration.ofMillis(5_750));
        assertThat(events).allMatch(e -> e.expected().equals(Duration.ofSeconds(5)));
        assertThat(events.getLast().summary()).isEqualTo("3");
    }

    @Test
    void anOperationWithoutAResultEndsInFailed() {
        List<Progress.Event> events = new ArrayList<>();
        CompletableFuture<Void> ticking = new CompletableFuture<>();
        new Tracker(events::add, "ping a -> b", Duration.ofSeconds(1), () -> 0, (p, r) -> ticking).finish(null);
        assertThat(events)
                .extracting(Progress.Event::kind)
                .containsExactly(Progress.Kind.STARTED, Progress.Kind.FAILED);
        assertThat(ticking).isCancelled();
    }
}
