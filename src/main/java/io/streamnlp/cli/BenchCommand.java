package io.streamnlp.cli;

import io.streamnlp.bench.BenchReport;
import io.streamnlp.bench.Benchmark;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.bench.Cluster;
import io.streamnlp.local.ApicurioRegistry;
import io.streamnlp.local.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.streamnlp.bench.SoakReport;
import io.streamnlp.config.StreamNlpConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

    @Option(names = "--levers", description = "Instead of the table: the exactly-once pipeline's throughput and latency "
            + "under each tuning lever (thread layout, poll and fetch waits, commit interval), side by side.")
    boolean levers;

    @Option(names = "--soak", paramLabel = "DURATION", description = "Instead of the table: a soak at 70 %% of the measured "
            + "maximum for DURATION (e.g. 10m, 90s), a line per minute, and its verdicts (memory, by-text topic, p99).")
    String soak;

    @Option(names = "--soak-rate", paramLabel = "TEXTS_PER_SECOND", description = "With --soak: offer this many texts/s "
            + "instead of 70 %% of the measured maximum, e.g. to soak two settings at one load (the maximum is still measured "
            + "and reported).")
    Double soakRate;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A StreamNLP setting every pipeline row starts "
            + "from, on top of the defaults (repeatable; a row's own settings still win), e.g. --set cache.placement=by-text "
            + "to soak that placement. With --output it also names the section written, so runs with other settings sit beside it.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkSettings();
        Benchmark.Size size = smoke ? Benchmark.Size.SMOKE : Benchmark.Size.FULL;
        if (levers || soak != null) {
            Duration soakFor = soak == null ? null : parseDuration(soak);
            String table;
            boolean complete;
            try (LocalStack stack = LocalStack.start(ApicurioRegistry.defaultHome())) {
                Cluster cluster = new Cluster(stack.bootstrapServers(), stack.registryUrl());
                Benchmark bench = new Benchmark(model, size, System.out, settings);
                if (levers) {
                    table = bench.runLevers(cluster, Benchmark.LEVERS).markdown();
                    complete = true;
                } else {
                    SoakReport report = bench.runSoak(cluster, soakFor, soakRate);
                    table = report.markdown();
                    complete = report.complete();
                }
            }
            System.out.println();
            System.out.print(table);
            write(section(levers ? "levers" : soakRate == null ? "soak" : "soak rate=" + rate(soakRate)), "bin/streamnlp bench"
                    + (smoke ? " --smoke" : "") + " --model " + model + (levers ? " --levers" : " --soak " + soak
                    + (soakRate == null ? "" : " --soak-rate " + rate(soakRate))) + setOptions(), settingsLine() + table);
            return complete ? 0 : 1;
        }
        if (headsOnly) {
            String table = new Benchmark(model, size, System.out, settings).runHeads(threads).headsMarkdown();
            System.out.println();
            System.out.print(table);
            return 0;
        }
        BenchReport report;
        try (LocalStack stack = LocalStack.start(ApicurioRegistry.defaultHome())) {
            report = new Benchmark(model, size, System.out, settings).run(new Cluster(stack.bootstrapServers(), stack.registryUrl()));
        }
        String table = report.markdown();
        System.out.println();
        System.out.print(table);
        write(section("table"), "bin/streamnlp bench" + (smoke ? " --smoke" : "") + " --model " + model + setOptions(),
                settingsLine() + table);
        return report.complete() ? 0 : 1;
    }

    /**
     * With {@code --output}: replaces this run's section of the file (between its
     * {@code <!-- bench:NAME:start -->} and {@code end} markers), or appends it, and keeps the rest
     * (the hand-written reading of the figures).
     */
    private void write(String section, String command, String table) throws java.io.IOException {
        if (output == null) {
            return;
        }
        String body = "Produced by `" + command + " --output " + output + "`; every row measured in the same run, "
                + "on the same machine.\n\n" + table;
        String updated = withSection(Files.exists(output) ? Files.readString(output) : "# Benchmarks\n", section, body);
        Files.writeString(output, updated);
        System.out.println("Written to " + output + " (section " + section + ")");
    }

    /** {@code file} with the text between {@code section}'s markers replaced by {@code body}, or the section appended. */
    static String withSection(String file, String section, String body) {
        String start = "<!-- bench:" + section + ":start -->";
        String end = "<!-- bench:" + section + ":end -->";
        String marked = start + "\n" + body + end;
        int from = file.indexOf(start);
        int to = file.indexOf(end);
        return from >= 0 && to > from ? file.substring(0, from) + marked + file.substring(to + end.length())
                : file.stripTrailing() + "\n\n" + marked + "\n";
    }

    /** A rate as written: 101, or 100.5. */
    private static String rate(double textsPerSecond) {
        return textsPerSecond == Math.rint(textsPerSecond) ? Long.toString((long) textsPerSecond) : Double.toString(textsPerSecond);
    }

    /**
     * A setting StreamNLP does not know, or a value it refuses, stops the run before anything starts, named;
     * so does a {@code --soak-rate} without {@code --soak} or not above zero.
     */
    private void checkSettings() {
        if (soakRate != null && (soak == null || !(soakRate > 0) || soakRate.isInfinite())) {
            throw new ParameterException(spec.commandLine(), soak == null ? "--soak-rate works only with --soak (e.g. --soak 10m "
                    + "--soak-rate 100)" : "--soak-rate: " + soakRate + " is not a rate: give the texts per second, above 0");
        }
        for (String key : settings.keySet()) {
            if (!StreamNlpConfig.DEFINITION.names().contains(key) && !key.startsWith("kafka.")) {
                throw new ParameterException(spec.commandLine(), "--set: '" + key
                        + "' is no StreamNLP setting (the settings are in the README's table; Kafka's own take the kafka. prefix)");
            }
        }
        try {
            new StreamNlpConfig(settings);
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), "--set: " + e.getMessage());
        }
    }

    /** The section's name in --output: the kind of run, then the --set settings, so such runs sit beside the plain one. */
    String section(String kind) {
        return settings.isEmpty() ? kind : kind + " " + String.join(" ", setPairs());
    }

    private String setOptions() {
        return setPairs().stream().map(pair -> " --set " + pair).collect(Collectors.joining());
    }

    private String settingsLine() {
        return settings.isEmpty() ? "" : "Settings on top of the defaults, for every row: " + String.join(", ", setPairs()) + ".\n\n";
    }

    private List<String> setPairs() {
        return settings.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList();
    }

    /** 10m, 90s, 1h, or an ISO-8601 duration (PT10M). */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new ParameterException(new picocli.CommandLine(new BenchCommand()),
                    "--soak: '" + text + "' is not a duration: write e.g. 10m, 90s or 1h");
        }
    }
}
