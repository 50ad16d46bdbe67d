package io.streamnlp.bench;

import static io.streamnlp.bench.BenchReport.f;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** {@code bench --levers}: each tuning lever's throughput and latency, side by side, measured in one run. */
public final class LeverReport {

    private record Measured(Benchmark.Lever lever, PipelineBenchmark.Throughput throughput, PipelineBenchmark.Latency latency) {}

    private final BenchReport encoder;
    private final List<Measured> rows = new ArrayList<>();

    LeverReport(BenchReport encoder) {
        this.encoder = encoder;
    }

    void add(Benchmark.Lever lever, PipelineBenchmark.Throughput throughput, PipelineBenchmark.Latency latency) {
        rows.add(new Measured(lever, throughput, latency));
    }

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append(f("Levers, one run: %s. %s Latency: every lever at the same offered load (half the first lever's "
                + "throughput), event timestamp to a read_committed consumer (in its group before the first event), after the first "
                + PipelineBenchmark.LATENCY_START_UP.toSeconds() + " s of a fresh instance (their p99 in the last column).%n%n", BenchReport.machine(), BenchReport.PIPELINE_ROWS));
        out.append("| row | measured | target | met |\n|---|---|---|---|\n");
        encoder.encoderRows(out);
        out.append("\n| lever | settings | exactly-once texts/s | x encoder | latency p50 / p99 | p99 in the first "
                + PipelineBenchmark.LATENCY_START_UP.toSeconds() + " s after start |\n|---|---|---|---|---|---|\n");
        double ceiling = encoder.encoderCeiling().textsPerSecond();
        for (Measured m : rows) {
            String settings = m.lever().settings().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`").collect(Collectors.joining(", "));
            if (m.lever().downstreamFetchWaitMs() != null) {
                settings += (settings.isEmpty() ? "" : ", ") + "downstream consumer `fetch.max.wait.ms=" + m.lever().downstreamFetchWaitMs() + "`";
            }
            out.append(f("| %s | %s | %.0f | %.2f | %.0f / %.0f ms | %.0f ms |%n", m.lever().name(), settings.isEmpty() ? "defaults" : settings,
                    m.throughput().textsPerSecond(), m.throughput().textsPerSecond() / ceiling, m.latency().p50Ms(), m.latency().p99Ms(),
                    m.latency().startUpP99Ms()));
        }
        out.append("\nWhere each lever's exactly-once throughput run spent the CPU (cores busy over the row, by thread group):\n\n");
        for (Measured m : rows) {
            out.append("- ").append(m.lever().name()).append(": ").append(m.throughput().describeCpu()).append('\n');
        }
        return out.toString();
    }
}
