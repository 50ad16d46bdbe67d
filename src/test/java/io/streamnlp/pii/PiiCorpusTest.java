package io.streamnlp.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of each pattern detector on the labelled corpus, each detector run alone and
 * judged on its own type, a span counting only when its offsets are exactly the gold ones. The gates
 * sit just under what the detectors measure, so a change that loses a format or adds false alarms
 * fails here; the table printed is the README's.
 */
class PiiCorpusTest {

    record Score(int truePositives, int falsePositives, int falseNegatives) {
        double precision() {
            return truePositives + falsePositives == 0 ? 1 : (double) truePositives / (truePositives + falsePositives);
        }

        double recall() {
            return truePositives + falseNegatives == 0 ? 1 : (double) truePositives / (truePositives + falseNegatives);
        }
    }

    static final List<String> REGIONS = List.of("US", "GB", "DE", "FR");

    static Map<PiiType, Score> measure(List<PiiCorpus.Example> corpus, List<String> misses) {
        Map<PiiType, Score> scores = new EnumMap<>(PiiType.class);
        for (PatternDetector detector : PiiScanner.patternDetectors(new PiiSettings(true, false,
                EnumSet.allOf(PiiType.class), REGIONS, MaskStyle.TYPE, null, DeadLetterValues.REDACT))) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (PiiCorpus.Example example : corpus) {
                List<PiiSpan> found = new ArrayList<>();
                detector.find(example.text(), found);
                Set<PiiSpan> predicted = new HashSet<>(found);
                Set<PiiSpan> gold = new HashSet<>();
                example.gold().stream().filter(s -> s.type() == detector.type()).forEach(gold::add);
                for (PiiSpan span : predicted) {
                    if (gold.contains(span)) {
                        tp++;
                    } else {
                        fp++;
                        misses.add("false " + span.type() + " '" + example.text().substring(span.start(), span.end())
                                + "' in: " + example.text());
                    }
                }
                for (PiiSpan span : gold) {
                    if (!predicted.contains(span)) {
                        fn++;
                        misses.add("missed " + span.type() + " '" + example.text().substring(span.start(), span.end())
                                + "' in: " + example.text());
                    }
                }
            }
            scores.put(detector.type(), new Score(tp, fp, fn));
        }
        return scores;
    }

    @Test
    void eachDetectorFindsWhatTheCorpusMarksAndLittleElse() {
        gate("development corpus", PiiCorpus.load(), GATES, 8);
    }

    @Test
    void eachDetectorHoldsUpOnTheHeldOutCorpus() {
        gate("held-out corpus", PiiCorpus.heldOut(), HELD_OUT_GATES, 3);
    }

    private static void gate(String name, List<PiiCorpus.Example> corpus, Map<PiiType, double[]> gates, int minGold) {
        List<String> misses = new ArrayList<>();
        Map<PiiType, Score> scores = measure(corpus, misses);
        StringBuilder table = new StringBuilder("| detector | gold spans | found right | false alarms | precision | recall |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        scores.forEach((type, s) -> table.append(String.format("| `%s` | %d | %d | %d | %.3f | %.3f |%n", type.detector(),
                s.truePositives() + s.falseNegatives(), s.truePositives(), s.falsePositives(), s.precision(), s.recall())));
        System.out.println("PII " + name + ", " + corpus.size() + " texts:\n" + table);
        misses.forEach(m -> System.out.println("  " + m));

        assertThat(scores.keySet()).containsExactly(PiiType.URL_SECRET, PiiType.EMAIL, PiiType.IBAN, PiiType.CARD, PiiType.IP,
                PiiType.PHONE);
        for (Map.Entry<PiiType, Score> entry : scores.entrySet()) {
            Score score = entry.getValue();
            assertThat(score.truePositives() + score.falseNegatives()).as("gold spans of %s", entry.getKey()).isGreaterThanOrEqualTo(minGold);
            assertThat(score.precision()).as("precision of %s (%s)", entry.getKey(), misses).isGreaterThanOrEqualTo(gates.get(entry.getKey())[0]);
            assertThat(score.recall()).as("recall of %s (%s)", entry.getKey(), misses).isGreaterThanOrEqualTo(gates.get(entry.getKey())[1]);
        }
    }

    /** Per detector: the least precision and recall accepted. */
    static final Map<PiiType, double[]> GATES = Map.of(
            PiiType.EMAIL, new double[] {0.95, 0.95},
            PiiType.PHONE, new double[] {0.90, 0.90},
            PiiType.CARD, new double[] {0.95, 0.95},
            PiiType.IBAN, new double[] {0.95, 0.95},
            PiiType.IP, new double[] {0.90, 0.95},
            PiiType.URL_SECRET, new double[] {0.95, 0.95});

    /** Held out: what was measured on first run, rounded down (see the README's table). */
    static final Map<PiiType, double[]> HELD_OUT_GATES = Map.of(
            PiiType.EMAIL, new double[] {0.95, 0.95},
            PiiType.PHONE, new double[] {0.90, 0.95}, // 0.917 measured: a link-local IPv4 address reads as a number
            PiiType.CARD, new double[] {0.95, 0.95},
            PiiType.IBAN, new double[] {0.95, 0.95},
            PiiType.IP, new double[] {0.95, 0.95},
            PiiType.URL_SECRET, new double[] {0.95, 0.95});
}
