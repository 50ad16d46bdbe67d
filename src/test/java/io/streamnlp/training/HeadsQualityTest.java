package io.streamnlp.training;

import io.streamnlp.heads.Heads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped heads of the DEFAULT encoder meet the thresholds: SST-2 dev accuracy >= 89 %
 * (all 872 sentences, two-class view) and CoNLL-2003 original-test entity F1 >= 84 (all 3,453
 * sentences, conlleval rules). Encodes about 4,300 texts: well under a minute with an int8 12-layer
 * encoder on two cores. Skipped only when the shared data folder is absent.
 */
class HeadsQualityTest {

    static final double SST2_DEV_MIN_ACCURACY = 89.0;
    static final double CONLL_TEST_MIN_F1 = 84.0;

    private static Path data;
    private static Encoder encoder;
    private static FeatureCache features;
    private static Heads heads;

    @BeforeAll
    static void setUp() {
        data = Path.of(System.getProperty("shared.data.dir", "../shared/data"));
        if (!dataPresent()) {
            return;
        }
        EncoderSpec spec = ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL);
        heads = Heads.load(spec.name());
        encoder = Encoder.load(spec, 256, 2, true);
        features = new FeatureCache(encoder, null, 64, null);
    }

    private static boolean dataPresent() {
        return Files.isRegularFile(data.resolve(HeadData.SST2_DEV))
                && Files.isRegularFile(data.resolve(HeadData.CONLL_TEST_ORIGINAL));
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

    @Test
    void sentimentOnSst2DevMeetsTheThreshold() {
        assumeData();
        List<HeadData.LabelledText> dev = HeadData.sst2(data.resolve(HeadData.SST2_DEV));
        assertThat(dev).hasSize(872);
        float[][] vectors = features.sentenceVectors("sst2_dev", HeadData.texts(dev));
        double accuracy = HeadEvaluator.sentimentAccuracy(heads.sentiment(), vectors, dev, true);
        System.out.printf("%s %s: SST-2 dev accuracy %.2f %%%n", encoder.spec().name(), heads.sentiment().version(),
                accuracy);
        assertThat(accuracy).as("SST-2 dev accuracy of %s (%s)", encoder.spec().name(), heads.sentiment().version())
                .isGreaterThanOrEqualTo(SST2_DEV_MIN_ACCURACY);
    }

    @Test
    void nerOnCoNllOriginalTestMeetsTheThreshold() {
        assumeData();
        List<HeadData.ConllSentence> test = HeadData.conll(data.resolve(HeadData.CONLL_TEST_ORIGINAL));
        assertThat(test).hasSize(3453);
        FeatureCache.Encoded encoded = features.tokenStates("conll_test", HeadTrainer.texts(test));
        ConllEval.Score score = HeadEvaluator.nerScore(heads.ner(), test, encoded);
        System.out.printf("%s %s: CoNLL-2003 original test %s%n", encoder.spec().name(), heads.ner().version(), score);
        assertThat(score.gold()).isEqualTo(5648);
        assertThat(score.f1()).as("CoNLL-2003 test entity F1 of %s (%s): %s", encoder.spec().name(),
                heads.ner().version(), score).isGreaterThanOrEqualTo(CONLL_TEST_MIN_F1);
    }
}
