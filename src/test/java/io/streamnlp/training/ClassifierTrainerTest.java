package io.streamnlp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.heads.ClassifierHead;
import io.streamnlp.heads.Classifiers;
import io.streamnlp.inference.Encoder;
import io.streamnlp.model.ClassLabel;
import io.streamnlp.testing.TestClassifier;
import io.streamnlp.testing.TestEncoder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --classifier}: the user's file in, a head that the stream loads and a held-out table out. */
class ClassifierTrainerTest {

    @TempDir
    Path dir;

    @Test
    void readsTextTabLabelLinesSkippingBlankLines() throws Exception {
        Path file = dir.resolve("data.tsv");
        Files.writeString(file, "#1 fan here\tfeedback\nWhere is my parcel?\tshipping\n\n  Refund please \t billing \r\nA\tB\tc\n",
                StandardCharsets.UTF_8);
        assertThat(ClassifierTrainer.read(file)).containsExactly(
                new ClassifierTrainer.Example("#1 fan here", "feedback"),
                new ClassifierTrainer.Example("Where is my parcel?", "shipping"),
                new ClassifierTrainer.Example("Refund please", "billing"),
                new ClassifierTrainer.Example("A\tB", "c"));
    }

    @Test
    void aLineWithoutALabelOrNotUtf8IsRefusedNamingTheFileAndLine() throws Exception {
        Path file = dir.resolve("bad.tsv");
        Files.writeString(file, "fine\tlabel\nno label here\n");
        assertThatThrownBy(() -> ClassifierTrainer.read(file)).hasMessageContaining("bad.tsv line 2")
                .hasMessageContaining("text<TAB>label");
        Path latin1 = dir.resolve("latin1.tsv");
        Files.write(latin1, "caf\u00e9\tx\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ClassifierTrainer.read(latin1)).hasMessageContaining("not UTF-8");
    }

    @Test
    void theHeldOutSplitIsSeededAndStratifiedPerLabel() {
        List<ClassifierTrainer.Example> examples = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            examples.add(new ClassifierTrainer.Example("a" + i, "a"));
        }
        for (int i = 0; i < 10; i++) {
            examples.add(new ClassifierTrainer.Example("b" + i, "b"));
        }
        examples.add(new ClassifierTrainer.Example("lonely", "c"));
        List<String> labels = List.of("a", "b", "c");
        var first = ClassifierTrainer.stratified(examples, labels, 0.2, new SplittableRandom(13));
        var again = ClassifierTrainer.stratified(examples, labels, 0.2, new SplittableRandom(13));
        var other = ClassifierTrainer.stratified(examples, labels, 0.2, new SplittableRandom(14));
        assertThat(again).isEqualTo(first);
        assertThat(other.get(1)).isNotEqualTo(first.get(1));
        assertThat(first.get(1)).filteredOn(e -> e.label().equals("a")).hasSize(10);
        assertThat(first.get(1)).filteredOn(e -> e.label().equals("b")).hasSize(2);
        assertThat(first.get(1)).as("a label with one text stays in training").noneMatch(e -> e.label().equals("c"));
        assertThat(first.get(0)).hasSize(61 - 12);
    }

    @Test
    void theExampleTrainsAHeadThatTheStreamLoadsAndThatBeatsChanceOnItsHeldOutSplit() throws Exception {
        ClassifierTrainer.Result result = TestClassifier.result();
        assertThat(result.heldOut().n()).isEqualTo(50);
        assertThat(result.heldOut().accuracy()).as("5 labels: chance is 0.2").isGreaterThan(0.7);
        assertThat(result.heldOut().macroF1()).isGreaterThan(0.7);
        assertThat(result.heldOut().perLabel()).containsOnlyKeys("billing", "shipping", "bug", "account", "feedback");

        Encoder encoder = TestEncoder.get();
        Classifiers loaded = Classifiers.load(List.of(TestClassifier.NAME), TestClassifier.path(), encoder.spec());
        loaded.checkFingerprint(encoder.spec().name(), encoder.fingerprint());
        ClassifierHead head = loaded.heads().getFirst();
        assertThat(head.version()).matches("classifier-tickets-v1-[0-9a-f]{8}");
        assertThat(head.labels()).containsExactly("billing", "shipping", "bug", "account", "feedback");
        assertThat(head.encoderFingerprint()).isEqualTo(encoder.fingerprint());
        assertThat(head.file().meta(ClassifierHead.DATA_DIGEST))
                .isEqualTo(ClassifierTrainer.digest(List.of(TestClassifier.EXAMPLE)));

        float[] vector;
        try (var session = encoder.newSession()) {
            vector = session.encode(List.of(encoder.tokenizer().tokenize(
                    "I was charged twice this month, please refund the second payment")))[0].sentenceVector();
        }
        ClassLabel answer = loaded.classify(vector).get(TestClassifier.NAME);
        assertThat(answer.label()).isEqualTo("billing");
        assertThat(answer.probabilities().values().stream().mapToDouble(Float::doubleValue).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void theSameFilesAndSeedWriteTheSameBytesAndTheTablePrintsEveryLabel() throws Exception {
        Encoder encoder = TestEncoder.get();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ClassifierTrainer trainer = new ClassifierTrainer(new ClassifierTrainer.Options(TestClassifier.NAME,
                List.of(TestClassifier.EXAMPLE), List.of(), 0.2, 13, 1), new PrintStream(printed, true, StandardCharsets.UTF_8));
        ClassifierTrainer.Result again = trainer.train(new FeatureCache(encoder, null, 64,
                new PrintStream(OutputStream.nullOutputStream())), encoder.spec(), encoder.fingerprint());
        assertThat(again.file().toBytes()).isEqualTo(TestClassifier.result().file().toBytes());
        String table = printed.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("Held out (50 texts)", "softmax regression (floor)", "MLP-256", "macro F1");
        for (String label : List.of("billing", "shipping", "bug", "account", "feedback")) {
            assertThat(table).containsPattern("(?m)^  " + label + " +[0-9.]+ +[0-9.]+ +[0-9.]+ +10$");
        }
    }

    @Test
    void aNameThatCannotBeAFileAndOneLabelAloneAreRefused() throws Exception {
        assertThatThrownBy(() -> new ClassifierTrainer.Options("../x", List.of(TestClassifier.EXAMPLE), List.of(), 0.2, 1, 1))
                .hasMessageContaining("--classifier");
        Path one = dir.resolve("one.tsv");
        Files.writeString(one, "a\tx\nb\tx\n");
        Encoder encoder = TestEncoder.get();
        ClassifierTrainer trainer = new ClassifierTrainer(new ClassifierTrainer.Options("one", List.of(one), List.of(), 0.2, 1,
                1), new PrintStream(OutputStream.nullOutputStream()));
        assertThatThrownBy(() -> trainer.train(new FeatureCache(encoder, null, 64, new PrintStream(OutputStream.nullOutputStream())), encoder.spec(), encoder.fingerprint()))
                .hasMessageContaining("at least two labels");
    }
}
