package io.streamnlp.cli;

import io.streamnlp.bench.BenchReport;
import io.streamnlp.bench.Benchmark;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.bench.Cluster;
import io.streamnlp.local.ApicurioRegistry;
import io.streamnlp.local.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures the pipeline against the model's own speed; prints the table, optionally writes it. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark: encoder alone vs the pipeline (exactly-once, at-least-once, per record), padding, latency, memory.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = ModelCatalogue.DEFAULT_MODEL, description = "Encoder (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--smoke", description = "A few seconds: checks that every row runs; its figures mean nothing.")
    boolean smoke;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the table (Markdown) to this file, e.g. docs/BENCHMARKS.md.")
    Path output;

    @Option(names = "--heads-only", description = "Only the encoder and task-head rows, without a cluster "
            + "(the heads' cost per text on the review mix, one thread).")
    boolean headsOnly;

    @Option(names = "--threads", defaultValue = "0",
            description = "With --heads-only: ONNX Runtime threads of the encoder row (default: all cores).")
    int threads;

    @Override
    public Integer call() throws Exception {
        Benchmark.Size size = smoke ? Benchmark.Size.SMOKE : Benchmark.Size.FULL;
        if (headsOnly) {
            String table = new Benchmark(model, size, System.out).runHeads(threads).headsMarkdown();
            System.out.println();
            System.out.print(table);
            return 0;
        }
        BenchReport report;
        try (LocalStack stack = LocalStack.start(ApicurioRegistry.defaultHome())) {
            report = new Benchmark(model, size, System.out).run(new Cluster(stack.bootstrapServers(), stack.registryUrl()));
        }
        String table = report.markdown();
        System.out.println();
        System.out.print(table);
        if (output != null) {
            String command = "bin/streamnlp bench" + (smoke ? " --smoke" : "") + " --model " + model;
            Files.writeString(output, "# Benchmarks\n\nProduced by `" + command + " --output " + output + "`; "
                    + "every row measured in the same run, on the same machine.\n\n" + table);
            System.out.println("Written to " + output);
        }
        return report.complete() ? 0 : 1;
    }
}
