package io.streamnlp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.local.ApicurioRegistry;
import io.streamnlp.local.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The benchmark in smoke mode: every row runs and prints. Its figures are not judged here. */
class BenchSmokeIntegrationTest {

    @Test
    void everyRowRunsAndPrints() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BenchReport report;
        try (LocalStack stack = LocalStack.start(ApicurioRegistry.defaultHome())) {
            report = new Benchmark(ModelCatalogue.DEFAULT_MODEL, Benchmark.Size.SMOKE, new PrintStream(progress))
                    .run(new Cluster(stack.bootstrapServers(), stack.registryUrl()));
        }
        System.out.println(report.markdown());
        assertThat(report.complete()).isTrue();
        assertThat(report.markdown()).contains("encoder alone (model.graph=fused, as the pipeline rows run it)", "slices of similar length", "encoder arithmetic",
                "G MAC/s ceiling", "where the exactly-once row's CPU went", "pipeline, exactly-once", "pipeline, at-least-once",
                "per record", "live page's aggregation on", "padding waste", "latency at half load", "memory: 4 input partitions",
                "RocksDB pool peak", "outputs=embeddings", "long texts", "language identification per text", "PII detection and redaction per text",
                "cache.placement=auto: partition on a fresh application id", "cache.placement=by-text (every event takes the by-text hop)",
                "the same repeating stream, cache.placement=by-text", "model.graph=fused / packaged",
                "the same, in the pipeline's layout: each batch in", "texts per encoder call");
    }

    @Test
    void leversRunSideBySide() throws Exception {
        LeverReport report;
        try (LocalStack stack = LocalStack.start(ApicurioRegistry.defaultHome())) {
            report = new Benchmark(ModelCatalogue.DEFAULT_MODEL, Benchmark.Size.SMOKE, new PrintStream(new ByteArrayOutputStream()))
                    .runLevers(new Cluster(stack.bootstrapServers(), stack.registryUrl()), Benchmark.LEVERS.subList(0, 2));
        }
        String table = report.markdown();
        System.out.println(table);
        assertThat(table).contains("| defaults | defaults |", "`inference.parallel.calls=1`", "cores busy", "texts per encoder call");
    }
}
