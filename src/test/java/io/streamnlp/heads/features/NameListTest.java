package io.streamnlp.heads.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.inference.TokenizedText;
import io.streamnlp.model.EntityKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The name list: compact matching, the keys it adds, and its round trip through a head file's meta. */
class NameListTest {

    private static final int BUCKETS = 1 << 15;
    private static final NameList LIST = new NameList(Map.of("tmobile", "ORG", "innout", "ORG", "newyork", "LOC",
            "new", "MISC"));

    @Test
    void namesMatchWithoutCaseSpacingOrPunctuation() {
        assertThat(NameList.compact("T-Mobile", 0, 8)).isEqualTo("tmobile");
        assertThat(matched("my tmobile bill")).containsExactly("", "ORG-B", "");
        assertThat(matched("T-Mobile again")).containsExactly("ORG-B", "ORG-I", "ORG-I", "");
        assertThat(matched("at #TMobile")).containsExactly("", "", "ORG-B");
        assertThat(matched("in n out burger")).containsExactly("ORG-B", "ORG-I", "ORG-I", "");
    }

    @Test
    void theLongestNameWinsAndSpansNeverStartOrEndOnPunctuation() {
        assertThat(matched("New York , new")).containsExactly("LOC-B", "LOC-I", "", "MISC-B");
        assertThat(matched("- new -")).containsExactly("", "MISC-B", "");
    }

    @Test
    void ignoredNamesAreNotMatchedAndUnmatchedWordsKeepTheirKeys() {
        String text = "my tmobile bill";
        Words words = words(text);
        int[][] ids = CharFeatures.ids(text, words, BUCKETS);
        int[][] ignored = LIST.withKeys(ids, text, words, BUCKETS, Set.of("tmobile"));
        assertThat(ignored).isSameAs(ids);
        int[][] keyed = LIST.withKeys(ids, text, words, BUCKETS, Set.of());
        assertThat(keyed[0]).isEqualTo(ids[0]);
        assertThat(keyed[1]).hasSize(ids[1].length + 2).startsWith(ids[1]);
        assertThat(ids[1]).hasSize(CharFeatures.ids(text, words, BUCKETS)[1].length); // the input is not changed
    }

    @Test
    void aLongListRoundTripsThroughChunksOfMeta() {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            names.put("name" + i + "corp", EntityKind.values()[i % 4].name());
        }
        Map<String, String> meta = new NameList(names).toMeta();
        assertThat(Integer.parseInt(meta.get(NameList.META_CHUNKS))).isGreaterThan(1);
        assertThat(meta.values()).allSatisfy(v -> assertThat(v.length()).isLessThan(60_000));
        NameList back = NameList.fromMeta(meta);
        assertThat(back.size()).isEqualTo(5_000);
        assertThat(back.typeOf("name4321corp")).isEqualTo(EntityKind.values()[4321 % 4].name());
        assertThat(NameList.fromMeta(Map.of("states", "last"))).isNull();
    }

    /** Per word "TYPE-B", "TYPE-I" or "" as the keys the list added say. */
    private static List<String> matched(String text) {
        Words words = words(text);
        int[][] ids = CharFeatures.ids(text, words, BUCKETS);
        int[][] keyed = LIST.withKeys(ids, text, words, BUCKETS, Set.of());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.count(); i++) {
            String label = "";
            if (keyed[i].length == ids[i].length + 2) {
                int last = keyed[i][keyed[i].length - 1];
                for (EntityKind k : EntityKind.values()) {
                    if (last == CharFeatures.keyId("n" + k.name() + "B", BUCKETS)) {
                        label = k.name() + "-B";
                    } else if (last == CharFeatures.keyId("n" + k.name() + "I", BUCKETS)) {
                        label = k.name() + "-I";
                    }
                }
            }
            out.add(label);
        }
        return out;
    }

    /** Words as the BERT pre-tokenizer cuts them: runs of letters and digits, each other non-space character alone. */
    static Words words(String text) {
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetterOrDigit(c)) {
                int s = i;
                while (i < text.length() && Character.isLetterOrDigit(text.charAt(i))) {
                    i++;
                }
                spans.add(new int[] {s, i});
            } else {
                spans.add(new int[] {i, ++i});
            }
        }
        int n = spans.size();
        long[] ids = new long[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        long[] wordIds = new long[n];
        for (int k = 0; k < n; k++) {
            starts[k] = spans.get(k)[0];
            ends[k] = spans.get(k)[1];
            wordIds[k] = k;
        }
        return Words.of(text, new TokenizedText(ids, starts, ends, wordIds, false));
    }
}
