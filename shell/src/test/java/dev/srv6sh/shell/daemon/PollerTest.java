package dev.srv6sh.shell.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PollerTest {

    @Test
    void agentCallsRunOnThePollingThreadOneAtATimeAndRethrow() throws Exception {
        try (Engine engine = new Engine("p", Clock.SYSTEM, MemoryPort.FACTORY);
                Poller poller = new Poller("p", engine)) {
            String thread = poller.call(() -> Thread.currentThread().getName());
            assertThat(thread).isEqualTo("router-p");
            // a call from the polling thread itself runs there and then, not queued behind itself
            assertThat(poller.<Integer>call(() -> poller.call(() -> 7))).isEqualTo(7);
            assertThatThrownBy(() -> poller.call(() -> {
                        throw new IOException("refused");
                    }))
                    .isInstanceOf(IOException.class)
                    .hasMessage("refused");
            int[] counter = new int[1];
            Thread[] ts = new Thread[4];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = Thread.ofPlatform().start(() -> {
                    for (int k = 0; k < 1000; k++) {
                        try {
                            poller.call(() -> counter[0]++);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                });
            }
            for (Thread t : ts) {
                t.join();
            }
            assertThat(poller.call(() -> counter[0])).isEqualTo(4000);
        }
    }

    @Test
    void aStoppedPollerRefusesCallsClearly() throws Exception {
        try (Engine engine = new Engine("p", Clock.SYSTEM, MemoryPort.FACTORY)) {
            Poller poller = new Poller("p", engine);
            poller.close();
            assertThatThrownBy(() -> poller.call(() -> 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stopped");
        }
    }
}
