package dev.srv6sh.dataplane.port.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A data plane thread gets the scheduling {@link ThreadNice#raise} says it got, and only that thread. */
class ThreadNiceTest {

    /** Policy and nice value of thread {@code tid} of this process, from /proc (fields 41 and 19). */
    private static int[] scheduling(long tid) throws Exception {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state): field n is f[n - 3]
        return new int[] {Integer.parseInt(f[41 - 3]), Integer.parseInt(f[19 - 3])};
    }

    @Test
    void theThreadGetsWhatTheAnswerSaysAndTheOthersKeepTheirs() throws Exception {
        AtomicReference<String> said = new AtomicReference<>();
        AtomicReference<int[]> got = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = Thread.ofPlatform().unstarted(() -> {
            try {
                said.set(ThreadNice.raise());
                got.set(scheduling(new Libc(java.lang.foreign.Arena.ofAuto()).gettid()));
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        t.start();
        t.join();
        assertThat(failed.get()).isNull();
        String answer = said.get();
        int policy = got.get()[0];
        int nice = got.get()[1];
        if (answer.equals("SCHED_FIFO " + ThreadNice.FIFO_PRIORITY)) {
            assertThat(policy).as("SCHED_FIFO").isEqualTo(1);
        } else if (answer.startsWith("nice " + ThreadNice.DATA_PLANE + " (SCHED_FIFO refused: ")) {
            assertThat(policy).as("SCHED_OTHER").isZero();
            assertThat(nice).isEqualTo(ThreadNice.DATA_PLANE);
        } else {
            assertThat(answer)
                    .startsWith("the process's scheduling (SCHED_FIFO refused: ")
                    .contains("nice -10 refused: ");
            assertThat(policy).isZero();
        }
        if ("0".equals(uid()) && sysNice() && "true".equals(System.getenv("CI"))) {
            // root in CI, as the netns backend runs: a refusal there is a machine to fix, said plainly
            assertThat(answer).as("a data plane thread's scheduling as root").isEqualTo("SCHED_FIFO 1");
        }
        // the calling thread, and so the rest of the process, kept its own
        assertThat(scheduling(new Libc(java.lang.foreign.Arena.ofAuto()).gettid())[0])
                .isZero();
    }

    /**
     * Whether this process has CAP_SYS_NICE (bit 23 of CapEff): root in a container may not (Docker
     * drops it by default), and there the fallback is what is right.
     */
    private static boolean sysNice() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.split("\\s+")[1], 16) & (1L << 23)) != 0;
            }
        }
        return false;
    }

    private static String uid() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[1];
            }
        }
        return "";
    }
}
