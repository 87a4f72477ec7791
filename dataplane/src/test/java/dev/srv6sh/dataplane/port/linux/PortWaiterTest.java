package dev.srv6sh.dataplane.port.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PortWaiterTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aWakeFromAnotherThreadEndsTheSleepAndWakesBeforeTheSleepCountToo() throws Exception {
        try (PortWaiter w = new PortWaiter()) {
            assertThat(w.ports()).isZero();
            Thread waker = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                w.wake();
            });
            w.await(TimeUnit.MINUTES.toNanos(10)); // returns only because of the wake
            waker.join();
            // wakes that came while it was not sleeping end the next sleep, and are then used up
            w.wake();
            w.wake();
            w.await(TimeUnit.MINUTES.toNanos(10));
            long before = System.nanoTime();
            w.await(TimeUnit.MILLISECONDS.toNanos(20)); // nothing pending: sleeps its time
            assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(15));
            w.watch(List.of());
            assertThat(w.ports()).isZero();
        }
    }
}
