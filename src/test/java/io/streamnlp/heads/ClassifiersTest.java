package io.streamnlp.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.model.ClassLabel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the classifier heads a run names, and refusing those that cannot read its encoder's vectors. */
class ClassifiersTest {

    private static final EncoderSpec E5 = ModelCatalogue.byName("e5-small-q");
    private static final String FINGERPRINT = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    /** A softmax regression that answers label {@code k} for a vector whose largest value is at dimension k. */
    static HeadFile head(String name, String encoder, int dim, String fingerprint) {
        List<String> labels = List.of("red", "green", "blue");
        float[] w = new float[dim * labels.size()];
        for (int k = 0; k < labels.size(); k++) {
            w[k * labels.size() + k] = 10f;
        }
        float[] mean = new float[dim];
        float[] invStd = new float[dim];
        java.util.Arrays.fill(invStd, 1f);
        return HeadFile.createNamed(ClassifierHead.KIND, "classifier-" + name, "1", encoder, "1", labels,
                Map.of(ClassifierHead.NAME, name, ClassifierHead.ENCODER_FINGERPRINT, fingerprint,
                        ClassifierHead.DATA_DIGEST, "00", ClassifierHead.ARCH, "softmax"),
                List.of(new HeadFile.Tensor("mean", new int[] {dim}, mean, false),
                        new HeadFile.Tensor("inv_std", new int[] {dim}, invStd, false),
                        new HeadFile.Tensor("w1", new int[] {dim, labels.size()}, w, false),
                        new HeadFile.Tensor("b1", new int[] {labels.size()}, new float[labels.size()], false)));
    }

    private Path write(String name, HeadFile file) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(E5.name()));
        return Files.write(folder.resolve(ClassifierHead.fileName(name)), file.toBytes());
    }

    @Test
    void loadsEachNamedClassifierAndAnswersByNameWithProbabilitiesOverItsLabels() throws Exception {
        write("colours", head("colours", E5.name(), E5.dimension(), FINGERPRINT));
        write("shades", head("shades", E5.name(), E5.dimension(), FINGERPRINT));
        Classifiers classifiers = Classifiers.load(List.of("shades", "colours"), dir, E5);
        classifiers.checkFingerprint(E5.name(), FINGERPRINT);
        float[] vector = new float[E5.dimension()];
        vector[2] = 1f;
        Map<String, ClassLabel> answers = classifiers.classify(vector);
        assertThat(answers).containsOnlyKeys("shades", "colours");
        assertThat(answers.keySet()).containsExactly("shades", "colours");
        ClassLabel colour = answers.get("colours");
        assertThat(colour.label()).isEqualTo("blue");
        assertThat(colour.probabilities().keySet()).containsExactly("red", "green", "blue");
        assertThat(colour.probabilities().get("blue")).isGreaterThan(0.99f);
        assertThat(colour.headVersion()).matches("classifier-colours-v1-[0-9a-f]{8}");
        assertThat(classifiers.versions()).contains("classifier-shades-v1-", "classifier-colours-v1-");
    }

    @Test
    void aHeadTrainedOnAnotherEncoderFingerprintIsRefusedNamingBothAndTheSetting() throws Exception {
        write("colours", head("colours", E5.name(), E5.dimension(), FINGERPRINT));
        Classifiers classifiers = Classifiers.load(List.of("colours"), dir, E5);
        String other = "fedcba9876543210fedcba9876543210";
        assertThatThrownBy(() -> classifiers.checkFingerprint(E5.name(), other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(FINGERPRINT).hasMessageContaining(other)
                .hasMessageContaining("classifiers").hasMessageContaining("'colours'");
    }

    @Test
    void aHeadOfAnotherEncoderNameOrSizeIsRefusedAtLoad() throws Exception {
        write("minilm", head("minilm", "minilm-l6-q", E5.dimension(), FINGERPRINT));
        assertThatThrownBy(() -> Classifiers.load(List.of("minilm"), dir, E5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("trained on encoder minilm-l6-q").hasMessageContaining(FINGERPRINT)
                .hasMessageContaining("classifiers");
        write("small", head("small", E5.name(), 8, FINGERPRINT));
        assertThatThrownBy(() -> Classifiers.load(List.of("small"), dir, E5)).hasMessageContaining("expects 8-d vectors");
    }

    @Test
    void aMissingClassifierNamesWhereItLookedTheSettingsAndTheTrainCommand() {
        assertThatThrownBy(() -> Classifiers.load(List.of("tickets"), dir, E5))
                .isInstanceOf(MissingHeadsException.class)
                .hasMessageContaining(dir.resolve(E5.name()).resolve("classifier-tickets.bin").toString())
                .hasMessageContaining("classifier.path")
                .hasMessageContaining("streamnlp train --model e5-small-q --classifier tickets");
        assertThatThrownBy(() -> Classifiers.load(List.of("tickets"), null, E5))
                .isInstanceOf(MissingHeadsException.class).hasMessageContaining("classpath")
                .hasMessageContaining("classifier.path");
    }

    @Test
    void aFileUnderTheWrongNameIsRefused() throws Exception {
        write("tickets", head("colours", E5.name(), E5.dimension(), FINGERPRINT));
        assertThatThrownBy(() -> Classifiers.load(List.of("tickets"), dir, E5))
                .hasMessageContaining("holds classifier 'colours', not 'tickets'");
    }

    @Test
    void aHeadFileReadsBackWithItsNamedVersion() throws Exception {
        HeadFile file = head("colours", E5.name(), E5.dimension(), FINGERPRINT);
        HeadFile read = HeadFile.read(new java.io.ByteArrayInputStream(file.toBytes()));
        assertThat(read.version()).isEqualTo(file.version()).startsWith("classifier-colours-v1-");
        assertThat(read.labels()).containsExactly("red", "green", "blue");
    }
}
