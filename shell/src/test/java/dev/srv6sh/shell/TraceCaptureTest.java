package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.pcap.PcapReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trace, capture, show fib and show neighbors from a script on the local backend. */
class TraceCaptureTest {
    static final String TOPOLOGY =
            """
            region paris  aws "eu-west-3"
            region london aws "eu-west-2"
            vpc pv in paris  { cidr 10.11.0.0/16 }
            vpc lv in london { cidr 10.12.0.0/16 }
            host pc in pv
            host lc in lv
            router pr in pv { locator auto; sid dx4 End.DX4 nh pc; policy out encap [lr.dx4]; steer lv -> out }
            router lr in lv { locator auto; sid dx4 End.DX4 nh lc; policy out encap [pr.dx4]; steer pv -> out }
            apply auto
            """;

    @Test
    void captureWritesWhatTheRouterSentAndReceivedAndTraceShowsTheGraph(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("ops.srv6");
        Files.writeString(
                script,
                TOPOLOGY
                        + """
                        capture pr transit to "pr.pcap"
                        let r = ping pc -> lc count 3 interval 20ms
                        trace lr 2
                        show fib pr
                        show neighbors pr
                        destroy auto
                        """);
        Cli run = Cli.run("run", script.toString(), "--dir", dir.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        // three requests out and three replies in, on pr's transit interface
        try (PcapReader in = PcapReader.open(dir.resolve("pr.pcap"))) {
            int n = 0;
            while (in.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(6);
        }
        assertThat(run.out()).contains("captured 6 frame(s) on pr transit to pr.pcap");
        assertThat(run.out())
                .contains("trace lr: 0 new packet(s)")
                .contains("run again on a copy of its data plane")
                .contains("sr-localsid: End.DX4 dx4")
                .contains("end-dx4");
        assertThat(run.out())
                .containsPattern("table 0:")
                .containsPattern("10\\.12\\.0\\.0/16 +SR policy out")
                .containsPattern("/128 +SID dx4 End.DX4");
        // the local backend's VPC gateway and hosts are static neighbors
        assertThat(run.out())
                .containsPattern("address +mac +interface +state +age +held")
                .containsPattern("10\\.11\\.1\\.1 +02:5e:00:53:[0-9a-f:]+ +inside +permanent")
                .containsPattern("2001:db8:0:10[01]::1 +02:5e:00:53:[0-9a-f:]+ +transit +permanent");
    }

    @Test
    void wrongArgumentsAreCheckErrors(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("bad.srv6");
        Files.writeString(script, TOPOLOGY + "capture pr to \"pr.txt\"\ntrace lr 0\nshow fib\n");
        Cli check = Cli.run("check", script.toString());
        assertThat(check.exit()).isEqualTo(2);
        assertThat(check.err())
                .contains("capture writes a .pcap file, not 'pr.txt'")
                .contains("trace counts 1 to 1000 packets, not 0")
                .contains("show fib needs a router");
    }
}
