package io.streamnlp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamnlp.heads.HeadFile;
import io.streamnlp.heads.NerHead;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.TokenizedText;
import io.streamnlp.model.EntitySpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The release-2 NER trainer: its analytic gradients match finite differences, and it learns a toy task. */
class CrfNerTrainerTest {

    static final int DIM = 6;

    /** One word-piece per token, words in the order of the tokens; states random but fixed per token text. */
    static FeatureCache.Encoded encode(List<HeadData.ConllSentence> sentences, long seed) {
        List<TokenizedText> tokens = new ArrayList<>();
        EncodedText[] encoded = new EncodedText[sentences.size()];
        for (int s = 0; s < sentences.size(); s++) {
            HeadData.ConllSentence sentence = sentences.get(s);
            int n = sentence.tokens().size();
            long[] ids = new long[n + 2];
            int[] starts = new int[n + 2];
            int[] ends = new int[n + 2];
            long[] words = new long[n + 2];
            starts[0] = ends[0] = starts[n + 1] = ends[n + 1] = -1;
            words[0] = words[n + 1] = -1;
            int[] at = sentence.starts();
            float[] states = new float[(n + 2) * DIM];
            for (int i = 0; i < n; i++) {
                starts[i + 1] = at[i];
                ends[i + 1] = at[i] + sentence.tokens().get(i).length();
                words[i + 1] = i;
                Random r = new Random(seed + sentence.tokens().get(i).toLowerCase().hashCode());
                for (int d = 0; d < DIM; d++) {
                    states[(i + 1) * DIM + d] = (float) r.nextGaussian();
                }
            }
            tokens.add(new TokenizedText(ids, starts, ends, words, false));
            encoded[s] = new EncodedText(new float[DIM], states, DIM);
        }
        return new FeatureCache.Encoded(tokens, encoded);
    }

    static HeadData.ConllSentence sentence(String tokens, String tags) {
        return HeadData.ConllSentence.of(List.of(tokens.split(" ")), List.of(tags.split(" ")));
    }

    static List<HeadData.ConllSentence> toyData() {
        return List.of(
                sentence("Anna met Bob in Paris .", "B-PER O B-PER O B-LOC O"),
                sentence("Acme Corp hired Anna Smith", "B-ORG I-ORG O B-PER I-PER"),
                sentence("the cat sat", "O O O"),
                sentence("Bob flew to Rome", "B-PER O O B-LOC"),
                sentence("German cars", "B-MISC O"));
    }

    static CrfNerTrainer.Config config(int epochs) {
        return new CrfNerTrainer.Config(8, 1, 64, 4, epochs, 2, 0.05f, 0f, 0f, 0f, 0f, 5);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        List<HeadData.ConllSentence> sentences = toyData();
        DataSets.NerCorpus corpus = DataSets.ner("toy", "toy", sentences, DataSets.PER_ORG_LOC, "news");
        // Partial labels on (O may be MISC): exercises the constrained forward-backward too.
        CrfNerData data = CrfNerData.build(List.of(new CrfNerData.Part(corpus, encode(sentences, 1), 1f, true)), 64, null);
        CrfNerTrainer t = new CrfNerTrainer(config(1), data);
        // Move the parameters off their (mostly zero) start so every term is exercised.
        SplittableRandom r = new SplittableRandom(3);
        for (float[][] m : List.of(t.v, t.pad, t.trans)) {
            for (float[] row : m) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) (r.nextGaussian() * 0.3);
                }
            }
        }
        for (float[] vec : List.of(t.b1, t.b2, t.start, t.end)) {
            for (int j = 0; j < vec.length; j++) {
                vec[j] = (float) (r.nextGaussian() * 0.3);
            }
        }
        CrfNerTrainer.Grads g = t.new Grads();
        for (int s = 0; s < data.sentences; s++) {
            t.accumulate(s, 1f, g, null, false);
        }
        check(t, data, t.w1, g.w1, 3, 5);
        check(t, data, t.v, g.v, 2, 7);
        check(t, data, t.pad, g.pad, 1, 4);
        check(t, data, t.table, g.table, 0, 0);
        double[] transNumeric = new double[1];
        float[][] tr = t.trans;
        float old = tr[0][1];
        float eps = 1e-2f;
        tr[0][1] = old + eps;
        double up = loss(t, data);
        tr[0][1] = old - eps;
        double down = loss(t, data);
        tr[0][1] = old;
        transNumeric[0] = (up - down) / (2 * eps);
        assertThat(g.trans[0][1]).isCloseTo(transNumeric[0], within(2e-3 + 0.02 * Math.abs(transNumeric[0])));
        float os = t.start[1];
        t.start[1] = os + eps;
        up = loss(t, data);
        t.start[1] = os - eps;
        down = loss(t, data);
        t.start[1] = os;
        assertThat((double) g.start[1]).isCloseTo((up - down) / (2 * eps), within(2e-3));
    }

    private static void check(CrfNerTrainer t, CrfNerData data, float[][] param, float[][] grad, int row0, int col0) {
        int checked = 0;
        int stride = param.length > 40 ? 1 : Math.max(1, param.length / 5);
        for (int i = row0; i < param.length && checked < 6; i += stride) {
            if (grad[i] == null) {
                continue;
            }
            int j = (col0 + i) % param[i].length;
            if (param == t.w1 && t.minAbsPreActivation(j) < 0.05) {
                continue; // the finite difference would cross the ReLU's kink
            }
            float old = param[i][j];
            float eps = 1e-3f;
            param[i][j] = old + eps;
            double up = loss(t, data);
            param[i][j] = old - eps;
            double down = loss(t, data);
            param[i][j] = old;
            double numeric = (up - down) / (2 * eps);
            assertThat((double) grad[i][j]).as("d/d[%d][%d]", i, j)
                    .isCloseTo(numeric, within(2e-3 + 0.03 * Math.abs(numeric)));
            checked++;
        }
        assertThat(checked).isPositive();
    }

    private static double loss(CrfNerTrainer t, CrfNerData data) {
        CrfNerTrainer.Grads scratch = t.new Grads();
        double total = 0;
        for (int s = 0; s < data.sentences; s++) {
            total += t.accumulate(s, 1f, scratch, null, false);
        }
        return total;
    }

    @Test
    void learnsAToyTaskAndTheHeadDecodesIt() {
        learnsTheToyTask(false);
    }

    @Test
    void learnsTheToyTaskWithANameListThatTheHeadFileCarries() {
        HeadFile file = learnsTheToyTask(true);
        assertThat(file.meta()).containsKey(io.streamnlp.heads.features.NameList.META_CHUNKS);
        assertThat(io.streamnlp.heads.features.NameList.fromMeta(file.meta()).size()).isPositive();
    }

    private HeadFile learnsTheToyTask(boolean nameList) {
        List<HeadData.ConllSentence> sentences = toyData();
        DataSets.NerCorpus corpus = DataSets.ner("toy", "toy", sentences, DataSets.ALL_TYPES, "news");
        FeatureCache.Encoded encoded = encode(sentences, 1);
        NameListBuilder names = nameList ? new NameListBuilder(List.of(corpus)) : null;
        CrfNerData data = CrfNerData.build(List.of(new CrfNerData.Part(corpus, encoded, 1f, false)), 64, names);
        float[][] norm = data.meanInvStd();
        data.standardize(norm[0], norm[1]);
        CrfNerTrainer.Config config = config(60);
        CrfNerTrainer trainer = new CrfNerTrainer(config, data);
        java.util.function.Function<CrfNerTrainer.Params, HeadFile> toFile = p -> CrfNerTrainer.file("e5-small-q",
                "test", "2", config, norm[0], norm[1], p.table(), p.w1(), p.b1(), p.v(), p.b2(), p.pad(), p.start(),
                p.trans(), p.end(), names == null ? java.util.Map.of() : names.list().toMeta(), false);
        java.util.concurrent.atomic.AtomicInteger epoch = new java.util.concurrent.atomic.AtomicInteger();
        CrfNerTrainer.Params best = trainer.train(toFile, f -> epoch.incrementAndGet(), null); // keeps the last
        HeadFile file = toFile.apply(best);
        NerHead head = new NerHead(file);
        assertThat(head.architectureRelease()).isEqualTo(2);
        ConllEval.Score score = HeadEvaluator.nerScore(head, sentences, encoded);
        assertThat(score.f1()).isEqualTo(100.0);
        List<EntitySpan> spans = head.predict(sentences.get(1).text(), encoded.tokens().get(1), encoded.encoded()[1]);
        assertThat(spans).extracting(EntitySpan::text).containsExactly("Acme Corp", "Anna Smith");
        assertThat(spans.get(0).confidence()).isBetween(0.5f, 1f);
        return file;
    }
}
