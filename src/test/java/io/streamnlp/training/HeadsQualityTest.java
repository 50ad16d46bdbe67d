package io.streamnlp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamnlp.heads.Heads;
import io.streamnlp.heads.features.NerStates;
import io.streamnlp.heads.features.SentimentInput;
import io.streamnlp.model.HeadProfile;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped heads of the DEFAULT encoder, both profiles, meet their thresholds on every held-out set
 * (the research profile: those of issue #17),
 * each scored on the full set exactly as {@code streamnlp evaluate} scores it ({@link HeldOut}).
 *
 * <p>The thresholds (the release-1 heads' figures in brackets): SST-2 dev accuracy >= 90.5
 * (90.48); CoNLL-2003 original test F1 >= 85.5 (85.33); SemEval twitter-2016test-A accuracy at
 * least 12 points above the release-1 heads (50.38, so >= 62.38) and macro recall >= 68; BTC test
 * (mentions O), WNUT-17 dev (PER/ORG/LOC) and UNER-EWT test entity F1 at least 8 points above
 * (39.35, 54.78, 61.01); GoEmotions test accuracy at least 5 points above (51.79). Every gate below
 * is the higher of the threshold and the figure the shipped heads reach minus
 * about one point (so a retrained head cannot quietly lose what this one gained); the sets the issue
 * names no threshold for (SST-2 test, SST-5 test, CR, CoNLL++ test, Tweebank test) are held the
 * same way. The sentiment gates are release 3's (issue 22 item 3: the sentence vector beside the mean
 * of layer 8), reached by {@code sentiment-v3-677d07b1}: SST-2 dev 90.60, SST-2 test 90.94, SST-5 test
 * 74.98, CR 89.11, SemEval 68.35 / macro recall 69.14, GoEmotions 69.81 / 69.97 (issue 22's target 68
 * met; release 2 reached 90.71, 90.39, 75.11, 88.79, 66.97 / 68.27, 66.83). The NER gates are release
 * 3's (issue 22 item 1, the layer mix), reached by {@code ner-v3-2589b4b7}: CoNLL test 89.23 (issue
 * 22's target 88.5), CoNLL++ test 89.93, BTC 69.12, WNUT-17 69.65, UNER-EWT 77.39 (target 77),
 * Tweebank 64.32; each gate that figure minus about a point, and the target where one is met.
 *
 * <p>The gates run what a new output prefix runs ({@code model.graph=auto}): the fused graph, with the research
 * heads trained on it ({@code sentiment-v3-a44c0b55}, {@code ner-v3-77f40355}: SST-2 dev 90.71, SST-2 test 91.38,
 * SST-5 test 74.98, CR 89.25, SemEval 68.42 / 69.69, GoEmotions 69.84 / 70.24; CoNLL test 88.83, CoNLL++ 89.70,
 * BTC 69.40, WNUT-17 69.50, UNER-EWT 77.33, Tweebank 64.36), and the commercial profile's packaged-graph heads
 * (model card, "The fused graph"). Every figure clears the gates set on the packaged graph, unchanged.
 *
 * <p>Encodes about 42,000 texts (the SemEval test set alone is 20,632 tweets): a few minutes with an
 * int8 12-layer encoder on two idle cores. {@code -Dheads.quality.cache=DIR} keeps the encodings
 * between runs (a feature cache, as {@code evaluate --cache}). Skipped only when the shared data
 * folder is absent.
 */
class HeadsQualityTest {

    /** Minimum accuracy and macro recall (percent) per sentiment set. */
    static final Map<String, double[]> SENTIMENT_GATES = Map.of(
            HeldOut.SST2_DEV, new double[] {90.5, 0},
            HeldOut.SST2_TEST, new double[] {89.9, 0},
            HeldOut.SST5_TEST, new double[] {74.0, 0},
            HeldOut.CR, new double[] {88.1, 0},
            HeldOut.SEMEVAL_2016_TEST, new double[] {67.3, 68.1},
            HeldOut.GOEMOTIONS_TEST, new double[] {68.8, 68.9});

    /** Minimum entity micro F1 per NER set. */
    static final Map<String, Double> NER_GATES = Map.of(
            HeldOut.CONLL_TEST, 88.5,
            HeldOut.CONLLPP_TEST, 88.9,
            HeldOut.BTC_TEST, 68.1,
            HeldOut.WNUT_DEV, 68.6,
            HeldOut.UNER_TEST, 77.0,
            HeldOut.TWEEBANK_TEST, 63.3);

    /**
     * The commercial profile ({@code heads.profile=commercial}: GoEmotions, BTC, WNUT-17, Tweebank-NER only)
     * on the same sets, each gate its reached figure minus about a point: it has no research-use data to
     * lose, but a retrained head must not quietly lose what this one reached. Reached by
     * {@code sentiment-v2-020736f8} / {@code ner-v3-9f325761} (the layer mix, as the research head): SST-2 dev
     * 82.80, SST-2 test 82.15, SST-5 test 58.78, CR 85.75, SemEval 64.28 / macro recall 57.80, GoEmotions
     * 70.84 / 72.23; CoNLL test 70.11, CoNLL++ test 70.18, BTC 69.11, WNUT-17 70.51, UNER-EWT 72.57, Tweebank
     * 63.07 (model card, "The commercial profile").
     */
    static final Map<String, double[]> COMMERCIAL_SENTIMENT_GATES = Map.of(
            HeldOut.SST2_DEV, new double[] {81.8, 0},
            HeldOut.SST2_TEST, new double[] {81.1, 0},
            HeldOut.SST5_TEST, new double[] {57.7, 0},
            HeldOut.CR, new double[] {84.7, 0},
            HeldOut.SEMEVAL_2016_TEST, new double[] {63.2, 56.8},
            HeldOut.GOEMOTIONS_TEST, new double[] {69.8, 71.2});

    static final Map<String, Double> COMMERCIAL_NER_GATES = Map.of(
            HeldOut.CONLL_TEST, 69.1,
            HeldOut.CONLLPP_TEST, 69.2,
            HeldOut.BTC_TEST, 68.1,
            HeldOut.WNUT_DEV, 69.5,
            HeldOut.UNER_TEST, 71.6,
            HeldOut.TWEEBANK_TEST, 62.0);

    private static Path data;
    private static final Map<String, float[][]> ROWS = new java.util.HashMap<>();
    private static Encoder encoder;
    private static FeatureCache features;
    private static Heads heads;
    private static Heads commercial;

    @BeforeAll
    static void setUp() {
        data = Path.of(System.getProperty("shared.data.dir", "../shared/data"));
        if (!dataPresent()) {
            return;
        }
        EncoderSpec spec = ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL);
        // What a new output prefix runs (model.graph=auto): the fused graph, with the heads trained on it; the commercial
        // profile has none of its own there and runs its packaged-graph heads.
        EncoderGraph graph = EncoderGraph.onNewPrefix(spec);
        heads = Heads.load(spec.name(), HeadProfile.RESEARCH, graph);
        commercial = Heads.load(spec.name(), HeadProfile.COMMERCIAL, graph);
        encoder = Encoder.load(spec, 256, 2, true, graph);
        String cache = System.getProperty("heads.quality.cache", "");
        features = new FeatureCache(encoder, cache.isBlank() ? null : Path.of(cache), 64, null);
    }

    private static boolean dataPresent() {
        return Files.isRegularFile(data.resolve(HeadData.SST2_DEV))
                && Files.isRegularFile(data.resolve(HeadData.CONLL_TEST_ORIGINAL))
                && Files.isRegularFile(data.resolve(DataSets.SEMEVAL_TEST))
                && Files.isRegularFile(data.resolve(DataSets.BTC_TEST));
    }

    private static void assumeData() {
        assumeTrue(dataPresent(), "Shared labelled data not found at " + data.toAbsolutePath()
                + " (system property shared.data.dir): skipping the head quality thresholds");
    }

    @AfterAll
    static void tearDown() {
        if (encoder != null) {
            encoder.close();
        }
    }

    static Stream<Arguments> sentimentSets() {
        return SENTIMENT_GATES.keySet().stream().sorted().map(Arguments::of);
    }

    static Stream<Arguments> nerSets() {
        return NER_GATES.keySet().stream().sorted().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sentimentSets")
    void sentimentMeetsItsThreshold(String name) {
        assumeData();
        DataSets.SentimentCorpus set = HeldOut.sentiment(data, false).stream().filter(s -> s.name().equals(name))
                .findFirst().orElseThrow();
        assertThat(set.used()).as("the full set").isEqualTo(set.texts().size() - dropped(set));
        assertSentiment(name, heads, SENTIMENT_GATES.get(name), used(heads, set), set);
        assertSentiment(name, commercial, COMMERCIAL_SENTIMENT_GATES.get(name), used(commercial, set), set);
    }

    /** The rows of the set's labelled items that {@code profile}'s sentiment head reads (one encoding per input kind). */
    private static float[][] used(Heads profile, DataSets.SentimentCorpus set) {
        SentimentInput input = profile.sentiment().input();
        float[][] all;
        if (input == SentimentInput.VECTOR && ROWS.containsKey(SentimentInput.VECTOR_AND_INTERMEDIATE + "/" + set.name())) {
            // Its first half is the sentence vector, as is: no second encoding of a 20,000-tweet set.
            float[][] both = ROWS.get(SentimentInput.VECTOR_AND_INTERMEDIATE + "/" + set.name());
            all = new float[both.length][];
            for (int i = 0; i < both.length; i++) {
                all[i] = java.util.Arrays.copyOf(both[i], both[i].length / 2);
            }
        } else {
            all = ROWS.computeIfAbsent(input + "/" + set.name(),
                    k -> features.sentimentInputs(input, set.cacheName(), set.texts()));
        }
        float[][] used = new float[set.used()][];
        int k = 0;
        for (int i = 0; i < all.length; i++) {
            if (set.labels()[i] >= 0) {
                used[k++] = all[i];
            }
        }
        return used;
    }

    private static void assertSentiment(String name, Heads profile, double[] gate, float[][] used,
            DataSets.SentimentCorpus set) {
        HeadEvaluator.SentimentResult r = HeadEvaluator.sentimentResult(name, profile.sentiment(), used, set.items(),
                set.twoClass());
        System.out.printf("%s %s: %s accuracy %.2f %%, macro recall %.2f (%d texts)%n", encoder.spec().name(),
                profile.sentiment().version(), name, r.accuracy(), r.macroRecall(), r.texts());
        assertThat(r.accuracy()).as("%s accuracy of %s (%s)", name, encoder.spec().name(), profile.sentiment().version())
                .isGreaterThanOrEqualTo(gate[0]);
        assertThat(r.macroRecall()).as("%s macro recall of %s (%s)", name, encoder.spec().name(),
                profile.sentiment().version()).isGreaterThanOrEqualTo(gate[1]);
    }

    /** Items a set's own label mapping drops (GoEmotions comments both negative and positive). */
    private static int dropped(DataSets.SentimentCorpus set) {
        int n = 0;
        for (int l : set.labels()) {
            n += l < 0 ? 1 : 0;
        }
        return n;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nerSets")
    void nerMeetsItsThreshold(String name) {
        assumeData();
        DataSets.NerCorpus set = HeldOut.ner(data).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow();
        List<HeadData.ConllSentence> sentences = set.sentences();
        if (name.equals(HeldOut.CONLL_TEST)) {
            assertThat(sentences).hasSize(3453);
        }
        // Each profile's head reads its own layers; profiles that read the same share one encoding.
        Map<NerStates, FeatureCache.Encoded> encodings = new EnumMap<>(NerStates.class);
        for (Heads profile : List.of(heads, commercial)) {
            FeatureCache.Encoded encoded = encodings.computeIfAbsent(profile.ner().states(),
                    states -> features.withNerStates(states).tokenStates(set.cacheName(), set.texts()));
            assertNer(name, profile, (profile == heads ? NER_GATES : COMMERCIAL_NER_GATES).get(name), sentences,
                    encoded, set);
        }
    }

    private static void assertNer(String name, Heads profile, double gate, List<HeadData.ConllSentence> sentences,
            FeatureCache.Encoded encoded, DataSets.NerCorpus set) {
        ConllEval.Score score = HeadEvaluator.nerScore(profile.ner(), sentences, encoded, set.types());
        System.out.printf("%s %s: %s %s (%d sentences)%n", encoder.spec().name(), profile.ner().version(), name, score,
                sentences.size());
        if (name.equals(HeldOut.CONLL_TEST)) {
            assertThat(score.gold()).isEqualTo(5648);
        }
        assertThat(score.f1()).as("%s entity F1 of %s (%s): %s", name, encoder.spec().name(), profile.ner().version(),
                score).isGreaterThanOrEqualTo(gate);
    }
}
