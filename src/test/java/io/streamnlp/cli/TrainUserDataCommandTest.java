package io.streamnlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.heads.HeadFile;
import io.streamnlp.heads.Heads;
import io.streamnlp.heads.NerHead;
import io.streamnlp.heads.SentimentHead;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} as a user with nothing but their own sentiment or NER file runs it: no {@code --data},
 * the head written, the held-out table printed, the other head kept usable.
 */
class TrainUserDataCommandTest {

    private static final String SENTIMENT = "src/test/resources/training/user-sentiment.tsv";
    private static final String NER = "src/test/resources/training/user-ner.conll";

    @TempDir
    Path out;

    private static CommandRun train(String... args) {
        return CommandRun.of("train", args);
    }

    @Test
    void aProfileThatDoesNotExistIsExitTwoNamingTheChoices() {
        CommandRun run = train("--model", "e5-small-q", "--sentiment-data", SENTIMENT, "--out", out.toString(),
                "--profile", "business");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr().strip()).isEqualTo("--profile must be research or commercial, got 'business'");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void nerStatesThatDoNotExistOrThatTheEncoderCannotGiveAreExitTwo() {
        CommandRun misspelt = train("--model", "e5-small-q", "--ner-data", NER, "--out", out.toString(),
                "--ner-states", "middle");
        assertThat(misspelt.exit()).isEqualTo(2);
        assertThat(misspelt.stderr().strip())
                .isEqualTo("--ner-states must be auto, last or mean-last-intermediate, got 'middle'");
        Path custom = out.resolve("my-encoder");
        CommandRun noLayer = train("--model-path", custom.toString(), "--ner-data", NER, "--ner-states",
                "mean-last-intermediate");
        assertThat(noLayer.exit()).isEqualTo(2);
        assertThat(noLayer.stderr().strip()).isEqualTo("--ner-states mean-last-intermediate: encoder in " + custom
                + " exposes no intermediate layer; use --ner-states last (or auto)");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void aModelGraphThatDoesNotExistOrCannotRunIsExitTwoForTrainAndEvaluate() {
        CommandRun misspelt = train("--model", "e5-small-q", "--sentiment-data", SENTIMENT, "--out", out.toString(),
                "--model-graph", "quick");
        assertThat(misspelt.exit()).isEqualTo(2);
        assertThat(misspelt.stderr().strip()).isEqualTo("--model-graph must be packaged or fused, got 'quick'");
        CommandRun floatModel = train("--model", "minilm-l6", "--sentiment-data", SENTIMENT, "--out", out.toString(),
                "--model-graph", "fused");
        assertThat(floatModel.exit()).isEqualTo(2);
        assertThat(floatModel.stderr().strip()).isEqualTo("--model-graph fused runs only on the catalogue's int8 encoders "
                + "(minilm-l6-q, bge-small-q, e5-small-q), not on minilm-l6");
        CommandRun evaluate = CommandRun.of("evaluate", "--model", "minilm-l6", "--data", out.toString(),
                "--model-graph", "fused");
        assertThat(evaluate.exit()).isEqualTo(2);
        assertThat(evaluate.stderr()).contains("--model-graph fused runs only on the catalogue's int8 encoders");
        assertThat(out).isEmptyDirectory();
    }

    private static HeadFile read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return HeadFile.read(in);
        }
    }

    @Test
    void theSentimentHeadTrainsOnTheUsersFileAloneAndPrintsItsHeldOutTable() throws Exception {
        CommandRun run = train("--model", "e5-small-q", "--sentiment-data", SENTIMENT, "--out", out.toString(),
                "--no-cache", "--threads", "1", "--sentiment-ensemble", "1");

        assertThat(run.exit()).as(run.stderr()).isZero();
        Path folder = out.resolve("e5-small-q");
        // 48 texts, 16 per label: 20 % of each label held out = 3 x 3 texts.
        assertThat(run.stdout()).contains("Small data: 150 epochs, no weight averaging", "Sentiment held-out table",
                "user: user-sentiment.tsv (held out)",
                "accuracy", "macro recall", "Wrote " + folder.resolve(Heads.SENTIMENT_FILE));
        assertThat(run.stdout()).containsPattern("user: user-sentiment.tsv \\(held out\\) +9 +[0-9.]+% +[0-9.]+");
        HeadFile sentiment = read(folder.resolve(Heads.SENTIMENT_FILE));
        assertThat(sentiment.kind()).isEqualTo(SentimentHead.KIND);
        assertThat(sentiment.meta("train.data")).startsWith("user: user-sentiment.tsv (33, weight 1.0)");
        // The default calibration (--calibrate priors) chose the class priors and wrote them into the head.
        assertThat(run.stdout()).containsPattern("Logit biases chosen on the selection sets: negative [-+][0-9.]+, "
                + "neutral [-+][0-9.]+");
        assertThat(sentiment.hasTensor("logit_bias")).isTrue();
        // Not trained here, so the stream's other head is the bundled one.
        assertThat(run.stdout()).contains("Copied the bundled ner.bin");
        assertThat(read(folder.resolve(Heads.NER_FILE)).kind()).isEqualTo(NerHead.KIND);
    }

    @Test
    void theNerHeadTrainsOnTheUsersFileAloneAndPrintsF1PerType() throws Exception {
        CommandRun run = train("--model", "e5-small-q", "--ner-data", NER + ":1:PER+ORG+LOC", "--out", out.toString(),
                "--no-cache", "--threads", "1");

        assertThat(run.exit()).as(run.stderr()).isZero();
        Path folder = out.resolve("e5-small-q");
        assertThat(run.stdout()).contains("NER held-out table", "PER", "ORG", "LOC",
                "Wrote " + folder.resolve(Heads.NER_FILE), "Copied the bundled sentiment.bin");
        // 24 sentences: 5 held out; MISC is not annotated by the file, so not scored.
        assertThat(run.stdout()).containsPattern(
                "user: user-ner.conll \\(held out\\) +5 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +-");
        assertThat(read(folder.resolve(Heads.NER_FILE)).kind()).isEqualTo(NerHead.KIND);
    }

    @Test
    void badInputExitsTwoWithAMessageNamingTheOption() {
        CommandRun nothing = train("--model", "e5-small-q", "--out", out.toString());
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.stderr()).contains("--sentiment-data", "--ner-data", "--data");

        CommandRun missing = train("--model", "e5-small-q", "--sentiment-data", out.resolve("missing.tsv").toString(),
                "--out", out.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.stderr()).contains("--sentiment-data", "missing.tsv");

        CommandRun missingNer = train("--model", "e5-small-q", "--ner-data", out.resolve("missing.conll").toString(),
                "--out", out.toString());
        assertThat(missingNer.exit()).isEqualTo(2);
        assertThat(missingNer.stderr()).contains("--ner-data", "missing.conll");

        CommandRun missingHeldOut = train("--model", "e5-small-q", "--sentiment-data", SENTIMENT, "--sentiment-held-out",
                out.resolve("held.tsv").toString(), "--out", out.toString());
        assertThat(missingHeldOut.exit()).isEqualTo(2);
        assertThat(missingHeldOut.stderr()).contains("--sentiment-held-out", "held.tsv");

        CommandRun wrongHead = train("--model", "e5-small-q", "--heads", "ner", "--sentiment-data", SENTIMENT, "--out",
                out.toString());
        assertThat(wrongHead.exit()).isEqualTo(2);
        assertThat(wrongHead.stderr()).contains("--ner-data");
        assertThat(out.resolve("e5-small-q")).doesNotExist();
    }
}
