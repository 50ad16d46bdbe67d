package io.streamnlp.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.config.OutputFormat;
import io.streamnlp.schema.EmbeddingModel;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The guard's decision on its own; {@code ModelGuardIntegrationTest} runs it against a broker and a registry. */
class ModelGuardTest {

    private static final ModelIdentity E5 = new ModelIdentity("e5-small-q", "e5-small-v2-int8/0.36.2", "aaaa", 384, "MEAN",
            "query: ");

    private static EmbeddingModel recorded(String name, String fingerprint) {
        return EmbeddingModel.newBuilder().setModel(name).setModelVersion("v").setFingerprint(fingerprint).setDimension(384)
                .setPooling("MEAN").setTextPrefix("").setApplicationId("live").setRecordedAt(Instant.EPOCH)
                .setAppVersion("dev").build();
    }

    @Test
    void aNewPrefixRecordsTheEncoder() {
        assertThat(ModelGuard.decide(null, E5, false, "p", "p.models")).isEqualTo(ModelGuard.Verdict.RECORDED);
    }

    @Test
    void theSameFingerprintIsTheSameSpaceWhateverTheName() {
        assertThat(ModelGuard.decide(recorded("renamed", "aaaa"), E5, false, "p", "p.models"))
                .isEqualTo(ModelGuard.Verdict.SAME);
    }

    @Test
    void anotherFingerprintIsRefusedWithTheWayOut() {
        assertThatThrownBy(() -> ModelGuard.decide(recorded("minilm-l6-q", "bbbb"), E5, false, "reviews", "reviews.models"))
                .isInstanceOf(ModelChangeRefusedException.class)
                .hasMessageContaining("Output prefix 'reviews' holds vectors of minilm-l6-q")
                .hasMessageContaining("fingerprint bbbb")
                .hasMessageContaining("e5-small-q")
                .hasMessageContaining("replay --output-prefix")
                .hasMessageContaining("model.change=allow");
    }

    @Test
    void modelChangeAllowSwitchesThePrefix() {
        assertThat(ModelGuard.decide(recorded("minilm-l6-q", "bbbb"), E5, true, "p", "p.models"))
                .isEqualTo(ModelGuard.Verdict.CHANGED);
    }

    @Test
    void aNewPrefixRecordsItsFormat() {
        assertThat(ModelGuard.decideFormat(null, false, OutputFormat.JSON, false, "p", "p.models"))
                .isEqualTo(ModelGuard.Verdict.RECORDED);
        assertThat(ModelGuard.decideFormat(null, false, OutputFormat.AVRO, false, "p", "p.models"))
                .isEqualTo(ModelGuard.Verdict.RECORDED);
    }

    @Test
    void theRecordedFormatAgainIsTheSame() {
        assertThat(ModelGuard.decideFormat(OutputFormat.JSON, false, OutputFormat.JSON, false, "p", "p.models"))
                .isEqualTo(ModelGuard.Verdict.SAME);
        assertThat(ModelGuard.decideFormat(OutputFormat.AVRO, true, OutputFormat.AVRO, false, "p", "p.models"))
                .as("a prefix of an earlier release stays avro without a word").isEqualTo(ModelGuard.Verdict.SAME);
    }

    @Test
    void theOtherFormatIsRefusedNamingTheSettings() {
        assertThatThrownBy(() -> ModelGuard.decideFormat(OutputFormat.AVRO, false, OutputFormat.JSON, false, "reviews",
                "reviews.models"))
                .isInstanceOf(OutputFormatChangeRefusedException.class)
                .hasMessageContaining("Output prefix 'reviews' holds avro records (recorded in reviews.models)")
                .hasMessageContaining("output.format=json")
                .hasMessageContaining("new output.topic.prefix")
                .hasMessageContaining("output.format.change=allow");
        assertThatThrownBy(() -> ModelGuard.decideFormat(OutputFormat.JSON, false, OutputFormat.AVRO, false, "p", "p.models"))
                .isInstanceOf(OutputFormatChangeRefusedException.class)
                .hasMessageContaining("holds json records").hasMessageContaining("output.format=avro");
    }

    @Test
    void aPrefixWrittenBeforeFormatsWereRecordedHoldsAvro() {
        assertThatThrownBy(() -> ModelGuard.decideFormat(OutputFormat.AVRO, true, OutputFormat.JSON, false, "p", "p.models"))
                .isInstanceOf(OutputFormatChangeRefusedException.class)
                .hasMessageContaining("holds avro records (written before the output format was recorded")
                .hasMessageContaining("output.format.change=allow");
    }

    @Test
    void outputFormatChangeAllowSwitchesThePrefix() {
        assertThat(ModelGuard.decideFormat(OutputFormat.AVRO, true, OutputFormat.JSON, true, "p", "p.models"))
                .isEqualTo(ModelGuard.Verdict.CHANGED);
    }
}
