package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.interpreter.Interpreter;
import dev.srv6sh.interpreter.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long operations report progress; a batch run logs one line per finished measurement. */
class ProgressViewTest {
    @Test
    void measurementsReportStartedProgressAndFinishedWithTheirResult(@TempDir Path dir) {
        List<Progress.Event> events = new CopyOnWriteArrayList<>();
        String script = TraceCaptureTest.TOPOLOGY
                + "let m = measure rtt pc -> lc count 4 interval 100ms\n"
                + "let t = measure throughput udp pc -> lc for 5s rate 200Mbps\n";
        var out = new ByteArrayOutputStream();
        int exit = Interpreter.run(
                "p.srv6",
                script,
                new Interpreter.Options("local", Map.of(), dir, events::add),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(events.getFirst().operation()).isEqualTo("apply");
        assertThat(events)
                .filteredOn(e -> e.operation().equals("apply") && e.kind() == Progress.Kind.FINISHED)
                .singleElement()
                .satisfies(e -> assertThat(e.summary()).contains("2 router(s) programmed on local"));
        events.removeIf(e -> e.operation().startsWith("apply"));
        List<Progress.Event> flow = events.stream()
                .filter(e -> e.operation().startsWith("measure throughput"))
                .toList();
        events.removeAll(flow);
        assertThat(events.getFirst().kind()).isEqualTo(Progress.Kind.STARTED);
        assertThat(events.getFirst().operation()).isEqualTo("measure rtt pc -> lc");
        assertThat(events.getFirst().expected()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        // the flow's progress is its share of 5 s of virtual time, reported every 100 ms of real time: as
        // many reports as the emulation takes tenths of a second, none on a fast machine (what each one
        // says is TrackerTest's, on a clock it sets)
        assertThat(flow.getFirst().kind()).isEqualTo(Progress.Kind.STARTED);
        List<Progress.Event> progress =
                flow.stream().filter(e -> e.kind() == Progress.Kind.PROGRESS).toList();
        assertThat(progress).allSatisfy(e -> {
            assertThat(e.fraction()).isBetween(0.0, 0.99);
            // a report can fall while the flow's stragglers (its last datagrams in flight) arrive: after
            // the 5 s, within the same few milliseconds the FINISHED event allows (a run at load 11.5
            // reported 5.00097 s)
            assertThat(e.elapsed()).isLessThanOrEqualTo(Duration.ofMillis(5_100));
            assertThat(e.expected()).isEqualTo(Duration.ofSeconds(5));
        });
        assertThat(progress).extracting(Progress.Event::fraction).isSorted();
        assertThat(flow.subList(1, flow.size() - 1)).containsExactlyElementsOf(progress);
        assertThat(flow.getLast().kind()).isEqualTo(Progress.Kind.FINISHED);
        // 5 s of virtual time, and the stragglers' last few milliseconds
        assertThat(flow.getLast().elapsed()).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5_100));
        Progress.Event last = events.getLast();
        assertThat(last.kind()).isEqualTo(Progress.Kind.FINISHED);
        assertThat(last.summary())
                .startsWith("rtt ")
                .contains(" ms ±")
                .contains("(n=4)")
                .contains("hop limit 62");
    }

    @Test
    void aTerminalGetsABarThatTheResultReplacesAndAPipeGetsOneLine() {
        var bytes = new ByteArrayOutputStream();
        var err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressView tty = new ProgressView(err, true, false);
        Duration four = Duration.ofSeconds(4);
        tty.event(new Progress.Event(Progress.Kind.PROGRESS, "ping a -> b", 0.5, Duration.ofSeconds(2), four, null));
        tty.event(new Progress.Event(Progress.Kind.FINISHED, "ping a -> b", 1, four, four, "4/4 replies"));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "\rping a -> b [############............] 50% 2.0 s/4.0 s\u001b[K\r\u001b[Kping a -> b: 4/4 replies"
                                + " [4.0 s]\n");
        bytes.reset();
        ProgressView pipe = new ProgressView(err, false, true);
        pipe.event(new Progress.Event(Progress.Kind.PROGRESS, "ping a -> b", 0.5, Duration.ofSeconds(2), four, null));
        pipe.event(new Progress.Event(Progress.Kind.FINISHED, "ping a -> b", 1, four, four, "4/4 replies"));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("ping a -> b: 4/4 replies [4.0 s]\n");
    }
}
