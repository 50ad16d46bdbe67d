package io.streamnlp.language;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of the README's language identification section, measured on this machine:
 *
 * <ol>
 *   <li>accuracy of the detector on the labelled multilingual set ({@code src/test/resources/language/multilingual.tsv}),
 *       per language, short texts (under 20 letters) and the others apart;
 *   <li>the share of English texts that would be skipped as not English on the held-out English sets of the shared
 *       data folder (SST-2 dev, CR, SemEval-2017 twitter-2016test-A, CoNLL-2003 test sentences), at the settings given;
 *   <li>detection time per text (thread CPU time, one thread, one text at a time), start time and heap of the models.
 * </ol>
 *
 * Run: {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.streamnlp.language.LanguageMeasurement
 * ../shared/data [auto|high|low] [candidates]}
 */
public final class LanguageMeasurement {

    private LanguageMeasurement() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        LanguageAccuracy accuracy = LanguageAccuracy.of(args.length > 1 ? args[1] : "auto");
        List<String> candidates = args.length > 2 ? List.of(args[2].split(",")) : LanguageSettings.DEFAULT_CANDIDATES;
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        long started = System.nanoTime();
        LanguageDetector detector = LanguageDetector.of(candidates, accuracy);
        detector.warmUp();
        long startMs = (System.nanoTime() - started) / 1_000_000;
        System.gc();
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        System.out.printf(Locale.ROOT, "accuracy=%s, %d candidates: %s%n", accuracy.settingName(), candidates.size(), candidates);
        System.out.printf(Locale.ROOT, "start (build + load every candidate's models): %d ms; heap of the models: %.0f MiB%n",
                startMs, (heapAfter - heapBefore) / 1048576.0);

        accuracy(detector, labelled());

        Map<String, List<String>> english = new LinkedHashMap<>();
        english.put("SST-2 dev", sst2(data.resolve("sentiment/sst2/dev.tsv")));
        english.put("CR", cr(data.resolve("sentiment/cr-customer-reviews/custrev.all")));
        english.put("SemEval-2017 twitter-2016test-A", semeval(data.resolve("sentiment/semeval2017-task4a/twitter-2016test-A.txt")));
        english.put("CoNLL-2003 test", conll(data.resolve("ner/conll2003/test_original.txt")));
        double[] confidences = {0.0, 0.02, 0.05, 0.1, 0.15};
        int[] lengths = {0, 10, 15, 20};
        System.out.println();
        System.out.println("Non-English labelled sentences kept from the English heads (detected as not en, at min.confidence / min.length):");
        List<Labelled> foreign = labelled().stream().filter(l -> !l.language().equals("en")).toList();
        List<DetectedLanguage> foreignFound = foreign.stream().map(l -> detector.detect(l.text())).toList();
        for (int length : lengths) {
            StringBuilder row = new StringBuilder("| l>=" + length + " |");
            for (double c : confidences) {
                int caught = 0;
                for (int i = 0; i < foreign.size(); i++) {
                    DetectedLanguage d = foreignFound.get(i);
                    if (d.code() != null && !d.code().equals("en") && d.confidence() >= c
                            && LanguageGate.letters(foreign.get(i).text()) >= length) {
                        caught++;
                    }
                }
                row.append(String.format(Locale.ROOT, " c>=%.2f: %.1f %% |", c, 100.0 * caught / foreign.size()));
            }
            System.out.println(row);
        }
        System.out.println();
        System.out.println("English texts that would be skipped (detected language not en, at min.confidence / min.length):");
        Map<String, List<DetectedLanguage>> detected = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> set : english.entrySet()) {
            List<DetectedLanguage> found = new ArrayList<>();
            for (String text : set.getValue()) {
                found.add(detector.detect(text));
            }
            detected.put(set.getKey(), found);
        }
        StringBuilder header = new StringBuilder("| set | texts |");
        for (int length : lengths) {
            for (double c : confidences) {
                header.append(String.format(Locale.ROOT, " c>=%.2f l>=%d |", c, length));
            }
        }
        System.out.println(header);
        for (Map.Entry<String, List<String>> set : english.entrySet()) {
            StringBuilder row = new StringBuilder("| " + set.getKey() + " | " + set.getValue().size() + " |");
            for (int length : lengths) {
                for (double c : confidences) {
                    int skipped = 0;
                    for (int i = 0; i < set.getValue().size(); i++) {
                        DetectedLanguage d = detected.get(set.getKey()).get(i);
                        if (d.code() != null && !d.code().equals("en") && d.confidence() >= c
                                && LanguageGate.letters(set.getValue().get(i)) >= length) {
                            skipped++;
                        }
                    }
                    row.append(String.format(Locale.ROOT, " %.2f %% |", 100.0 * skipped / set.getValue().size()));
                }
            }
            System.out.println(row);
        }
        printSkippedExamples(english, detected);

        List<String> all = new ArrayList<>();
        english.values().forEach(all::addAll);
        timing(detector, all);
    }

    private static void printSkippedExamples(Map<String, List<String>> english, Map<String, List<DetectedLanguage>> detected) {
        System.out.println("Examples skipped at the defaults:");
        Map<String, Integer> byCode = new TreeMap<>();
        for (Map.Entry<String, List<String>> set : english.entrySet()) {
            int shown = 0;
            for (int i = 0; i < set.getValue().size(); i++) {
                DetectedLanguage d = detected.get(set.getKey()).get(i);
                String text = set.getValue().get(i);
                if (d.code() != null && !d.code().equals("en") && d.confidence() >= LanguageSettings.DEFAULT_MIN_CONFIDENCE
                        && LanguageGate.letters(text) >= LanguageSettings.DEFAULT_MIN_LENGTH) {
                    byCode.merge(d.code(), 1, Integer::sum);
                    if (shown++ < 12) {
                        System.out.printf(Locale.ROOT, "  %s %.2f  %s%n", d.code(), d.confidence(),
                                text.length() > 120 ? text.substring(0, 120) : text);
                    }
                }
            }
        }
        System.out.println("  by detected language: " + byCode);
    }

    private static void timing(LanguageDetector detector, List<String> texts) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            for (String text : texts) {
                detector.detect(text);
            }
        }
        long wall = System.nanoTime();
        long cpu = mx.getCurrentThreadCpuTime();
        double chars = 0;
        for (String text : texts) {
            detector.detect(text);
            chars += text.length();
        }
        double n = texts.size();
        System.out.printf(Locale.ROOT, "%nDetection per text (%d English texts, mean %.0f characters, one thread): %.1f us wall, "
                + "%.1f us thread CPU time%n", texts.size(), chars / n, (System.nanoTime() - wall) / 1e3 / n,
                (mx.getCurrentThreadCpuTime() - cpu) / 1e3 / n);
    }

    record Labelled(String language, String text) {}

    static List<Labelled> labelled() {
        try (InputStream in = LanguageMeasurement.class.getResourceAsStream("/language/multilingual.tsv")) {
            List<Labelled> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                rows.add(new Labelled(line.substring(0, tab), line.substring(tab + 1).strip()));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void accuracy(LanguageDetector detector, List<Labelled> rows) {
        Map<String, int[]> byLanguage = new TreeMap<>();
        int[] total = new int[4];
        List<String> errors = new ArrayList<>();
        for (Labelled row : rows) {
            DetectedLanguage d = detector.detect(row.text());
            boolean right = row.language().equals(d.code());
            boolean isShort = LanguageGate.letters(row.text()) < 20;
            int[] counts = byLanguage.computeIfAbsent(row.language(), k -> new int[4]);
            int slot = isShort ? 2 : 0;
            counts[slot]++;
            total[slot]++;
            if (right) {
                counts[slot + 1]++;
                total[slot + 1]++;
            } else {
                errors.add(row.language() + " -> " + d.code() + " " + String.format(Locale.ROOT, "%.2f", d.confidence())
                        + "  " + row.text());
            }
        }
        System.out.println();
        System.out.println("| language | sentences | correct | short (< 20 letters) | correct | all |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map.Entry<String, int[]> e : byLanguage.entrySet()) {
            int[] c = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f %% | %d | %.1f %% | %.1f %% |%n", e.getKey(), c[0], 100.0 * c[1] / c[0],
                    c[2], 100.0 * c[3] / c[2], 100.0 * (c[1] + c[3]) / (c[0] + c[2]));
        }
        System.out.printf(Locale.ROOT, "| all | %d | %.1f %% | %d | %.1f %% | %.1f %% |%n", total[0], 100.0 * total[1] / total[0],
                total[2], 100.0 * total[3] / total[2], 100.0 * (total[1] + total[3]) / (total[0] + total[2]));
        System.out.println("Errors:");
        errors.forEach(e -> System.out.println("  " + e));
    }

    private static List<String> sst2(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                texts.add(line.substring(tab + 1).strip());
            }
        }
        return texts;
    }

    private static List<String> cr(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            if (line.length() > 2) {
                texts.add(line.substring(2).strip());
            }
        }
        return texts;
    }

    private static List<String> semeval(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.split("\t");
            if (parts.length >= 3) {
                texts.add(parts[2].strip());
            }
        }
        return texts;
    }

    private static List<String> conll(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        StringBuilder sentence = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("-DOCSTART-")) {
                if (!sentence.isEmpty()) {
                    texts.add(sentence.toString());
                    sentence.setLength(0);
                }
                continue;
            }
            if (!sentence.isEmpty()) {
                sentence.append(' ');
            }
            sentence.append(line.split("\\s+")[0]);
        }
        if (!sentence.isEmpty()) {
            texts.add(sentence.toString());
        }
        return texts;
    }
}
