package io.streamnlp.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --model-path}: trains for the directory's encoder and writes its heads where {@code model.path} reads them. */
class TrainOptionsTest {

    @TempDir
    Path temp;

    private static HeadTrainer.Options options(String model, Path out, Path modelPath) {
        return new HeadTrainer.Options(model, Path.of("data"), out, null, 256, 1, 64, 13, true, true, true, 256, 12,
                5e-4f, 1e-4f, 0.3f, 128, 2, 8, 1e-3f, 1e-4f, 0.3f, 0.1f, 0.999f, true, 0, "word-crf", 0, 0, 0, false,
                "none", "vector", HeadTrainer.SENTIMENT_WEIGHTS, HeadTrainer.NER_WEIGHTS, java.util.List.of(),
                java.util.List.of(), false, true, 1, modelPath, "research");
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
        EncoderSpec packaged = ModelCatalogue.byName("minilm-l6-q");
        Path dir = Files.createDirectories(temp.resolve("mine"));
        copy(packaged.onnxResource(), dir.resolve(CustomModel.GRAPH));
        copy(packaged.tokenizerResource(), dir.resolve(CustomModel.TOKENIZER));
        Files.writeString(dir.resolve(CustomModel.PROPERTIES), "name=mine\nversion=1\npooling=mean\nhidden.size=384\n");
        HeadTrainer.Options custom = options(null, temp.resolve("ignored"), dir);
        EncoderSpec spec = custom.spec();
        assertThat(spec.name()).isEqualTo("mine");
        assertThat(spec.custom()).isTrue();
        assertThat(custom.folder(spec)).isEqualTo(dir.resolve(CustomModel.HEADS));
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = TrainOptionsTest.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, to);
        }
    }
}
