package io.streamnlp.heads;

import io.streamnlp.model.SentimentScores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.model.HeadProfile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadFileTest {

    private static HeadFile sample(float scale) {
        float[] w = new float[6];
        for (int i = 0; i < w.length; i++) {
            w[i] = scale * (i - 2.5f) / 3f;
        }
        return HeadFile.create("sentiment", "1", "e5-small-q", "0.36.2", List.of("NEGATIVE", "NEUTRAL", "POSITIVE"),
                Map.of("b", "2", "a", "1"),
                List.of(new HeadFile.Tensor("mean", new int[] {2}, new float[] {0.1f, -0.2f}, false),
                        new HeadFile.Tensor("inv_std", new int[] {2}, new float[] {3f, 4f}, false),
                        new HeadFile.Tensor("w1", new int[] {2, 3}, w, true),
                        new HeadFile.Tensor("b1", new int[] {3}, new float[] {0.5f, 0f, -0.5f}, false)));
    }

    @Test
    void roundTripKeepsEverything() throws IOException {
        HeadFile original = sample(1f);
        byte[] bytes = original.toBytes();
        HeadFile read = HeadFile.read(new ByteArrayInputStream(bytes));
        assertThat(read.kind()).isEqualTo("sentiment");
        assertThat(read.version()).isEqualTo(original.version()).matches("sentiment-v1-[0-9a-f]{8}");
        assertThat(read.encoder()).isEqualTo("e5-small-q");
        assertThat(read.encoderVersion()).isEqualTo("0.36.2");
        assertThat(read.labels()).containsExactly("NEGATIVE", "NEUTRAL", "POSITIVE");
        assertThat(read.meta()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("a", "1", "b", "2")));
        assertThat(read.tensor("w1").shape()).containsExactly(2, 3);
        assertThat(read.tensor("w1").data()).containsExactly(original.tensor("w1").data());
        assertThat(read.tensor("mean").data()).containsExactly(0.1f, -0.2f);
        assertThat(read.toBytes()).isEqualTo(bytes);
    }

    @Test
    void halfTensorsAreRoundedOnCreateSoMemoryEqualsFile() {
        HeadFile f = sample(1f);
        float third = (1 - 2.5f) / 3f;
        assertThat(f.tensor("w1").data()[1]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(third)));
    }

    @Test
    void sameContentSameBytesOtherContentOtherVersion() {
        assertThat(sample(1f).toBytes()).isEqualTo(sample(1f).toBytes());
        assertThat(sample(2f).version()).isNotEqualTo(sample(1f).version());
    }

    @Test
    void loadsAsASentimentHead() {
        SentimentHead head = SentimentHead.from(sample(1f));
        SentimentScores s = head.predict(new float[] {0.3f, 0.1f});
        assertThat(s.negative() + s.neutral() + s.positive()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(head.version()).startsWith("sentiment-v1-");
        assertThatThrownBy(() -> head.predict(new float[3])).hasMessageContaining("expects 2");
    }

    @Test
    void rejectsOtherFilesAndFormats() {
        assertThatThrownBy(() -> HeadFile.read(new ByteArrayInputStream("NOTAHEAD0000".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("magic");
        byte[] bytes = sample(1f).toBytes();
        bytes[11] = 99; // format version int, big-endian, after the 8-byte magic
        assertThatThrownBy(() -> HeadFile.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(IOException.class).hasMessageContaining("format 99");
    }

    @Test
    void shippedHeadsOnTheClasspathAreWellFormed() {
        for (String model : Heads.availableModels()) {
            Heads heads = Heads.load(model);
            assertThat(heads.sentiment().encoder()).isEqualTo(model);
            assertThat(heads.ner().encoder()).isEqualTo(model);
            assertThat(heads.sentiment().version()).matches("sentiment-v\\d+-[0-9a-f]{8}");
            assertThat(heads.ner().version()).matches("ner-v\\d+-[0-9a-f]{8}");
        }
    }

    @Test
    void theDefaultEncoderShipsACommercialProfileWithItsOwnVersionsAndLicence() {
        String model = io.streamnlp.inference.ModelCatalogue.DEFAULT_MODEL;
        assertThat(Heads.availableModels(HeadProfile.COMMERCIAL)).contains(model);
        Heads research = Heads.load(model, HeadProfile.RESEARCH);
        Heads commercial = Heads.load(model, HeadProfile.COMMERCIAL);
        assertThat(commercial.sentiment().version()).matches("sentiment-v\\d+-[0-9a-f]{8}")
                .isNotEqualTo(research.sentiment().version());
        assertThat(commercial.ner().version()).matches("ner-v\\d+-[0-9a-f]{8}").isNotEqualTo(research.ner().version());
        for (String file : new String[] {Heads.SENTIMENT_FILE, Heads.NER_FILE}) {
            try (java.io.InputStream in = Heads.class.getClassLoader()
                    .getResourceAsStream(Heads.resource(model, HeadProfile.COMMERCIAL, file))) {
                HeadFile head = HeadFile.read(in);
                assertThat(head.meta()).as(file).containsEntry("profile", "commercial");
                // Trained on none of the research-only sets.
                assertThat(head.meta().get("train.data")).as(file).doesNotContain("CoNLL", "SemEval", "SST", "UNER");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void missingHeadsAreReportedClearly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        ClassLoader nothing = new java.net.URLClassLoader(new java.net.URL[0], null);
        assertThatThrownBy(() -> Heads.load("minilm-l6", nothing)).isInstanceOf(MissingHeadsException.class)
                .hasMessageContaining("No task heads for encoder 'minilm-l6' on the classpath")
                .hasMessageContaining("heads/minilm-l6/sentiment.bin")
                .hasMessageContaining("Encoders with heads: none")
                .hasMessageContaining("streamnlp train --model minilm-l6");
        assertThatThrownBy(() -> Heads.load("e5-small-q", empty)).isInstanceOf(MissingHeadsException.class)
                .hasMessageContaining("No task heads for encoder 'e5-small-q' in " + empty.resolve("e5-small-q"));
        assertThatThrownBy(() -> Heads.load("no-such-model")).hasMessageContaining("Unknown model");
    }
}
