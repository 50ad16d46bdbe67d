package io.streamnlp.heads;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.Pooling;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The languages the heads judge: the model card's for the packaged heads, heads.languages for an own encoder's. */
class HeadsLanguagesTest {

    @TempDir
    Path directory;

    private EncoderSpec custom(String properties) throws Exception {
        Files.writeString(directory.resolve(CustomModel.PROPERTIES), properties);
        return new EncoderSpec("mine", "1", CustomModel.GRAPH, CustomModel.TOKENIZER, Pooling.MEAN, "", 384, "test",
                directory, 512, null);
    }

    @Test
    void thePackagedHeadsJudgeEnglish() {
        assertThat(Heads.languagesOf(ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL))).containsExactly("en");
    }

    @Test
    void anOwnEncodersHeadsDeclareTheirsAndDefaultToEnglish() throws Exception {
        assertThat(Heads.languagesOf(custom("name=mine\nheads.languages= EN, de,fr\n"))).containsExactly("de", "en", "fr");
        assertThat(Heads.languagesOf(custom("name=mine\n"))).containsExactly("en");
    }
}
