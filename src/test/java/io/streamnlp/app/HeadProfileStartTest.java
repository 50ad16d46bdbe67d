package io.streamnlp.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.inference.CustomModel;
import io.streamnlp.testing.UnpackedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heads.profile} is checked with the heads, before Kafka or the registry are reached (none runs
 * here): a profile the encoder has no heads of, or one given for a custom encoder (whose heads are the
 * user's own), ends the start with one message naming the setting and what to do.
 */
class HeadProfileStartTest {

    @TempDir
    Path temp;

    private static StreamNlpConfig config(Map<String, String> settings) {
        return ConfigLoader.load(null, Map.of(), settings);
    }

    @Test
    void anEncoderWithoutCommercialHeadsIsAStartErrorNamingTheOnesThatHaveThem() {
        assertThatThrownBy(() -> new StreamNlpApplication(config(Map.of(StreamNlpConfig.MODEL_NAME, "bge-small-q",
                StreamNlpConfig.HEADS_PROFILE, "commercial"))))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("No commercial-profile task heads for encoder 'bge-small-q'")
                .hasMessageContaining("Encoders with commercial-profile heads: e5-small-q")
                .hasMessageContaining("heads.profile=research")
                .hasMessageContaining("streamnlp train --model bge-small-q --data ../shared/data --profile commercial");
    }

    @Test
    void aCommercialProfileForACustomEncoderIsAStartError() throws IOException {
        Path dir = UnpackedModel.miniLm(temp.resolve("minilm"), "my-minilm");
        Path heads = Files.createDirectories(dir.resolve(CustomModel.HEADS));
        UnpackedModel.copy("heads/minilm-l6-q/sentiment.bin", heads.resolve("sentiment.bin"));
        UnpackedModel.copy("heads/minilm-l6-q/ner.bin", heads.resolve("ner.bin"));
        assertThatThrownBy(() -> new StreamNlpApplication(config(Map.of(StreamNlpConfig.MODEL_PATH, dir.toString(),
                StreamNlpConfig.HEADS_PROFILE, "commercial"))))
                .isInstanceOf(StartupFailedException.class)
                .hasMessageContaining("heads.profile=commercial picks among the packaged heads of a catalogue encoder")
                .hasMessageContaining("remove heads.profile")
                .hasMessageContaining("--profile commercial");
    }

    @Test
    void aProfileThatDoesNotExistNamesTheSettingAndItsValues() {
        assertThatThrownBy(() -> config(Map.of(StreamNlpConfig.HEADS_PROFILE, "business")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("heads.profile")
                .hasMessageContaining("research")
                .hasMessageContaining("commercial");
    }
}
