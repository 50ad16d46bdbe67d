package io.streamnlp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.ModelCatalogue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom model is checked before anything else at start (no broker or registry is reached: none
 * runs here): a bad directory, or outputs that need heads it does not have, end the start with one
 * message that says what to do.
 */
class CustomModelStartTest {

    @TempDir
    Path temp;

    private Path unpackedMiniLm() throws IOException {
        var spec = ModelCatalogue.byName("minilm-l6-q");
        Path dir = Files.createDirectories(temp.resolve("minilm"));
        copy(spec.onnxResource(), dir.resolve(CustomModel.GRAPH));
        copy(spec.tokenizerResource(), dir.resolve(CustomModel.TOKENIZER));
        Files.writeString(dir.resolve(CustomModel.PROPERTIES), "name=my-minilm\nversion=1\npooling=mean\nhidden.size=384\n");
        return dir;
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = CustomModelStartTest.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, to);
        }
    }

    private static StreamNlpConfig config(Map<String, String> settings) {
        return ConfigLoader.load(null, Map.of(), settings);
    }

    @Test
    void sentimentOrEntitiesFromAModelWithoutHeadsIsAStartError() throws IOException {
        Path dir = unpackedMiniLm();
        for (String outputs : new String[] {"embeddings,sentiment,entities", "entities", "sentiment"}) {
            assertThatThrownBy(() -> new StreamNlpApplication(config(Map.of(StreamNlpConfig.MODEL_PATH, dir.toString(),
                    StreamNlpConfig.OUTPUTS, outputs))))
                    .isInstanceOf(StartupFailedException.class)
                    .hasMessageContaining("has no task heads")
                    .hasMessageContaining("serves embeddings only")
                    .hasMessageContaining("outputs=embeddings")
                    .hasMessageContaining("streamnlp train --model-path " + dir);
        }
    }

    @Test
    void aBadModelDirectoryIsAStartErrorNamingEachProblem() throws IOException {
        Path dir = unpackedMiniLm();
        Files.delete(dir.resolve(CustomModel.TOKENIZER));
        Files.writeString(dir.resolve(CustomModel.PROPERTIES), "name=my-minilm\nversion=1\npooling=max\nhidden.size=384\n");
        assertThatThrownBy(() -> new StreamNlpApplication(config(Map.of(StreamNlpConfig.MODEL_PATH, dir.toString(),
                StreamNlpConfig.OUTPUTS, "embeddings"))))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("model.path " + dir + " cannot be used")
                .hasMessageContaining("has no tokenizer.json")
                .hasMessageContaining("pooling=max is neither mean nor cls");
    }

    @Test
    void aMaxLengthBeyondTheModelsIsAStartError() throws IOException {
        Path dir = unpackedMiniLm();
        Files.writeString(dir.resolve(CustomModel.PROPERTIES), "name=my-minilm\nversion=1\npooling=mean\nhidden.size=384\n"
                + "max.length=128\n");
        assertThatThrownBy(() -> new StreamNlpApplication(config(Map.of(StreamNlpConfig.MODEL_PATH, dir.toString(),
                StreamNlpConfig.OUTPUTS, "embeddings"))))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("model.max.length=256 is more than my-minilm takes (128 tokens");
        assertThat(config(Map.of(StreamNlpConfig.MODEL_PATH, dir.toString())).modelPath()).isEqualTo(dir);
    }
}
