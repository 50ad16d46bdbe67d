package io.streamnlp.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.inference.CustomModel;
import io.streamnlp.testing.UnpackedModel;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --model-path}: trains for the directory's encoder and writes its heads where {@code model.path} reads them. */
class TrainOptionsTest {

    @TempDir
    Path temp;

    private static HeadTrainer.Options options(String model, Path out, Path modelPath) {
        return options(model, Path.of("data"), out, modelPath, "research");
    }

    private static HeadTrainer.Options options(String model, Path data, Path out, Path modelPath, String profile) {
        return new HeadTrainer.Options(model, data, out, null, 256, 1, 64, 13, true, true, true, 256, 12,
                5e-4f, 1e-4f, 0.3f, 128, 2, 8, 1e-3f, 1e-4f, 0.3f, 0.1f, 0.999f, true, 0, "word-crf", 0, 0, 0, false,
                "none", "vector", HeadTrainer.SENTIMENT_WEIGHTS, HeadTrainer.NER_WEIGHTS, java.util.List.of(),
                java.util.List.of(), false, true, 1, modelPath, profile, "auto", false, "packaged");
    }

    @Test
    void aCatalogueEncodersHeadsGoUnderItsName() {
        HeadTrainer.Options catalogue = options("minilm-l6-q", temp.resolve("out"), null);
        EncoderSpec spec = catalogue.spec();
        assertThat(spec).isEqualTo(ModelCatalogue.byName("minilm-l6-q"));
        assertThat(catalogue.folder(spec)).isEqualTo(temp.resolve("out").resolve("minilm-l6-q"));
    }

    @Test
    void aCustomEncodersHeadsGoIntoItsDirectory() throws IOException {
        Path dir = UnpackedModel.miniLm(temp.resolve("mine"), "mine");
        HeadTrainer.Options custom = options(null, temp.resolve("ignored"), dir);
        EncoderSpec spec = custom.spec();
        assertThat(spec.name()).isEqualTo("mine");
        assertThat(spec.custom()).isTrue();
        assertThat(custom.folder(spec)).isEqualTo(dir.resolve(CustomModel.HEADS));
    }

    @Test
    void theCommercialProfileGoesToItsOwnFolder() {
        HeadTrainer.Options commercial = options("e5-small-q", Path.of("data"), temp.resolve("out"), null, "commercial");
        assertThat(commercial.folder(commercial.spec()))
                .isEqualTo(temp.resolve("out").resolve("e5-small-q").resolve("commercial"));
    }

    /**
     * What the commercial profile promises in the model card: every set that trains or selects its heads
     * is one whose licence allows commercial use, and no research-only set is among them.
     */
    @Test
    void theCommercialProfileTrainsAndSelectsOnlyOnCommerciallyLicensedSets() {
        Path data = Path.of(System.getProperty("shared.data.dir", "../shared/data"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(data.resolve("ner")),
                "Shared labelled data not found at " + data.toAbsolutePath());
        HeadTrainer trainer = new HeadTrainer(options("e5-small-q", data, temp, null, "commercial"), System.out);
        assertThat(trainer.sentimentTraining()).extracting(DataSets.SentimentCorpus::name)
                .containsExactly("GoEmotions train");
        assertThat(trainer.sentimentSelection()).extracting(DataSets.SentimentCorpus::name)
                .containsExactly("GoEmotions dev");
        assertThat(trainer.nerTraining()).extracting(DataSets.NerCorpus::name)
                .containsExactly("BTC train (mentions O)", "WNUT-17 train", "Tweebank-NER train");
        assertThat(trainer.nerSelection()).extracting(DataSets.NerCorpus::name)
                .containsExactly("BTC dev (mentions O)", "Tweebank-NER dev");

        HeadTrainer research = new HeadTrainer(options("e5-small-q", data, temp, null, "research"), System.out);
        assertThat(research.nerTraining()).extracting(DataSets.NerCorpus::name)
                .contains("CoNLL-2003 train (CoNLL++)", "UNER-EWT dev (3/4 of the documents)");
    }

}
