package io.streamnlp.training;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why one entity type's spans go wrong: each gold span of the type is found, found with the wrong
 * type, found with other boundaries, or missed; each predicted span of the type that matches no gold
 * span is spurious, a gold span of another type, or a boundary error. F1 alone cannot tell a head
 * that never sees organisations from one that sees them and calls them places; the fix differs.
 *
 * <p>Predictions are taken before a set's type filter: on a set scored on PER / ORG / LOC, a gold
 * organisation tagged MISC counts as "wrong type (MISC)", not as missed.
 */
public final class SpanErrors {

    /** What became of one gold span of the type. */
    public enum GoldOutcome {
        /** A predicted span with the same boundaries and type. */
        CORRECT,
        /** A predicted span with the same boundaries and another type. */
        WRONG_TYPE,
        /** An overlapping predicted span of the type, with other boundaries. */
        BOUNDARY,
        /** An overlapping predicted span of another type, with other boundaries. */
        BOUNDARY_AND_TYPE,
        /** No predicted span overlaps it. */
        MISSED
    }

    /** What a predicted span of the type that is not correct overlaps. */
    public enum FalsePositive {
        /** No gold span overlaps it. */
        SPURIOUS,
        /** A gold span of another type with the same boundaries. */
        WRONG_TYPE,
        /** An overlapping gold span (of any type) with other boundaries. */
        BOUNDARY
    }

    private final String type;
    private final Map<GoldOutcome, Long> gold = new EnumMap<>(GoldOutcome.class);
    private final Map<FalsePositive, Long> falsePositives = new EnumMap<>(FalsePositive.class);
    private final Map<String, Long> wrongTypeAs = new TreeMap<>();
    private final Map<String, Long> missedTexts = new HashMap<>();
    private final Map<String, Long> spuriousTexts = new HashMap<>();

    public SpanErrors(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    /** Adds one sentence: its text, its gold spans and every predicted span (of all types). */
    public void add(String text, Collection<ConllEval.Span> goldSpans, Collection<ConllEval.Span> predicted) {
        for (ConllEval.Span g : goldSpans) {
            if (!g.type().equals(type)) {
                continue;
            }
            GoldOutcome outcome = outcome(g, predicted);
            gold.merge(outcome, 1L, Long::sum);
            if (outcome == GoldOutcome.MISSED) {
                missedTexts.merge(text.substring(g.start(), g.end()), 1L, Long::sum);
            }
        }
        for (ConllEval.Span p : predicted) {
            if (!p.type().equals(type) || goldSpans.contains(p)) {
                continue;
            }
            FalsePositive kind = falsePositive(p, goldSpans);
            falsePositives.merge(kind, 1L, Long::sum);
            if (kind == FalsePositive.SPURIOUS) {
                spuriousTexts.merge(text.substring(p.start(), p.end()), 1L, Long::sum);
            }
        }
    }

    private GoldOutcome outcome(ConllEval.Span g, Collection<ConllEval.Span> predicted) {
        GoldOutcome best = GoldOutcome.MISSED;
        String wrongType = null;
        for (ConllEval.Span p : predicted) {
            if (!overlaps(g, p)) {
                continue;
            }
            boolean sameBounds = p.start() == g.start() && p.end() == g.end();
            boolean sameType = p.type().equals(type);
            if (sameBounds && sameType) {
                return GoldOutcome.CORRECT;
            }
            GoldOutcome candidate = sameBounds ? GoldOutcome.WRONG_TYPE
                    : sameType ? GoldOutcome.BOUNDARY : GoldOutcome.BOUNDARY_AND_TYPE;
            if (candidate.ordinal() < best.ordinal()) {
                best = candidate;
                wrongType = p.type();
            }
        }
        if (best == GoldOutcome.WRONG_TYPE) {
            wrongTypeAs.merge(wrongType, 1L, Long::sum);
        }
        return best;
    }

    private static FalsePositive falsePositive(ConllEval.Span p, Collection<ConllEval.Span> goldSpans) {
        FalsePositive best = FalsePositive.SPURIOUS;
        for (ConllEval.Span g : goldSpans) {
            if (!overlaps(g, p)) {
                continue;
            }
            if (g.start() == p.start() && g.end() == p.end()) {
                return FalsePositive.WRONG_TYPE;
            }
            best = FalsePositive.BOUNDARY;
        }
        return best;
    }

    private static boolean overlaps(ConllEval.Span a, ConllEval.Span b) {
        return a.start() < b.end() && b.start() < a.end();
    }

    public long gold(GoldOutcome outcome) {
        return gold.getOrDefault(outcome, 0L);
    }

    public long goldTotal() {
        return gold.values().stream().mapToLong(Long::longValue).sum();
    }

    public long falsePositives(FalsePositive kind) {
        return falsePositives.getOrDefault(kind, 0L);
    }

    /** Of the gold spans found with the right boundaries and another type: how many per predicted type. */
    public Map<String, Long> wrongTypeAs() {
        return Map.copyOf(wrongTypeAs);
    }

    /** The most frequent texts of missed gold spans, most frequent first. */
    public List<Map.Entry<String, Long>> topMissed(int n) {
        return top(missedTexts, n);
    }

    /** The most frequent texts of spurious predicted spans, most frequent first. */
    public List<Map.Entry<String, Long>> topSpurious(int n) {
        return top(spuriousTexts, n);
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    /** The Markdown header of {@link #markdownRow}. */
    public static String markdownHeader(String type) {
        return "| set | gold " + type + " | correct | wrong type (as) | boundary | boundary + type | missed "
                + "| false " + type + ": spurious | other type | boundary |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }

    /** One row: counts, and each gold outcome as a share of the gold spans. */
    public String markdownRow(String set) {
        long total = goldTotal();
        StringBuilder as = new StringBuilder();
        wrongTypeAs.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> as.append(as.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()));
        return String.format(Locale.ROOT, "| %s | %,d | %s | %s%s | %s | %s | %s | %,d | %,d | %,d |%n", set, total,
                share(GoldOutcome.CORRECT, total), share(GoldOutcome.WRONG_TYPE, total),
                as.isEmpty() ? "" : " (" + as + ")", share(GoldOutcome.BOUNDARY, total),
                share(GoldOutcome.BOUNDARY_AND_TYPE, total), share(GoldOutcome.MISSED, total),
                falsePositives(FalsePositive.SPURIOUS), falsePositives(FalsePositive.WRONG_TYPE),
                falsePositives(FalsePositive.BOUNDARY));
    }

    private String share(GoldOutcome outcome, long total) {
        long n = gold(outcome);
        return String.format(Locale.ROOT, "%,d (%.0f %%)", n, total == 0 ? 0 : 100.0 * n / total);
    }
}
