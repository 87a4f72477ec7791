package dev.srv6sh.dataplane.port.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadAffinityTest {
    @Test
    void aCpuListIsCpusAndRangesInOrderEachOnce() {
        assertThat(ThreadAffinity.parse("2")).containsExactly(2);
        assertThat(ThreadAffinity.parse("1,3")).containsExactly(1, 3);
        assertThat(ThreadAffinity.parse("0-3, 6,2")).containsExactly(0, 1, 2, 3, 6);
        assertThatThrownBy(() -> ThreadAffinity.parse("3-1"))
                .hasMessage("'3-1' in CPU list '3-1' is not a CPU (0 to 1023) or a range of them (2-3)");
        assertThatThrownBy(() -> ThreadAffinity.parse("x")).hasMessageContaining("'x' in CPU list 'x'");
        assertThatThrownBy(() -> ThreadAffinity.parse("")).hasMessageContaining("a CPU list is needed");
    }

    @Test
    void aPinnedThreadRunsOnItsCpuAndACpuTheMachineLacksIsSaid() throws Exception {
        int last = Runtime.getRuntime().availableProcessors() - 1;
        AtomicReference<String> pinned = new AtomicReference<>("not run");
        AtomicReference<String> missing = new AtomicReference<>();
        AtomicInteger ran = new AtomicInteger(-2);
        Thread t = Thread.ofPlatform().start(() -> {
            pinned.set(ThreadAffinity.pin(last));
            long spin = System.nanoTime() + 20_000_000;
            while (System.nanoTime() < spin) {
                Thread.onSpinWait(); // run a while, so that the CPU it last ran on is its pinned one
            }
            ran.set(ThreadAffinity.current());
            missing.set(ThreadAffinity.pin(1023));
        });
        t.join();
        assertThat(pinned.get()).isNull();
        assertThat(ran.get()).isEqualTo(last);
        assertThat(missing.get()).startsWith("cannot pin it to CPU 1023: Invalid argument (EINVAL)");
        assertThat(List.of(ThreadAffinity.pin(-1))).containsExactly("CPU -1 is out of 0..1023");
    }
}
