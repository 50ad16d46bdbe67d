package io.streamnlp.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
