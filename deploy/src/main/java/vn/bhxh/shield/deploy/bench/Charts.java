package vn.bhxh.shield.deploy.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG charts (XChart). */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private Charts() {
    }

    /**
     * p50 / p99 / p99.9 end-to-end latency against the offered load (fixed levels and the step search's), with
     * each limit (name, ms) as a line.
     */
    static void latency(Path file, List<Double> offered, List<Double> p50, List<Double> p99, List<Double> p999,
                        List<Map.Entry<String, Double>> limitsMs) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("End-to-end latency (HTTP 202 -> committed blocklist record), fixed levels and step search")
                .xAxisTitle("offered load (reports/s)").yAxisTitle("latency (ms)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.addSeries("p50", offered, p50).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("p99", offered, p99).setMarker(SeriesMarkers.DIAMOND);
        chart.addSeries("p99.9", offered, p999).setMarker(SeriesMarkers.SQUARE);
        double low = offered.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        double high = offered.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        limitsMs.forEach(limit -> chart.addSeries(limit.getKey(), List.of(low, high),
                List.of(limit.getValue(), limit.getValue())).setMarker(SeriesMarkers.NONE));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Each ratio against its limit, in percent, beside the target. */
    static void ratios(Path file, List<String> names, List<Double> percents, List<Double> targets) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Throughput as a share of its limit, same run, same broker")
                .xAxisTitle("").yAxisTitle("% of the limit").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLabelsVisible(true);
        chart.addSeries("measured (median)", names, percents);
        chart.addSeries("target", names, targets);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Absolute throughputs, the floors and what we build on them, each bar labelled with its value. */
    static void throughput(Path file, List<String> names, List<Double> perSecond) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Throughput (records or requests per second, median)")
                .xAxisTitle("").yAxisTitle("per second").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.addSeries("per second", names, perSecond);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
