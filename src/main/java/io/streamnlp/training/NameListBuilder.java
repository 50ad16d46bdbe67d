package io.streamnlp.training;

import io.streamnlp.heads.features.NameList;
import io.streamnlp.model.EntityKind;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Learns a {@link NameList} from the NER training sets' own gold spans, and says which names each
 * training sentence may match.
 *
 * <ul>
 *   <li>A name is a gold span in {@link NameList#compact compact form} with at least one letter and two
 *       characters; its type is the type most of its gold spans have.</li>
 *   <li>It is kept where that type is right at least {@link #MIN_PRECISION} of the times its compact
 *       form occurs in the training text (matched token by token, longest first): {@code us}, {@code it}
 *       or {@code apple} as common words drop out.</li>
 *   <li><b>Leave one out.</b> A sentence never matches a name that only it taught the list
 *       ({@link #ignoredIn}): otherwise every training entity would be on the list, the head would learn
 *       "on the list = entity" and trust it far more than it deserves on new text, where most names
 *       are not on it.</li>
 * </ul>
 */
final class NameListBuilder {

    static final double MIN_PRECISION = 0.5;

    private final Map<String, int[]> goldCounts = new HashMap<>();
    private final NameList list;

    /** Builds the list from the used sentences of {@code corpora}. */
    NameListBuilder(List<DataSets.NerCorpus> corpora) {
        for (DataSets.NerCorpus c : corpora) {
            for (HeadData.ConllSentence s : c.usedSentences()) {
                for (Map.Entry<String, EntityKind> e : goldNames(s).entrySet()) {
                    goldCounts.computeIfAbsent(e.getKey(), k -> new int[EntityKind.values().length])[e.getValue()
                            .ordinal()]++;
                }
            }
        }
        Map<String, EntityKind> candidates = new HashMap<>();
        goldCounts.forEach((name, counts) -> candidates.put(name, EntityKind.values()[argmax(counts)]));
        // How often each candidate's compact form occurs in the text, and how often as a gold span of its type.
        Map<String, int[]> seen = new HashMap<>();
        for (DataSets.NerCorpus c : corpora) {
            for (HeadData.ConllSentence s : c.usedSentences()) {
                count(s, candidates, seen);
            }
        }
        Map<String, String> kept = new HashMap<>();
        candidates.forEach((name, type) -> {
            int[] n = seen.get(name);
            if (n != null && n[1] >= MIN_PRECISION * n[0]) {
                kept.put(name, type.name());
            }
        });
        this.list = new NameList(kept);
    }

    NameList list() {
        return list;
    }

    /** The names {@code sentence} must not match in training: those whose gold spans are all its own. */
    Set<String> ignoredIn(HeadData.ConllSentence sentence) {
        Set<String> ignored = new HashSet<>();
        Map<String, Integer> own = new HashMap<>();
        for (Map.Entry<String, EntityKind> e : goldNames(sentence).entrySet()) {
            own.merge(e.getKey(), 1, Integer::sum);
        }
        // goldNames keeps one span per name and sentence, so a name's count minus one is what others taught.
        own.forEach((name, n) -> {
            int[] counts = goldCounts.get(name);
            int total = 0;
            for (int k : counts) {
                total += k;
            }
            if (total - n < 1) {
                ignored.add(name);
            }
        });
        return ignored;
    }

    /** The sentence's gold spans, compact form to type (a name counted once per sentence). */
    private static Map<String, EntityKind> goldNames(HeadData.ConllSentence s) {
        Map<String, EntityKind> names = new HashMap<>();
        String text = s.text();
        for (ConllEval.Span span : s.goldSpans()) {
            String name = NameList.compact(text, span.start(), span.end());
            if (name.length() >= 2 && name.chars().anyMatch(Character::isLetter)) {
                names.putIfAbsent(name, EntityKind.valueOf(span.type()));
            }
        }
        return names;
    }

    /** Counts each candidate's occurrences in {@code s} ({@code [0]}) and those that are a gold span of its type ({@code [1]}). */
    private static void count(HeadData.ConllSentence s, Map<String, EntityKind> candidates, Map<String, int[]> seen) {
        String text = s.text();
        int[] starts = s.starts();
        List<String> tokens = s.tokens();
        Map<Long, String> gold = new HashMap<>();
        for (ConllEval.Span span : s.goldSpans()) {
            gold.put(((long) span.start() << 32) | span.end(), span.type());
        }
        int n = tokens.size();
        int i = 0;
        while (i < n) {
            int matched = 0;
            for (int len = Math.min(NameList.MAX_WORDS, n - i); len >= 1; len--) {
                int end = starts[i + len - 1] + tokens.get(i + len - 1).length();
                String name = NameList.compact(text, starts[i], end);
                EntityKind type = candidates.get(name);
                if (type != null) {
                    int[] counts = seen.computeIfAbsent(name, k -> new int[2]);
                    counts[0]++;
                    if (type.name().equals(gold.get(((long) starts[i] << 32) | end))) {
                        counts[1]++;
                    }
                    matched = len;
                    break;
                }
            }
            i += Math.max(1, matched);
        }
    }

    private static int argmax(int[] counts) {
        int best = 0;
        for (int k = 1; k < counts.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return best;
    }
}
