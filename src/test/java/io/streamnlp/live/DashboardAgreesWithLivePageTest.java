package io.streamnlp.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.testing.GrafanaDashboard;
import io.streamnlp.testing.GrafanaDashboard.Panel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the live page show the same figures under the same names: each figure
 * of the page has a panel that queries the Prometheus series of the very meter the page reads
 * ({@link MeterSampler}'s names, {@link PipelineMeters}' meters, exported as {@code Telemetry}
 * exports them), computed the same way (rates per second, p50 and p99, means per batch, hits over
 * look-ups), in the same unit once Grafana scales it (the page shows durations in ms, the series
 * are in seconds, the panels use Grafana's unit {@code s}). The README's table of that mapping lists
 * every panel with its unit.
 */
class DashboardAgreesWithLivePageTest {

    private static final GrafanaDashboard DASHBOARD = GrafanaDashboard.load();

    /**
     * A figure of the live page (its element id in index.html, its unit there) and the panel that
     * shows it (title, Grafana unit, the series its queries must read).
     */
    private record Pairing(String element, String liveUnit, String panel, String unit, List<String> series) {}

    private static List<Pairing> pairings() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineMeters meters = new PipelineMeters(registry);
        String latency = base(meters.eventLatency());
        String batch = base(meters.batchSize());
        String encoder = base(meters.encoderTime());
        return List.of(
                new Pairing("in-rate", "/s", "Records in per second", "cps", List.of(counter(MeterSampler.RECORDS_IN))),
                new Pairing("out-rate", "/s", "Records out per second", "cps", List.of(counter(MeterSampler.RECORDS_OUT))),
                new Pairing("dead-lettered-reasons", "/s", "Dead-lettered per second by reason", "cps",
                        List.of(counter(MeterSampler.DEAD_LETTERED))),
                new Pairing("latency-p50", "ms", "Latency, event time to output", "s", List.of(latency + "_bucket")),
                new Pairing("latency-p99", "ms", "Latency, event time to output", "s", List.of(latency + "_bucket")),
                new Pairing("batch-size", "texts", "Texts per batch", "suffix: " + meters.batchSize().getId().getBaseUnit(),
                        List.of(batch + "_sum", batch + "_count")),
                new Pairing("encoder-ms", "ms", "Encoder time per batch", "s", List.of(encoder + "_sum", encoder + "_count")),
                new Pairing("cache-hit-rate-recent", "%", "Cache hit rate", "percentunit",
                        List.of(counter(MeterSampler.CACHE_HITS), counter(MeterSampler.CACHE_MISSES))));
    }

    @Test
    void everyFigureOfThePageHasAPanelOnTheSameSeriesInTheSameUnit() throws IOException {
        String page = resource("/live/index.html");
        for (Pairing pairing : pairings()) {
            assertThat(page).as("live page element " + pairing.element()).contains("id=\"" + pairing.element() + "\"");
            Panel panel = DASHBOARD.panel(pairing.panel());
            assertThat(panel.unit()).as(pairing.panel() + " unit (the page: " + pairing.liveUnit() + ")").isEqualTo(pairing.unit());
            assertThat(seriesOf(panel)).as(pairing.panel() + " reads what the page reads").containsAll(pairing.series());
        }
    }

    @Test
    void theFiguresAreComputedAsThePageComputesThem() {
        // Durations: the page shows ms of a histogram in seconds, so a panel in seconds shows the same figure.
        assertThat(pairings()).filteredOn(p -> p.liveUnit().equals("ms"))
                .allSatisfy(p -> assertThat(p.series()).allMatch(s -> s.contains("_seconds")));
        assertThat(DASHBOARD.panel("Latency, event time to output").targets()).extracting(GrafanaDashboard.Target::expr)
                .satisfiesExactly(p50 -> assertThat(p50).startsWith("histogram_quantile(0.5, "),
                        p99 -> assertThat(p99).startsWith("histogram_quantile(0.99, "));
        // Means per batch: texts (and encoder time) over encoder calls, as LiveView's ratio of deltas.
        assertThat(DASHBOARD.panel("Texts per batch").targets().getFirst().expr()).matches("sum\\(rate\\(\\w+_sum\\{.*/ sum\\(rate\\(\\w+_count\\{.*");
        assertThat(DASHBOARD.panel("Encoder time per batch").targets().getFirst().expr()).matches("sum\\(rate\\(\\w+_sum\\{.*/ sum\\(rate\\(\\w+_count\\{.*");
        // Hit rate: hits over hits + misses.
        String hits = counter(MeterSampler.CACHE_HITS);
        String misses = counter(MeterSampler.CACHE_MISSES);
        assertThat(DASHBOARD.panel("Cache hit rate").targets().getFirst().expr().replaceAll("\\{[^}]*}\\[[^]]*]", ""))
                .isEqualTo("sum(rate(" + hits + ")) / (sum(rate(" + hits + ")) + sum(rate(" + misses + ")))");
        // Dead letters per reason, as the page lists them.
        assertThat(DASHBOARD.panel("Dead-lettered per second by reason").targets().getFirst().expr()).startsWith("sum by (reason) (");
    }

    @Test
    void theReadmeTableListsEveryPanelWithItsUnit() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("### Grafana dashboard");
        assertThat(section).as("README has a 'Grafana dashboard' section").isNotNegative();
        String text = readme.substring(section + "### Grafana dashboard".length());
        Matcher next = Pattern.compile("(?m)^#{2,3} ").matcher(text);
        text = next.find() ? text.substring(0, next.start()) : text;
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| ([^|`]+?) \\| [^|]+ \\| `([^`]+)` [^|]*\\|").matcher(text);
        while (row.find()) {
            rows.put(row.group(1), row.group(2));
        }
        Map<String, String> panels = new LinkedHashMap<>();
        DASHBOARD.panels().forEach(p -> panels.put(p.title(), p.unit()));
        assertThat(rows).isEqualTo(panels);
    }

    /** The metric names a panel's queries read. */
    private static Set<String> seriesOf(Panel panel) {
        Set<String> names = new TreeSet<>();
        for (GrafanaDashboard.Target target : panel.targets()) {
            Matcher matcher = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{").matcher(target.expr());
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** The Prometheus name of a meter's series, as the registry Telemetry uses names it. */
    private static String base(Meter meter) {
        Meter.Id id = meter.getId();
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).config().namingConvention()
                .name(id.getName(), id.getType(), id.getBaseUnit());
    }

    /** The sample name under which a counter of this meter name is scraped. */
    private static String counter(String meterName) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FunctionCounter.builder(meterName, new Object(), o -> 1).register(registry);
        List<String> samples = new ArrayList<>(registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList());
        assertThat(samples).hasSize(1);
        String sample = samples.getFirst();
        return sample.substring(0, sample.indexOf(sample.contains("{") ? '{' : ' '));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DashboardAgreesWithLivePageTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
