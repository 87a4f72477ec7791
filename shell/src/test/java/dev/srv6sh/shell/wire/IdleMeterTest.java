package dev.srv6sh.shell.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.srv6sh.dataplane.agent.AgentJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idle router's figures from {@code /proc}: the stat line's parsing (a thread's name may hold
 * spaces and parentheses), a fake {@code /proc} read as the bench reads the router's, and the window's
 * figures between two readings, rendered in the text table and JSON.
 */
class IdleMeterTest {
    /** A stat line as the kernel writes it: utime (field 14) and stime (field 15) after the name. */
    static String stat(long pid, String name, long utime, long stime) {
        return pid + " (" + name + ") S 1 " + pid + " " + pid + " 0 -1 4194560 2000 0 0 0 " + utime + " " + stime
                + " 0 0 20 0 24 0 100 4000000000 50000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 1 0 0"
                + " 0 0 0\n";
    }

    static String status(String name, long voluntary) {
        return "Name:\t" + name + "\nState:\tS (sleeping)\nTgid:\t42\nnonvoluntary_ctxt_switches:\t7\n"
                + "voluntary_ctxt_switches:\t" + voluntary + "\n";
    }

    @Test
    void aNameWithSpacesAndParenthesesIsReadToTheLastParenthesis() {
        ProcTimes.Stat s = ProcTimes.parseStat(stat(42, "a) (b c) 1 2 3", 12, 30));
        assertThat(s.name()).isEqualTo("a) (b c) 1 2 3");
        assertThat(s.ticks()).isEqualTo(42);
        assertThat(ProcTimes.parseStat(stat(7, "C2 CompilerThre", 100, 5)).ticks())
                .isEqualTo(105);
    }

    @Test
    void aLineThatIsNoStatLineIsRefusedWithItself() {
        assertThatThrownBy(() -> ProcTimes.parseStat("42 java S 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a /proc stat line: 42 java S 1");
        assertThatThrownBy(() -> ProcTimes.parseStat("42 (java) S 1 2 3")).hasMessageContaining("6 fields");
        assertThatThrownBy(() -> ProcTimes.parseStat(stat(1, "x", 1, 1).replace(" 1 1 0 0 20", " x 1 0 0 20")))
                .hasMessageContaining("no number");
    }

    @Test
    void statusAndSchedstatGiveTheWakeUpsAndTheRunTime() {
        assertThat(ProcTimes.voluntarySwitches(status("ZDirector", 5891))).isEqualTo(5891);
        assertThat(ProcTimes.voluntarySwitches("Name:\tx\n")).isEqualTo(-1);
        assertThat(ProcTimes.runNs("276023445 80271762 5891\n")).isEqualTo(276_023_445L);
        assertThat(ProcTimes.runNs("")).isEqualTo(-1);
    }

    @Test
    void aFakeProcIsReadThreadByThread(@TempDir Path proc) throws IOException {
        fake(
                proc,
                42,
                500,
                List.of(new Fake(42, "java", 300, 10, 2_000_000), new Fake(43, "router-rtr (x)", 200, 31, -1)));
        ProcTimes.Snapshot s = ProcTimes.read(proc, 42);
        assertThat(s.processTicks()).isEqualTo(500);
        assertThat(s.threads())
                .containsExactly(
                        new ProcTimes.Task(42, "java", 300, 2_000_000, 10),
                        new ProcTimes.Task(43, "router-rtr (x)", 200, -1, 31));
        assertThat(ProcTimes.read(proc, 99)).as("a process that is gone").isNull();
    }

    @Test
    void theWindowCountsTheProcessTicksAndEveryThreadThatRanOrWoke() {
        ProcTimes.Snapshot a = new ProcTimes.Snapshot(
                1000,
                List.of(
                        new ProcTimes.Task(1, "java", 400, 4_000_000_000L, 5),
                        new ProcTimes.Task(2, "ZDirector", 300, 3_000_000_000L, 10_000),
                        new ProcTimes.Task(3, "router-rtr", 200, 2_000_000_000L, 100),
                        new ProcTimes.Task(4, "C2 CompilerThre", 100, 1_000_000_000L, 50)));
        ProcTimes.Snapshot b = new ProcTimes.Snapshot(
                1015,
                List.of(
                        new ProcTimes.Task(1, "java", 400, 4_000_000_000L, 5),
                        new ProcTimes.Task(2, "ZDirector", 313, 3_130_000_000L, 12_000),
                        new ProcTimes.Task(3, "router-rtr", 200, 2_004_000_000L, 120),
                        new ProcTimes.Task(4, "C2 CompilerThre", 100, 1_000_000_000L, 50),
                        new ProcTimes.Task(5, "sshd-SshServer[", 0, 1_000_000L, 20)));
        WireReport.Idle idle = IdleMeter.between(a, b, 20.0, 6.5, true, "rtr");
        assertThat(idle.ticks()).isEqualTo(15);
        assertThat(idle.cpuPercent()).isCloseTo(0.75, within(1e-9)); // 0.15 s in 20 s
        assertThat(idle.runPercent()).isCloseTo(0.675, within(1e-9)); // 0.135 s
        assertThat(idle.wakeupsPerSecond()).isCloseTo(102.0, within(1e-9)); // 2040 in 20 s
        assertThat(idle.threads())
                .extracting(WireReport.IdleThread::name, WireReport.IdleThread::role)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ZDirector", "GC"),
                        org.assertj.core.groups.Tuple.tuple("router-rtr", "data plane"),
                        org.assertj.core.groups.Tuple.tuple("sshd-SshServer[", "SSH and agent"));
        assertThat(idle.threads().getFirst().wakeupsPerSecond()).isCloseTo(100.0, within(1e-9));

        StringWriter text = new StringWriter();
        WireReport report = new WireReport(
                "EPYC",
                "6.18",
                "1 2 3",
                "af_packet",
                0,
                List.of(),
                List.of(),
                idle,
                WireReport.goals(List.of(), List.of(), idle, List.of("af_packet")));
        report.print(new PrintWriter(text));
        assertThat(text.toString())
                .contains("the idle router only")
                .contains("20.0 s after 6.5 s of settling")
                .contains("process CPU 0.75% of a core (utime+stime, 15 ticks of 10 ms)")
                .contains("ZDirector 100.0")
                .contains("Idle router daemon < 1.0% of a core")
                .contains("0.75%: met")
                .doesNotContain("offered pps");
        assertThat(AgentJson.read(AgentJson.write(report), WireReport.class)).isEqualTo(report);
    }

    @Test
    void aRouterOverTheGoalIsMissedByHowMuch() {
        ProcTimes.Snapshot a = new ProcTimes.Snapshot(0, List.of());
        ProcTimes.Snapshot b = new ProcTimes.Snapshot(30, List.of(new ProcTimes.Task(2, "ZDirector", 30, -1, 1000)));
        WireReport.Idle idle = IdleMeter.between(a, b, 20.0, 30, false, "rtr");
        assertThat(idle.runPercent()).as("no schedstat").isEqualTo(-1);
        assertThat(idle.threads().getFirst().cpuPercent()).as("from the ticks").isCloseTo(1.5, within(1e-9));
        assertThat(WireReport.goals(List.of(), List.of(), idle, List.of("af_packet")))
                .singleElement()
                .asString()
                .endsWith("1.50%: missed by 50%");
        assertThat(WireReport.goals(List.of(), List.of(), WireReport.Idle.skipped("gone"), List.of("af_packet")))
                .isEmpty();
    }

    @Test
    void threadsAreNamedForWhatTheyDo() {
        assertThat(IdleMeter.role("router-rtr", "rtr")).isEqualTo("data plane");
        assertThat(IdleMeter.role("rtr-worker-1", "rtr")).isEqualTo("data plane");
        assertThat(IdleMeter.role("C1 CompilerThre", "rtr")).isEqualTo("JIT");
        assertThat(IdleMeter.role("ZDirector", "rtr")).isEqualTo("GC");
        assertThat(IdleMeter.role("G1 Refine#0", "rtr")).isEqualTo("GC");
        assertThat(IdleMeter.role("srv6sh-agent-ti", "rtr")).isEqualTo("SSH and agent");
        assertThat(IdleMeter.role("ForkJoinPool-1-", "rtr")).isEqualTo("SSH and agent");
        assertThat(IdleMeter.role("srv6sh-udp-1-1", "rtr")).isEqualTo("udp driver (Netty)");
        assertThat(IdleMeter.role("Monitor Deflati", "rtr")).isEqualTo("JVM");
        assertThat(IdleMeter.role("java", "rtr")).isEqualTo("main");
        assertThat(IdleMeter.settles("ZWorkerYoung#0")).isTrue();
        assertThat(IdleMeter.settles("C2 CompilerThre")).isTrue();
        assertThat(IdleMeter.settles("ZDirector")).isFalse();
        assertThat(IdleMeter.settles("router-rtr")).isFalse();
    }

    @Test
    void onlyTheJitAndTheCollectorsWorkersKeepItSettling() {
        ProcTimes.Snapshot a = new ProcTimes.Snapshot(
                0,
                List.of(
                        new ProcTimes.Task(2, "ZDirector", 0, 100, 1),
                        new ProcTimes.Task(4, "C2 CompilerThre", 0, 100, 1)));
        ProcTimes.Snapshot quiet = new ProcTimes.Snapshot(
                0,
                List.of(
                        new ProcTimes.Task(2, "ZDirector", 0, 900, 9),
                        new ProcTimes.Task(4, "C2 CompilerThre", 0, 100, 1)));
        ProcTimes.Snapshot compiling = new ProcTimes.Snapshot(
                0,
                List.of(
                        new ProcTimes.Task(2, "ZDirector", 0, 900, 9),
                        new ProcTimes.Task(4, "C2 CompilerThre", 0, 1_000_101, 2)));
        ProcTimes.Snapshot woke = new ProcTimes.Snapshot(
                0,
                List.of(
                        new ProcTimes.Task(2, "ZDirector", 0, 900, 9),
                        new ProcTimes.Task(4, "C2 CompilerThre", 0, 100_100, 2)));
        ProcTimes.Snapshot collecting = new ProcTimes.Snapshot(
                0,
                List.of(
                        new ProcTimes.Task(2, "ZDirector", 0, 900, 9),
                        new ProcTimes.Task(9, "ZWorkerYoung#0", 2, -1, 1)));
        assertThat(IdleMeter.settlingWork(a, quiet)).isFalse();
        assertThat(IdleMeter.settlingWork(a, compiling)).isTrue();
        assertThat(IdleMeter.settlingWork(a, woke))
                .as("a compiler thread's timed wait")
                .isFalse();
        assertThat(IdleMeter.settlingWork(a, collecting))
                .as("a worker that started")
                .isTrue();
    }

    record Fake(long tid, String name, long ticks, long voluntary, long runNs) {}

    private static void fake(Path proc, long pid, long processTicks, List<Fake> threads) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("stat"), stat(pid, "java", processTicks, 0));
        for (Fake f : threads) {
            Path t = Files.createDirectories(dir.resolve("task").resolve(Long.toString(f.tid())));
            Files.writeString(t.resolve("stat"), stat(f.tid(), f.name(), f.ticks() - 1, 1));
            Files.writeString(t.resolve("status"), status(f.name(), f.voluntary()));
            if (f.runNs() >= 0) {
                Files.writeString(t.resolve("schedstat"), f.runNs() + " 0 " + f.voluntary() + "\n");
            }
        }
    }
}
