package dev.srv6sh.interpreter.report;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * {@code chart "file.svg|file.png" bar|line DATA x FIELD y FIELD [err FIELD] [title "..."]} with
 * XChart: a bar chart (categories along x, error bars from {@code err}, as the paper's Fig. 2) or a
 * line chart (numeric x as an XY plot, otherwise categories joined by a line). Axes are labelled
 * with the field and its unit ("rtt (ms)"); error bars use the y column's unit.
 */
public final class Charts {
    private Charts() {}

    public enum Kind {
        BAR,
        LINE
    }

    public enum Format {
        SVG,
        PNG;

        /** The format a file name asks for, or null. */
        public static Format of(String file) {
            String f = file.toLowerCase(Locale.ROOT);
            return f.endsWith(".svg") ? SVG : f.endsWith(".png") ? PNG : null;
        }
    }

    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    /** The chart as the bytes of an SVG or PNG file. */
    public static byte[] render(Table t, Kind kind, String x, String y, String err, String title, Format format)
            throws ReportException {
        Table.Column cx = column(t, x, "x");
        Table.Column cy = column(t, y, "y");
        Table.Column ce = err == null ? null : column(t, err, "err");
        List<Object> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> es = new ArrayList<>();
        int ix = t.index(cx);
        int iy = t.index(cy);
        int ie = ce == null ? -1 : t.index(ce);
        for (Object[] row : t.rows()) {
            if (row[ix] == null || row[iy] == null || (ie >= 0 && row[ie] == null)) {
                continue; // a row without the fields the chart draws is left out
            }
            if (!(row[iy] instanceof Double d)) {
                throw new ReportException("y field '" + y + "' must be a number or quantity, not " + describe(row[iy]));
            }
            xs.add(row[ix] instanceof Double n ? n : Csv.text(row[ix]));
            ys.add(d);
            if (ie >= 0) {
                // Error bars are drawn in y's unit, whatever unit their own column chose.
                if (!(row[ie] instanceof Double e)) {
                    throw new ReportException(
                            "err field '" + err + "' must be a number or quantity, not " + describe(row[ie]));
                }
                double scale = ce.unit() == null || cy.unit() == null
                        ? 1
                        : ce.unit().factor() / cy.unit().factor();
                es.add(e * scale);
            }
        }
        if (ys.isEmpty()) {
            throw new ReportException("nothing to chart: no row has both '" + x + "' and '" + y + "'");
        }
        String xTitle = axis(cx);
        String yTitle = axis(cy);
        boolean numericX = xs.stream().allMatch(o -> o instanceof Double);
        Chart<?, ?> chart;
        if (kind == Kind.LINE && numericX) {
            XYChart c = new XYChartBuilder()
                    .width(WIDTH)
                    .height(HEIGHT)
                    .title(title == null ? "" : title)
                    .xAxisTitle(xTitle)
                    .yAxisTitle(yTitle)
                    .build();
            style(c.getStyler());
            double[] xa = xs.stream().mapToDouble(o -> (Double) o).toArray();
            double[] ya = ys.stream().mapToDouble(Double::doubleValue).toArray();
            XYSeries s = es.isEmpty()
                    ? c.addSeries(y, xa, ya)
                    : c.addSeries(
                            y,
                            xa,
                            ya,
                            es.stream().mapToDouble(Double::doubleValue).toArray());
            s.setMarkerColor(BLUE);
            s.setLineColor(BLUE);
            chart = c;
        } else {
            CategoryChart c = new CategoryChartBuilder()
                    .width(WIDTH)
                    .height(HEIGHT)
                    .title(title == null ? "" : title)
                    .xAxisTitle(xTitle)
                    .yAxisTitle(yTitle)
                    .build();
            style(c.getStyler());
            c.getStyler().setAvailableSpaceFill(0.6);
            c.getStyler().setOverlapped(false);
            List<String> labels = xs.stream().map(Csv::text).toList();
            CategorySeries s = es.isEmpty() ? c.addSeries(y, labels, ys) : c.addSeries(y, labels, ys, es);
            s.setFillColor(BLUE);
            s.setLineColor(BLUE);
            s.setMarkerColor(BLUE);
            if (kind == Kind.LINE) {
                s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
            }
            chart = c;
        }
        byte[] bytes = encode(chart, format);
        return format == Format.SVG ? describe(bytes, title, kind, xTitle, yTitle, xs, ys, es) : bytes;
    }

    /**
     * XChart draws every glyph as a path, so an SVG would hold no text: this adds a {@code <title>}
     * and a {@code <desc>} with the chart's data, which screen readers, search and tests can read.
     */
    private static byte[] describe(
            byte[] svg,
            String title,
            Kind kind,
            String xTitle,
            String yTitle,
            List<Object> xs,
            List<Double> ys,
            List<Double> es) {
        String text = new String(svg, java.nio.charset.StandardCharsets.UTF_8);
        int open = text.indexOf("<svg");
        int end = open < 0 ? -1 : text.indexOf('>', open);
        if (end < 0) {
            return svg;
        }
        StringBuilder desc = new StringBuilder(kind.name().toLowerCase(Locale.ROOT))
                .append(" chart of ")
                .append(yTitle)
                .append(" by ")
                .append(xTitle)
                .append(':');
        for (int i = 0; i < ys.size(); i++) {
            desc.append(i == 0 ? " " : "; ")
                    .append(Csv.text(xs.get(i)))
                    .append(" = ")
                    .append(Csv.number(ys.get(i)));
            if (!es.isEmpty()) {
                desc.append(" ± ").append(Csv.number(es.get(i)));
            }
        }
        String insert = "\n  <title>" + xml(title == null || title.isBlank() ? yTitle + " by " + xTitle : title)
                + "</title>\n  <desc>" + xml(desc.toString()) + "</desc>";
        return (text.substring(0, end + 1) + insert + text.substring(end + 1))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static final Color BLUE = new Color(0x1f, 0x77, 0xb4);

    private static void style(org.knowm.xchart.style.AxesChartStyler st) {
        st.setLegendVisible(false);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(false);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setDecimalPattern("#,##0.###");
        st.setErrorBarsColor(Color.DARK_GRAY);
        st.setAntiAlias(true);
    }

    private static byte[] encode(Chart<?, ?> chart, Format format) throws ReportException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (format == Format.SVG) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException | RuntimeException e) {
            throw new ReportException("the chart could not be drawn: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static String axis(Table.Column c) {
        return c.unit() == null ? c.field() : c.field() + " (" + c.unit().label() + ")";
    }

    private static Table.Column column(Table t, String field, String role) throws ReportException {
        Table.Column c = t.column(field);
        if (c == null) {
            String known = String.join(", ", t.fields());
            String[] close = dev.srv6sh.grammar.diag.Names.suggest(field, t.fields());
            String hint = close.length == 0 ? "" : "; " + close[0];
            throw new ReportException(
                    role + " field '" + field + "' is not in the data" + hint + " (fields: " + known + ")");
        }
        return c;
    }

    private static String describe(Object cell) {
        return cell instanceof String s ? "\"" + s + "\"" : String.valueOf(cell);
    }
}
