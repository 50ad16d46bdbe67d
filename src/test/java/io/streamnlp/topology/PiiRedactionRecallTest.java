package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.pii.DeadLetterValues;
import io.streamnlp.pii.MaskStyle;
import io.streamnlp.pii.PiiScanner;
import io.streamnlp.pii.PiiSettings;
import io.streamnlp.pii.PiiType;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.PiiSpan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gate and a measurement (data from {@code -Dshared.data.dir}, default {@code ../shared/data};
 * skipped only when that folder is absent): how many of the people and places that human annotators marked in
 * held-out NER sets the person and location detectors redact, through the whole topology (encoder,
 * NER head, PII scanner, as in production). A gold entity counts as redacted when every character of
 * it lies inside a masked span (of any type), partly when some do. Also times the scanner with every
 * detector on against the pipeline's own time per text (encoder and heads). Prints the README's table.
 */
class PiiRedactionRecallTest {

    record Gold(String type, int start, int end) {}

    record Sentence(String text, List<Gold> entities) {}

    @TempDir
    Path stateDir;

    @Test
    void personAndLocationRedactionRecallOnHeldOutNerSets() throws IOException {
        Path data = Path.of(System.getProperty("shared.data.dir", "../shared/data"));
        assumeTrue(Files.isDirectory(data.resolve("ner")), "no shared data at " + data.toAbsolutePath());
        StringBuilder table = new StringBuilder("| set | sentences | gold PER | PER redacted (whole) | PER partly | gold LOC "
                + "| LOC redacted (whole) | LOC partly | pipeline ms/text | scanner µs/text |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        measure("CoNLL-2003 test (original)", read(data.resolve("ner/conll2003/test_original.txt"), Map.of()), table, 0.94);
        measure("WNUT-17 dev", read(data.resolve("ner/wnut17/emerging.dev.conll"), Map.of("person", "PER", "location", "LOC")),
                table, 0.71);
        System.out.println("PII person/location redaction recall:\n" + table);
    }

    private void measure(String name, List<Sentence> sentences, StringBuilder table, double minPerRecall) {
        List<List<PiiSpan>> found = new ArrayList<>();
        long startNs;
        long pipelineNs;
        try (TopologyHarness pipeline = new TopologyHarness(stateDir.resolve(name.replaceAll("\\W", "")), Map.of(
                StreamNlpConfig.PII_DETECT, "true", StreamNlpConfig.PII_DETECTORS, "person,location",
                StreamNlpConfig.CACHE_ENABLED, "false", StreamNlpConfig.OUTPUTS, "enriched"), LiveFeed.NONE)) {
            startNs = System.nanoTime();
            for (int i = 0; i < sentences.size(); i++) {
                pipeline.input("logs").pipeInput(new TestRecord<>(Integer.toString(i).getBytes(StandardCharsets.UTF_8),
                        sentences.get(i).text().getBytes(StandardCharsets.UTF_8)));
                if (i % 32 == 31) {
                    pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
                }
            }
            pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
            List<EnrichedEvent> out = pipeline.values(OutputKind.ENRICHED, EnrichedEvent.class);
            pipelineNs = System.nanoTime() - startNs;
            assertThat(out).hasSize(sentences.size());
            out.forEach(e -> found.add(e.getPii()));
        }
        int[] per = score(sentences, found, "PER");
        int[] loc = score(sentences, found, "LOC");

        // The scanner alone, every detector on, over the same texts (after a warm-up pass).
        PiiScanner scanner = new PiiScanner(new PiiSettings(true, true, EnumSet.allOf(PiiType.class),
                List.of("US", "GB", "DE", "FR"), MaskStyle.TYPE, null, DeadLetterValues.REDACT));
        for (Sentence s : sentences) {
            scanner.find(s.text(), List.of());
        }
        long scanStart = System.nanoTime();
        for (Sentence s : sentences) {
            scanner.redact(s.text(), scanner.find(s.text(), List.of()));
        }
        long scanNs = System.nanoTime() - scanStart;
        table.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f %% | %.1f %% | %d | %.1f %% | %.1f %% | %.2f | %.1f |%n",
                name, sentences.size(), per[0], 100.0 * per[1] / per[0], 100.0 * per[2] / per[0], loc[0],
                100.0 * loc[1] / loc[0], 100.0 * loc[2] / loc[0], pipelineNs / 1e6 / sentences.size(),
                scanNs / 1e3 / sentences.size()));
        assertThat((double) per[1] / per[0]).as("%s: share of people redacted whole", name).isGreaterThanOrEqualTo(minPerRecall);
    }

    /** Gold entities of {@code type}: how many, how many covered whole, how many covered partly. */
    private static int[] score(List<Sentence> sentences, List<List<PiiSpan>> found, String type) {
        int gold = 0;
        int whole = 0;
        int partly = 0;
        for (int i = 0; i < sentences.size(); i++) {
            for (Gold g : sentences.get(i).entities()) {
                if (!g.type().equals(type)) {
                    continue;
                }
                gold++;
                int covered = 0;
                for (int c = g.start(); c < g.end(); c++) {
                    final int at = c;
                    if (found.get(i).stream().anyMatch(s -> s.getStart() <= at && at < s.getEnd())) {
                        covered++;
                    }
                }
                if (covered == g.end() - g.start()) {
                    whole++;
                } else if (covered > 0) {
                    partly++;
                }
            }
        }
        return new int[] {gold, whole, partly};
    }

    /** A CoNLL-style file (token first column, IOB2 tag last), tokens joined with single spaces. */
    static List<Sentence> read(Path file, Map<String, String> typeMap) throws IOException {
        List<Sentence> sentences = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<Gold> gold = new ArrayList<>();
        String openType = null;
        int openStart = -1;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("-DOCSTART-")) {
                if (openType != null) {
                    gold.add(new Gold(openType, openStart, text.length()));
                    openType = null;
                }
                if (!text.isEmpty()) {
                    sentences.add(new Sentence(text.toString(), List.copyOf(gold)));
                }
                text.setLength(0);
                gold.clear();
                continue;
            }
            String[] columns = line.split("\\s+");
            String token = columns[0];
            String tag = columns[columns.length - 1];
            boolean begins = tag.startsWith("B-");
            boolean inside = tag.startsWith("I-");
            String type = begins || inside ? typeMap.getOrDefault(tag.substring(2), tag.substring(2)) : null;
            if (openType != null && (!inside || !type.equals(openType))) {
                gold.add(new Gold(openType, openStart, text.length()));
                openType = null;
            }
            if (!text.isEmpty()) {
                text.append(' ');
            }
            if (type != null && openType == null) {
                openType = type;
                openStart = text.length();
            }
            text.append(token);
        }
        if (openType != null) {
            gold.add(new Gold(openType, openStart, text.length()));
        }
        if (!text.isEmpty()) {
            sentences.add(new Sentence(text.toString(), List.copyOf(gold)));
        }
        return sentences;
    }
}
