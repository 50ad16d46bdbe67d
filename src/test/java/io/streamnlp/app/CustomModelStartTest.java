package io.streamnlp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.OnnxGraphs;
import io.streamnlp.testing.ChildApp;
import io.streamnlp.testing.UnpackedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom model is checked before anything else at start (no broker or registry is reached: none
 * runs here): a bad directory, properties the trial inference does not bear out, or outputs that need
 * heads it does not have, end the start with one message that says what to do.
 */
class CustomModelStartTest {

    @TempDir
    Path temp;

    private Path unpackedMiniLm() throws IOException {
        return UnpackedModel.miniLm(temp.resolve("minilm"), "my-minilm");
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
    void propertiesTheTrialInferenceDoesNotBearOutAreStartErrors() throws IOException {
        Path dir = unpackedMiniLm();
        byte[] graph = Files.readAllBytes(dir.resolve(CustomModel.GRAPH));
        Files.write(dir.resolve(CustomModel.GRAPH), OnnxGraphs.withPositions(OnnxGraphs.withSymbolicHiddenAxis(graph), 128));
        Files.writeString(dir.resolve(CustomModel.PROPERTIES), "name=my-minilm\nversion=1\npooling=mean\nhidden.size=512\n");
        assertThatThrownBy(() -> new StreamNlpApplication(config(Map.of(StreamNlpConfig.MODEL_PATH, dir.toString(),
                StreamNlpConfig.OUTPUTS, "embeddings"))))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageStartingWith("model.path " + dir + " cannot be used: ")
                .hasMessageContaining("model.properties hidden.size=512 but the encoder outputs 384-dimensional token states: "
                        + "set hidden.size=384")
                .hasMessageContaining("model.properties max.length=512 (the default, it is not set) but the encoder takes at "
                        + "most 128 tokens")
                .hasMessageContaining("set max.length=128");
    }

    /**
     * The {@code run} command, as a user starts it (a child JVM; no broker or registry runs, none is
     * reached): exit 2 and one ERROR line that says what to set, none of ONNX Runtime's own log lines
     * of the failing trial calls.
     */
    @Test
    void runWithAMaxLengthTheGraphCannotTakeExits2WithOneErrorLine() throws Exception {
        Path dir = unpackedMiniLm();
        byte[] graph = Files.readAllBytes(dir.resolve(CustomModel.GRAPH));
        Files.write(dir.resolve(CustomModel.GRAPH), OnnxGraphs.withPositions(graph, 128));
        Files.writeString(dir.resolve(CustomModel.PROPERTIES),
                "name=my-minilm\nversion=1\npooling=mean\nhidden.size=384\nmax.length=256\n");
        Path log = ChildApp.newLog(temp, "run");
        ChildApp child = ChildApp.start(Map.of(StreamNlpConfig.MODEL_PATH, dir.toString(), StreamNlpConfig.OUTPUTS,
                "embeddings"), log);
        int exit = child.awaitExit(Duration.ofSeconds(120));
        List<String> lines = Files.readAllLines(log);
        List<String> errors = lines.stream().filter(line -> line.contains(" ERROR ")).toList();
        assertThat(exit).as("exit code, see %s", log).isEqualTo(2);
        assertThat(errors).as("ERROR lines of %s", log).singleElement().asString()
                .contains("Cannot start: model.path " + dir + " cannot be used: model.properties max.length=256 but the "
                        + "encoder takes at most 128 tokens (129 tokens fail in ONNX Runtime: ")
                .endsWith("): set max.length=128");
        assertThat(lines).as("ONNX Runtime's own error lines in %s", log).noneMatch(line -> line.contains("[E:onnxruntime"));
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

    @Test
    void theFusedGraphOnAModelItCannotFuseIsAStartErrorNamingTheSetting() throws IOException {
        Path dir = unpackedMiniLm();
        assertThatThrownBy(() -> new StreamNlpApplication(config(Map.of(StreamNlpConfig.MODEL_PATH, dir.toString(),
                StreamNlpConfig.OUTPUTS, "embeddings", StreamNlpConfig.MODEL_GRAPH, "fused"))))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("model.graph=fused runs only on the catalogue's int8 encoders")
                .hasMessageContaining("model.path=" + dir)
                .hasMessageContaining("set model.graph=packaged");
        assertThatThrownBy(() -> new StreamNlpApplication(config(Map.of(StreamNlpConfig.MODEL_NAME, "minilm-l6",
                StreamNlpConfig.OUTPUTS, "embeddings", StreamNlpConfig.MODEL_GRAPH, "fused"))))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("not on minilm-l6; set model.graph=packaged");
    }
}
