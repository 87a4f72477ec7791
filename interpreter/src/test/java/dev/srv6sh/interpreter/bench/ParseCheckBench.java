package dev.srv6sh.interpreter.bench;

import dev.srv6sh.interpreter.Interpreter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + check of generated scripts of 1k, 10k and 100k lines: the time should grow linearly (10x
 * the lines, at most 12x the time). Run with {@code ./build.sh bench ParseCheckBench}; figures go to
 * docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ParseCheckBench {
    @Param({"1000", "10000", "100000"})
    int lines;

    String script;

    @Setup
    public void generate() {
        script = generate(lines);
    }

    /**
     * A realistic script of about {@code lines} lines: regions, VPCs, hosts and routers with SIDs,
     * policies that refer ahead to the next router's SID, and steering, 12 lines per site.
     */
    static String generate(int lines) {
        StringBuilder sb = new StringBuilder();
        int sites = Math.max(1, lines / 12);
        for (int i = 0; i < sites; i++) {
            int next = (i + 1) % sites;
            sb.append("region r").append(i).append(" aws \"eu-west-3\"\n");
            sb.append("vpc v")
                    .append(i)
                    .append(" in r")
                    .append(i)
                    .append(" { cidr ")
                    .append(cidr(i))
                    .append(" }\n");
            sb.append("host h").append(i).append(" in v").append(i).append('\n');
            sb.append("router g").append(i).append(" in v").append(i).append(" {\n");
            sb.append("  locator auto\n");
            sb.append("  sid dx4 End.DX4 nh h").append(i).append('\n');
            sb.append("  sid e End\n");
            sb.append("  policy out encap [g")
                    .append(next)
                    .append(".e, g")
                    .append(next)
                    .append(".dx4]\n");
            sb.append("  steer v").append(next).append(" -> out\n");
            sb.append("}\n");
            sb.append("let x").append(i).append(" = 10ms + ").append(i).append("us\n");
            sb.append("# site ").append(i).append('\n');
        }
        return sb.toString();
    }

    private static String cidr(int i) {
        return (1 + i / 65536 % 200) + "." + (i / 256 % 256) + "." + (i % 256) + ".0/24";
    }

    @Benchmark
    public int parseAndCheck() {
        var problems = Interpreter.check("bench.srv6", script, Map.of());
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.getFirst().header());
        }
        return problems.size();
    }
}
