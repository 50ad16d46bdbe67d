package io.streamnlp.training;

import io.streamnlp.model.EntitySpan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * EntitySpan-level scoring with the rules of the CoNLL shared task's {@code conlleval} script: chunks
 * are found with its start-of-chunk / end-of-chunk rules (so IOB1 and IOB2 input both work, and a
 * stray I-X opens a chunk), and a predicted entity counts only when its span and type both match a
 * gold one exactly. Micro-averaged precision, recall and F1 over all entities, and per type.
 */
public final class ConllEval {

    /** A chunk over token indices {@code [start, end)}. */
    public record Chunk(String type, int start, int end) {}

    /** An entity as character offsets {@code [start, end)} into a text. */
    public record Span(String type, int start, int end) {}

    private ConllEval() {}

    /** Chunks of a tag sequence (one sentence), with conlleval's rules. */
    public static List<Chunk> chunks(List<String> tags) {
        List<Chunk> chunks = new ArrayList<>();
        String prevTag = "O";
        String prevType = "";
        int open = -1;
        String openType = null;
        for (int i = 0; i < tags.size(); i++) {
            String full = tags.get(i);
            String tag;
            String type;
            int dash = full.indexOf('-');
            if (dash > 0) {
                tag = full.substring(0, dash);
                type = full.substring(dash + 1);
            } else {
                tag = full;
                type = "";
            }
            if (open >= 0 && endOfChunk(prevTag, tag, prevType, type)) {
                chunks.add(new Chunk(openType, open, i));
                open = -1;
            }
            if (startOfChunk(prevTag, tag, prevType, type)) {
                open = i;
                openType = type;
            }
            prevTag = tag;
            prevType = type;
        }
        if (open >= 0) {
            chunks.add(new Chunk(openType, open, tags.size()));
        }
        return chunks;
    }

    static boolean endOfChunk(String prevTag, String tag, String prevType, String type) {
        boolean end = false;
        if (prevTag.equals("B") && (tag.equals("B") || tag.equals("S") || tag.equals("O"))) {
            end = true;
        }
        if (prevTag.equals("I") && (tag.equals("B") || tag.equals("S") || tag.equals("O"))) {
            end = true;
        }
        if (prevTag.equals("E") || prevTag.equals("S")) {
            end = true;
        }
        if (!prevTag.equals("O") && !prevTag.equals(".") && !prevType.equals(type)) {
            end = true;
        }
        return end;
    }

    static boolean startOfChunk(String prevTag, String tag, String prevType, String type) {
        boolean start = false;
        if (tag.equals("B") || tag.equals("S")) {
            start = true;
        }
        if ((prevTag.equals("E") || prevTag.equals("S") || prevTag.equals("O")) && (tag.equals("E") || tag.equals("I"))) {
            start = true;
        }
        if (!tag.equals("O") && !tag.equals(".") && !prevType.equals(type)) {
            start = true;
        }
        return start;
    }

    /** Running counts of true positives, gold and predicted entities, overall and per type. */
    public static final class Score {
        private final Map<String, long[]> byType = new TreeMap<>();
        private final long[] total = new long[3];

        /** Adds one text: its gold and predicted entities. */
        public void add(Collection<Span> gold, Collection<Span> predicted) {
            Set<Span> goldSet = new HashSet<>(gold);
            for (Span s : gold) {
                count(s.type(), 1, 1);
            }
            for (Span s : new HashSet<>(predicted)) {
                count(s.type(), 2, 1);
                if (goldSet.contains(s)) {
                    count(s.type(), 0, 1);
                }
            }
        }

        private void count(String type, int slot, long n) {
            byType.computeIfAbsent(type, t -> new long[3])[slot] += n;
            total[slot] += n;
        }

        public long truePositives() {
            return total[0];
        }

        public long gold() {
            return total[1];
        }

        public long predicted() {
            return total[2];
        }

        public double precision() {
            return ratio(total[0], total[2]);
        }

        public double recall() {
            return ratio(total[0], total[1]);
        }

        /** Micro F1 over all entities, in percent (0-100) as conlleval prints it. */
        public double f1() {
            return f1(total);
        }

        public double f1(String type) {
            return f1(byType.getOrDefault(type, new long[3]));
        }

        public double precision(String type) {
            long[] c = byType.getOrDefault(type, new long[3]);
            return ratio(c[0], c[2]);
        }

        public double recall(String type) {
            long[] c = byType.getOrDefault(type, new long[3]);
            return ratio(c[0], c[1]);
        }

        private static double f1(long[] c) {
            double p = ratio(c[0], c[2]);
            double r = ratio(c[0], c[1]);
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        private static double ratio(long a, long b) {
            return b == 0 ? 0 : 100.0 * a / b;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "P %.2f R %.2f F1 %.2f", precision(),
                    recall(), f1()));
            for (String type : byType.keySet()) {
                sb.append(String.format(Locale.ROOT, " | %s %.2f", type, f1(type)));
            }
            return sb.toString();
        }
    }
}
