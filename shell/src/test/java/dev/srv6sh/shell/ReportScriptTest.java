package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** save and chart from a script: the files appear, and a wrong file type is a script error. */
class ReportScriptTest {
    static final String ROWS =
            """
            let rows = [{region: "london", rtt: 9.5ms, ci95: 120us, overhead: 310us},
                        {region: "tokyo", rtt: 226ms, ci95: 0.4ms, overhead: 420us}]
            """;

    @Test
    void saveAndChartWriteTheirFiles(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("report.srv6");
        Files.writeString(
                script,
                ROWS
                        + """
                        save "%1$s/out/c.csv" rows
                        save "%1$s/out/c.json" rows
                        chart "%1$s/out/rtt.svg" bar rows x region y rtt err ci95 title "RTT from Paris"
                        chart "%1$s/out/overhead.png" bar rows x region y overhead
                        """
                                .formatted(dir));
        Cli r = Cli.run("run", script.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("out/c.csv")))
                .isEqualTo("region,rtt_ms,ci95_ms,overhead_ms\r\nlondon,9.5,0.12,0.31\r\ntokyo,226,0.4,0.42\r\n");
        assertThat(Files.readString(dir.resolve("out/c.json"))).contains("\"overhead_ms\": 0.42");
        assertThat(Files.readString(dir.resolve("out/rtt.svg"))).contains("<title>RTT from Paris</title>");
        assertThat(Files.readAllBytes(dir.resolve("out/overhead.png"))).startsWith(0x89, 'P', 'N', 'G');
        assertThat(r.out()).contains("saved " + dir + "/out/c.csv: 2 rows").contains("charted " + dir + "/out/rtt.svg");
    }

    @Test
    void aFileTypeNobodyWritesIsAScriptErrorBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("bad.srv6");
        Files.writeString(script, ROWS + "save \"rows.txt\" rows\nchart \"c.svg\" bar rows x region y rtt\n");
        Cli r = Cli.run("check", script.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("bad.srv6:3:6: error: save writes .csv or .json files, not 'rows.txt'");
    }

    @Test
    void aFieldTheDataDoesNotHaveIsARuntimeErrorNamingTheFields(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("field.srv6");
        Files.writeString(script, ROWS + "chart \"%s/c.svg\" bar rows x regoin y rtt\n".formatted(dir));
        Cli r = Cli.run("run", script.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("x field 'regoin' is not in the data").contains("'region'");
        assertThat(dir.resolve("c.svg")).doesNotExist();
    }
}
