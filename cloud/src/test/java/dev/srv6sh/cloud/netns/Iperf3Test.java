package dev.srv6sh.cloud.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.cloud.HostHandle.TcpReport;
import dev.srv6sh.cloud.HostHandle.UdpReport;
import dev.srv6sh.cloud.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * iperf3's JSON reports into the records {@code measure throughput} builds its result from. The
 * reports were recorded from iperf3 3.12 on loopback in a namespace (1 s runs); no iperf3 is run here.
 */
class Iperf3Test {

    private static String recorded(String name) throws IOException {
        try (InputStream in = Iperf3Test.class.getResourceAsStream("/iperf3/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void udpCountsComeFromTheServerAndSentDatagramsFromTheClient() throws Exception {
        // -u -b 100M -l 1372: 1400-byte IPv4 datagrams
        UdpReport r = Iperf3.udpReport(recorded("udp-client.json"), recorded("udp-server.json"), 1400);
        assertThat(r.sent()).isEqualTo(9103);
        assertThat(r.received()).isEqualTo(9103);
        assertThat(r.lost()).isZero();
        assertThat(r.reordered()).isZero();
        assertThat(r.bytes()).as("IP bytes, as on local").isEqualTo(9103L * 1400);
        assertThat(r.jitterNanos()).isCloseTo(6195.06, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.hopLimit()).as("iperf3 does not report it").isEqualTo(-1);
        assertThat(r.duration()).isEqualTo(Duration.ofNanos(1_000_082_000));
    }

    @Test
    void withoutTheServersReportTheClientsCopyOfItsCountsIsUsed() throws Exception {
        UdpReport r = Iperf3.udpReport(recorded("udp-client.json"), "", 1400);
        assertThat(r.received()).isEqualTo(9103);
        assertThat(r.jitterNanos()).isPositive();
    }

    @Test
    void lostDatagramsAreTheSentOnesThatNeverArrived() throws Exception {
        // the receiver counts up to the highest sequence number (packets) and the gaps (lost_packets);
        // the client sent 100, of which the last 5 never arrived and 3 went missing before them
        String client = """
                {"end": {"sum_sent": {"seconds": 2.0, "packets": 100, "bytes": 137200}}}""";
        String server =
                """
                {"end": {"streams": [{"udp": {"out_of_order": 2}}],
                 "sum_received": {"packets": 95, "lost_packets": 3, "jitter_ms": 0.5, "seconds": 2.0}}}""";
        UdpReport r = Iperf3.udpReport(client, server, 1400);
        assertThat(r.sent()).isEqualTo(100);
        assertThat(r.received()).isEqualTo(92);
        assertThat(r.lost()).isEqualTo(8);
        assertThat(r.reordered()).isEqualTo(2);
        assertThat(r.jitterNanos()).isEqualTo(500_000.0);
        assertThat(r.duration()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void tcpRateIsTheReceiversAndRetransmitsTheSenders() throws Exception {
        TcpReport r = Iperf3.tcpReport(recorded("tcp-client.json"), 1);
        assertThat(r.bytes()).isEqualTo(2_938_372_096L);
        assertThat(r.bitsPerSecond()).isEqualTo(23493514983.914219);
        assertThat(r.retransmits()).isEqualTo(1);
        assertThat(r.streams()).isEqualTo(1);
        assertThat(r.duration()).isEqualTo(Duration.ofNanos(1_000_573_000));
    }

    @Test
    void parallelStreamsAreSummed() throws Exception {
        TcpReport r = Iperf3.tcpReport(recorded("tcp-2-streams-client.json"), 2);
        assertThat(r.bytes()).isEqualTo(2_827_485_184L);
        assertThat(r.bitsPerSecond()).isEqualTo(22544739854.0664);
        assertThat(r.retransmits()).isZero();
        assertThat(r.streams()).isEqualTo(2);
    }

    @Test
    void iperf3sOwnErrorIsQuoted() throws Exception {
        assertThatThrownBy(() -> Iperf3.checkError("iperf3's client", recorded("refused-client.json"), ""))
                .isInstanceOf(ProviderException.class)
                .hasMessage("iperf3's client failed: unable to connect to server: Connection refused");
        assertThatThrownBy(() -> Iperf3.checkError("iperf3's server", recorded("in-use-server.json"), ""))
                .hasMessage("iperf3's server failed: error - unable to start listener for connections:"
                        + " Address already in use");
        assertThatThrownBy(() -> Iperf3.tcpReport(recorded("refused-client.json"), 1))
                .isInstanceOf(ProviderException.class)
                .hasMessage("iperf3's client failed: unable to connect to server: Connection refused");
        assertThatThrownBy(() -> Iperf3.tcpReport("{\"end\": {}}", 1))
                .isInstanceOf(ProviderException.class)
                .hasMessage("iperf3's JSON report has no 'sum_received'");
    }

    @Test
    void outputThatIsNotJsonSaysWhatIperf3Said() {
        String usage = "Usage: iperf3 [-s|-c host] [options]\n  -p, --port #\n\n"
                + "iperf3 homepage at: https://software.es.net/iperf/\n"
                + "iperf3: parameter error - block size invalid (minimum = 16 bytes, maximum = 65507 bytes)\n";
        assertThatThrownBy(() -> Iperf3.checkError("iperf3's client", usage, ""))
                .isInstanceOf(ProviderException.class)
                .hasMessage("iperf3's client printed no JSON report: iperf3: parameter error - block size invalid"
                        + " (minimum = 16 bytes, maximum = 65507 bytes)");
        assertThatThrownBy(() -> Iperf3.checkError("iperf3's client", "", "Cannot open network namespace"))
                .hasMessage("iperf3's client printed no JSON report: Cannot open network namespace");
        assertThatThrownBy(() -> Iperf3.udpReport("[]", "", 1400))
                .hasMessage("iperf3's client printed no JSON report: []");
    }
}
