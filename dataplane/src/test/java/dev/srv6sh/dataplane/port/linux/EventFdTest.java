package dev.srv6sh.dataplane.port.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EventFdTest {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aSignalFromAnotherThreadMakesItReadableUntilCleared() throws Exception {
        try (EventFd e = EventFd.open()) {
            assertThat(e.fd()).isNotNegative();
            assertThat(e.await(0)).isFalse();
            assertThat(e.clear()).as("nothing to clear").isFalse();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException x) {
                    return;
                }
                e.signal();
            });
            assertThat(e.await(TimeUnit.MINUTES.toNanos(10))).isTrue(); // ends because of the signal
            t.join();
            e.signal();
            assertThat(e.await(0)).as("still readable: await does not clear").isTrue();
            assertThat(e.clear()).isTrue(); // both signals at once
            assertThat(e.clear()).isFalse();
            long before = System.nanoTime();
            assertThat(e.await(TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
            assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(15));
        }
    }
}
