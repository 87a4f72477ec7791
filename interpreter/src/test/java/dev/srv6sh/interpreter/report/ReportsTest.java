package dev.srv6sh.interpreter.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.srv6sh.interpreter.eval.Dim;
import dev.srv6sh.interpreter.eval.Value;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The CSV, JSON and chart writers, each read back. */
class ReportsTest {
    static Value row(String region, double rttMs, double ci95Us, double udpMbps, String note) {
        LinkedHashMap<String, Value> rtt = new LinkedHashMap<>();
        rtt.put("mean", new Value.Qty(rttMs / 1e3, Dim.DURATION));
        rtt.put("ci95", new Value.Qty(ci95Us / 1e6, Dim.DURATION));
        LinkedHashMap<String, Value> m = new LinkedHashMap<>();
        m.put("region", new Value.Str(region));
        m.put("rtt", new Value.Rec("RttResult", rtt));
        m.put("udp", new Value.Qty(udpMbps * 1e6, Dim.RATE));
        m.put("hoplimit", new Value.Num(62));
        m.put("note", new Value.Str(note));
        return new Value.MapV(m);
    }

    static Value rows() {
        return new Value.ListV(List.of(
                row("london", 9.512, 120, 850, "plain"),
                row("tokyo", 226.1, 410, 790.5, "has, a comma and \"quotes\"")));
    }

    @Test
    void aColumnOfQuantitiesGetsTheUnitOfItsDimensionAndSaysItInItsName() throws Exception {
        Table t = Table.of(rows());
        assertThat(t.columns().stream().map(Table.Column::name))
                .containsExactly("region", "rtt.mean_ms", "rtt.ci95_ms", "udp_Mbps", "hoplimit", "note");
        assertThat((Double) t.rows().get(1)[1]).isCloseTo(226.1, within(1e-9));
        assertThat((Double) t.rows().get(0)[2]).isCloseTo(0.12, within(1e-9));
    }

    /** A quiet run and a noisy one, a slow link and a fast one: the same columns, so one reader reads both. */
    @Test
    void aColumnsUnitDoesNotDependOnItsValues() throws Exception {
        Value quiet = new Value.ListV(List.of(row("london", 9.5, 40, 0.064, "")));
        Value noisy = new Value.ListV(List.of(row("london", 2500, 4000, 9500, "")));
        assertThat(Table.of(quiet).columns()).isEqualTo(Table.of(noisy).columns());
        assertThat(Csv.write(Table.of(quiet))).startsWith("region,rtt.mean_ms,rtt.ci95_ms,udp_Mbps,hoplimit,note\r\n");
        assertThat(Csv.write(Table.of(quiet))).contains("london,9.5,0.04,0.064,62,");
        assertThat(Csv.write(Table.of(noisy))).contains("london,2500,4,9500,62,");
        LinkedHashMap<String, Value> other = new LinkedHashMap<>();
        other.put("pps", new Value.Qty(1.5e6, Dim.PACKET_RATE));
        other.put("size", new Value.Qty(9 * 1024, Dim.SIZE));
        other.put("loss", new Value.Qty(0.5, Dim.PERCENT));
        assertThat(Csv.write(Table.of(new Value.MapV(other))))
                .isEqualTo("pps_pps,size_B,loss_pct\r\n1500000,9216,0.5\r\n");
        // a chart's axis is for people: there the unit suits the values
        assertThat(Table.forChart(quiet).column("rtt.ci95").name()).isEqualTo("rtt.ci95_us");
        assertThat(Table.forChart(noisy).column("rtt.mean").name()).isEqualTo("rtt.mean_s");
    }

    @Test
    void csvIsRfc4180AndReadsBackToTheSameNumbers() throws Exception {
        String csv = Csv.write(Table.of(rows()));
        assertThat(csv).endsWith("\r\n");
        List<List<String>> parsed = parseCsv(csv);
        assertThat(parsed.get(0))
                .containsExactly("region", "rtt.mean_ms", "rtt.ci95_ms", "udp_Mbps", "hoplimit", "note");
        assertThat(parsed.get(1)).containsExactly("london", "9.512", "0.12", "850", "62", "plain");
        assertThat(parsed.get(2).get(5)).isEqualTo("has, a comma and \"quotes\"");
        assertThat(Double.parseDouble(parsed.get(2).get(3))).isEqualTo(790.5);
    }

    @Test
    void jsonReadsBackToObjectsWithTheSameNamesAndUnits() throws Exception {
        Object parsed = dev.srv6sh.dataplane.agent.JsonText.parse(Json.write(Table.of(rows())));
        assertThat(parsed).isInstanceOf(List.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) parsed;
        assertThat(list).hasSize(2);
        assertThat(list.get(0)).containsEntry("region", "london").containsEntry("rtt.mean_ms", 9.512);
        assertThat(list.get(1))
                .containsEntry("note", "has, a comma and \"quotes\"")
                .containsEntry("hoplimit", 62.0);
        assertThat(dev.srv6sh.dataplane.agent.JsonText.parse(Json.write(Table.of(new Value.ListV(List.of())))))
                .isEqualTo(List.of());
    }

    @Test
    void mixedDimensionsAndNonRecordsAreRefusedWithTheReason() {
        LinkedHashMap<String, Value> a = new LinkedHashMap<>(Map.of("x", new Value.Qty(1, Dim.DURATION)));
        LinkedHashMap<String, Value> b = new LinkedHashMap<>(Map.of("x", new Value.Qty(1, Dim.RATE)));
        assertThatThrownBy(() -> Table.of(new Value.ListV(List.of(new Value.MapV(a), new Value.MapV(b)))))
                .hasMessageContaining("column 'x' mixes a duration and a rate");
        assertThatThrownBy(() -> Table.of(new Value.ListV(List.of(new Value.Num(1)))))
                .hasMessageContaining("element 0 is a number");
        assertThatThrownBy(() -> Table.of(new Value.Num(3))).hasMessageContaining("expected a list of records");
    }

    @Test
    void aBarChartWithErrorBarsIsAnSvgThatSaysWhatItShows() throws Exception {
        byte[] svg = Charts.render(
                Table.forChart(rows()),
                Charts.Kind.BAR,
                "region",
                "rtt.mean",
                "rtt.ci95",
                "RTT from Paris",
                Charts.Format.SVG);
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(d.getDocumentElement().getAttribute("width")).isEqualTo("800px");
        assertThat(d.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("RTT from Paris");
        // error bars in the y column's unit: 410 µs is 0.41 ms
        assertThat(d.getElementsByTagName("desc").item(0).getTextContent())
                .isEqualTo("bar chart of rtt.mean (ms) by region: london = 9.512 ± 0.12; tokyo = 226.1 ± 0.41");
        assertThat(d.getElementsByTagName("path").getLength()).isGreaterThan(10);
    }

    @Test
    void aLineChartIsAPngOfTheChartsSize() throws Exception {
        byte[] png =
                Charts.render(Table.of(rows()), Charts.Kind.LINE, "hoplimit", "udp", null, null, Charts.Format.PNG);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(Charts.WIDTH);
        assertThat(img.getHeight()).isEqualTo(Charts.HEIGHT);
    }

    @Test
    void aMisspeltFieldIsNamedWithTheFieldsThereAre() {
        assertThatThrownBy(() -> Charts.render(
                        Table.of(rows()), Charts.Kind.BAR, "regoin", "udp", null, null, Charts.Format.SVG))
                .hasMessageContaining("x field 'regoin' is not in the data; did you mean 'region'?")
                .hasMessageContaining("fields: region, rtt.mean, rtt.ci95, udp, hoplimit, note");
        assertThatThrownBy(() -> Charts.render(
                        Table.of(rows()), Charts.Kind.BAR, "region", "note", null, null, Charts.Format.SVG))
                .hasMessageContaining("y field 'note' must be a number or quantity");
    }

    /** RFC 4180, enough to read back what Csv writes. */
    static List<List<String>> parseCsv(String s) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (c == '\r') {
                // part of CRLF
            } else if (c == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                f.append(c);
            }
        }
        return rows;
    }
}
