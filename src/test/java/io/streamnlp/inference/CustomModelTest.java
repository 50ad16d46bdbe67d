package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamnlp.enrich.Enricher;
import io.streamnlp.heads.HeadFile;
import io.streamnlp.heads.Heads;
import io.streamnlp.heads.SentimentHead;
import io.streamnlp.model.TextAnalysis;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bring your own encoder: a packaged encoder (MiniLM fp32, so results are exact) unpacked into a
 * directory with a model.properties runs as a custom model and gives its catalogue entry's vectors,
 * BERT-style (with token_type_ids) and RoBERTa/DistilBERT-style (without); every bad directory gives
 * its own error; heads come from the directory or not at all.
 */
class CustomModelTest {

    private static final EncoderSpec MINILM = ModelCatalogue.byName("minilm-l6");
    private static final String PROPERTIES = """
            # unpacked from the langchain4j jar of all-MiniLM-L6-v2
            name=my-minilm
            version=2026.1
            pooling=mean
            hidden.size=384
            max.length=512
            """;
    private static final List<String> TEXTS = List.of("Maria from Google loved the pasta at our hotel in Paris.",
            "The blender broke after two days.", "ok");

    @TempDir
    Path temp;

    private static Encoder catalogue;
    private static EncoderSession catalogueSession;
    private static byte[] graph;
    private static byte[] tokenizer;

    @BeforeAll
    static void load() throws IOException {
        catalogue = Encoder.load(MINILM, 256, 1, true);
        catalogueSession = catalogue.newSession();
        graph = resource(MINILM.onnxResource());
        tokenizer = resource(MINILM.tokenizerResource());
    }

    @AfterAll
    static void close() {
        catalogueSession.close();
        catalogue.close();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = CustomModelTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** A model directory: the given graph, MiniLM's tokenizer, the given properties (null: leave a file out). */
    private Path directory(String name, byte[] onnx, byte[] tokenizerJson, String properties) throws IOException {
        Path dir = Files.createDirectories(temp.resolve(name));
        if (onnx != null) {
            Files.write(dir.resolve(CustomModel.GRAPH), onnx);
        }
        if (tokenizerJson != null) {
            Files.write(dir.resolve(CustomModel.TOKENIZER), tokenizerJson);
        }
        if (properties != null) {
            Files.writeString(dir.resolve(CustomModel.PROPERTIES), properties);
        }
        return dir;
    }

    private static float[][] vectors(Encoder encoder, EncoderSession session) {
        EncodedText[] encoded = session.encode(TEXTS.stream().map(encoder.tokenizer()::tokenize).toList());
        float[][] vectors = new float[encoded.length][];
        for (int i = 0; i < encoded.length; i++) {
            vectors[i] = encoded[i].sentenceVector();
        }
        return vectors;
    }

    @Test
    void aPackagedEncoderUnpackedIntoADirectoryGivesTheVectorsOfItsCatalogueEntry() throws IOException {
        EncoderSpec spec = CustomModel.load(directory("unpacked", graph, tokenizer, PROPERTIES));
        assertThat(spec.name()).isEqualTo("my-minilm");
        assertThat(spec.version()).isEqualTo("2026.1");
        assertThat(spec.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(spec.dimension()).isEqualTo(384);
        assertThat(spec.maxLength()).isEqualTo(512);
        assertThat(spec.custom()).isTrue();
        try (Encoder custom = Encoder.load(spec, 256, 1, true); EncoderSession session = custom.newSession()) {
            assertThat(custom.takesTokenTypes()).isTrue();
            assertThat(vectors(custom, session)).isDeepEqualTo(vectors(catalogue, catalogueSession));
            assertThat(custom.fingerprint()).as("same files, pooling and prefix: same vector space, whatever the name")
                    .isEqualTo(catalogue.fingerprint());
        }
    }

    @Test
    void anExportWithoutTokenTypeIdsRunsAndGivesTheSameVectors() throws IOException {
        byte[] roberta = OnnxGraphs.withoutTokenTypeIds(graph);
        EncoderSpec spec = CustomModel.load(directory("no-token-types", roberta, tokenizer, PROPERTIES));
        try (Encoder custom = Encoder.load(spec, 256, 1, true); EncoderSession session = custom.newSession()) {
            assertThat(custom.takesTokenTypes()).isFalse();
            float[][] expected = vectors(catalogue, catalogueSession);
            float[][] actual = vectors(custom, session);
            for (int i = 0; i < expected.length; i++) {
                assertThat(Pooling.cosine(actual[i], expected[i])).as(TEXTS.get(i)).isGreaterThan(0.99999);
            }
            assertThat(custom.fingerprint()).as("other graph bytes: another fingerprint").isNotEqualTo(catalogue.fingerprint());
        }
    }

    @Test
    void eachBadDirectoryGivesItsOwnError() throws IOException {
        assertProblem(temp.resolve("nowhere"), "is not a directory");
        assertProblem(directory("no-graph", null, tokenizer, PROPERTIES), "has no model.onnx");
        assertProblem(directory("no-tokenizer", graph, null, PROPERTIES), "has no tokenizer.json");
        assertProblem(directory("no-properties", graph, tokenizer, null), "has no model.properties");
        assertProblem(directory("no-hidden-size", graph, tokenizer, PROPERTIES.replace("hidden.size=384\n", "")),
                "model.properties has no hidden.size");
        assertProblem(directory("bad-pooling", graph, tokenizer, PROPERTIES.replace("pooling=mean", "pooling=max")),
                "pooling=max is neither mean nor cls");
        assertProblem(directory("typo", graph, tokenizer, PROPERTIES + "hiden.size=384\n"), "unknown key 'hiden.size'");
        assertProblem(directory("no-such-layer", graph, tokenizer, PROPERTIES + "intermediate.output=/encoder/layer.9/out\n"),
                "intermediate.output=/encoder/layer.9/out is not a tensor of model.onnx");
        assertProblem(directory("too-long", graph, tokenizer, PROPERTIES.replace("max.length=512", "max.length=4096")),
                "max.length=4096 must be between 8 and 512");
        assertProblem(directory("wrong-hidden", graph, tokenizer, PROPERTIES.replace("hidden.size=384", "hidden.size=768")),
                "model.properties hidden.size=768 but the encoder outputs 384-dimensional token states: set hidden.size=384");
        assertProblem(directory("extra-input", OnnxGraphs.renamed(graph, "token_type_ids", "segment_ids_v2"), tokenizer,
                PROPERTIES), "unexpected input 'segment_ids_v2'");
        assertProblem(directory("no-input-ids", OnnxGraphs.renamed(graph, "input_ids", "input_idz"), tokenizer, PROPERTIES),
                "has no input 'input_ids'", "unexpected input 'input_idz'");
        assertProblem(directory("no-hidden-states", OnnxGraphs.twoDimensionalOutput(), tokenizer, PROPERTIES),
                "has no output 'last_hidden_state' [batch, sequence, hidden] (its outputs: logits [-1, -1])");
        assertProblem(directory("not-onnx", "not a graph".getBytes(), tokenizer, PROPERTIES), "model.onnx is not an ONNX graph");
        assertProblem(directory("not-a-tokenizer", graph, "{\"oops\": 1}".getBytes(), PROPERTIES),
                "tokenizer.json is not a HuggingFace tokenizer");
    }

    // --- the trial inference: what model.properties says, against what the graph does ---

    @Test
    void aHiddenSizeTheGraphDoesNotDeclareIsFoundByTheTrial() throws IOException {
        byte[] symbolic = OnnxGraphs.withSymbolicHiddenAxis(graph);
        // Without the trial both loaded: 512 reads past the states (every text a processing error), 256 cuts
        // every vector short, silently.
        assertProblem(directory("trial-hidden", symbolic, tokenizer, PROPERTIES.replace("hidden.size=384", "hidden.size=512")),
                "model.properties hidden.size=512 but the encoder outputs 384-dimensional token states: set hidden.size=384");
        assertProblem(directory("trial-hidden-narrow", symbolic, tokenizer,
                PROPERTIES.replace("hidden.size=384", "hidden.size=256")),
                "model.properties hidden.size=256 but the encoder outputs 384-dimensional token states: set hidden.size=384");
        EncoderSpec spec = CustomModel.load(directory("trial-hidden-right", symbolic, tokenizer, PROPERTIES));
        try (Encoder custom = Encoder.load(spec, 256, 1, true); EncoderSession session = custom.newSession()) {
            assertThat(vectors(custom, session)).isDeepEqualTo(vectors(catalogue, catalogueSession));
        }
    }

    @Test
    void aMaxLengthBeyondTheGraphsPositionsNamesTheMostItTakes() throws IOException {
        byte[] positions128 = OnnxGraphs.withPositions(graph, 128);
        ModelDirectoryException declared = refused(directory("positions", positions128, tokenizer, PROPERTIES));
        assertThat(declared.problems()).singleElement().asString()
                .startsWith("model.properties max.length=512 but the encoder takes at most 128 tokens (129 tokens fail in "
                        + "ONNX Runtime: ")
                .contains("position_embeddings") // ONNX Runtime's own words name the node that fails
                .endsWith("): set max.length=128");
        ModelDirectoryException defaulted = refused(directory("positions-default", positions128, tokenizer,
                PROPERTIES.replace("max.length=512\n", "")));
        assertThat(defaulted.problems()).singleElement().asString()
                .startsWith("model.properties max.length=512 (the default, it is not set) but the encoder takes at most 128 "
                        + "tokens")
                .endsWith("): set max.length=128");

        // As told: the longest text is cut at 128 tokens and runs, where before it failed in ONNX Runtime.
        EncoderSpec spec = CustomModel.load(directory("positions-right", positions128, tokenizer,
                PROPERTIES.replace("max.length=512", "max.length=128")));
        assertThat(spec.maxLength()).isEqualTo(128);
        try (Encoder custom = Encoder.load(spec, 128, 1, true); EncoderSession session = custom.newSession()) {
            TokenizedText longest = custom.tokenizer().tokenize("a long review of the hotel, ".repeat(200));
            assertThat(longest.length()).isEqualTo(128);
            assertThat(session.encode(List.of(longest))[0].sentenceVector()).hasSize(384);
            float[][] expected = vectors(catalogue, catalogueSession);
            float[][] actual = vectors(custom, session);
            for (int i = 0; i < expected.length; i++) {
                assertThat(Pooling.cosine(actual[i], expected[i])).as(TEXTS.get(i)).isGreaterThan(0.99999);
            }
        }
    }

    @Test
    void eachMismatchTheTrialFindsIsNamedAtOnce() throws IOException {
        byte[] both = OnnxGraphs.withPositions(OnnxGraphs.withSymbolicHiddenAxis(graph), 128);
        ModelDirectoryException e = refused(directory("trial-both", both, tokenizer,
                PROPERTIES.replace("hidden.size=384", "hidden.size=768")));
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).isEqualTo(
                "model.properties hidden.size=768 but the encoder outputs 384-dimensional token states: set hidden.size=384");
        assertThat(e.problems().get(1)).startsWith("model.properties max.length=512 but the encoder takes at most 128 tokens");
    }

    @Test
    void clsPoolingNeedsATokenizerThatPutsASpecialTokenFirst() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode tree = (ObjectNode) json.readTree(tokenizer);
        tree.putNull("post_processor"); // no [CLS] ... [SEP] around a text any more
        byte[] bare = json.writeValueAsBytes(tree);
        assertProblem(directory("cls-no-special", graph, bare, PROPERTIES.replace("pooling=mean", "pooling=cls")),
                "model.properties pooling=cls takes the state of the first token, but tokenizer.json puts no special token "
                        + "first (the first token of a text is 'stream', a word of it): set pooling=mean");
        assertThat(CustomModel.load(directory("mean-no-special", graph, bare, PROPERTIES)).pooling()).isEqualTo(Pooling.MEAN);
        assertThat(CustomModel.load(directory("cls-special", graph, tokenizer, PROPERTIES.replace("pooling=mean",
                "pooling=cls"))).pooling()).as("with its [CLS], cls pooling is a choice of the model's, not an error")
                .isEqualTo(Pooling.CLS);
    }

    @Test
    void aFixedSequenceAxisIsRefusedBeforeTheTrial() throws IOException {
        assertProblem(directory("fixed-axis", OnnxGraphs.withFixedSequenceAxis(graph, 128), tokenizer, PROPERTIES),
                "input 'input_ids' has a fixed sequence axis, [-1, 128]", "input 'attention_mask' has a fixed sequence axis",
                "input 'token_type_ids' has a fixed sequence axis");
    }

    private static ModelDirectoryException refused(Path dir) {
        try {
            CustomModel.load(dir);
        } catch (ModelDirectoryException e) {
            return e;
        }
        throw new AssertionError(dir.getFileName() + " was not refused");
    }

    @Test
    void everyProblemOfADirectoryIsReportedAtOnce() throws IOException {
        Path dir = directory("two-problems", null, tokenizer, PROPERTIES.replace("pooling=mean", "pooling=max"));
        assertThatThrownBy(() -> CustomModel.load(dir)).isInstanceOfSatisfying(ModelDirectoryException.class,
                e -> assertThat(e.problems()).hasSize(2));
    }

    /** The directory is refused with exactly these problems, one sentence each. */
    private static void assertProblem(Path dir, String... expected) {
        assertThatThrownBy(() -> CustomModel.load(dir)).isInstanceOfSatisfying(ModelDirectoryException.class, e -> {
            assertThat(e.problems()).as("problems of %s", dir.getFileName()).hasSize(expected.length);
            assertThat(e.getMessage()).startsWith("model.path " + dir + " cannot be used: ").contains(expected);
        });
    }

    @Test
    void withoutHeadsACustomModelHasNoneAndWithThemItsResultsAreItsCatalogueEntrys() throws IOException {
        // The packaged heads were trained for minilm-l6, and its NER head reads the mix with layer 4 of 6.
        String named = PROPERTIES.replace("name=my-minilm", "name=minilm-l6") + "\n" + CustomModel.INTERMEDIATE_OUTPUT + "="
                + ModelCatalogue.byName("minilm-l6").intermediateOutput() + "\n";
        EncoderSpec bare = CustomModel.load(directory("bare", graph, tokenizer, named));
        assertThat(Heads.load(bare)).isNull();

        Path withHeads = directory("with-heads", graph, tokenizer, named);
        Files.createDirectories(withHeads.resolve(CustomModel.HEADS));
        for (String file : List.of(Heads.SENTIMENT_FILE, Heads.NER_FILE)) {
            Files.write(withHeads.resolve(CustomModel.HEADS).resolve(file), resource("heads/minilm-l6/" + file));
        }
        EncoderSpec spec = CustomModel.load(withHeads);
        Heads heads = Heads.load(spec);
        assertThat(heads.versions()).isEqualTo(Heads.load("minilm-l6").versions());
        try (Encoder custom = Encoder.load(spec, 256, 1, true);
                EncoderSessions customSessions = new EncoderSessions(custom);
                EncoderSessions catalogueSessions = new EncoderSessions(catalogue);
                Enricher mine = new Enricher(customSessions, heads, false, 1);
                Enricher theirs = new Enricher(catalogueSessions, Heads.load("minilm-l6"), false, 1)) {
            TextAnalysis a = enrich(mine, TEXTS.getFirst());
            TextAnalysis b = enrich(theirs, TEXTS.getFirst());
            assertThat(a.vector()).isEqualTo(b.vector());
            assertThat(a.sentiment()).isEqualTo(b.sentiment());
            assertThat(a.entities()).isEqualTo(b.entities()).isNotEmpty();
        }
    }

    private static TextAnalysis enrich(Enricher enricher, String text) {
        return enricher.enrich(List.of(text), List.of(TextWindows.single(enricher.tokenizer().tokenize(text))))
                .results().getFirst();
    }

    @Test
    void onlyOneOfTheTwoHeadsIsAnError() throws IOException {
        Path dir = directory("half-heads", graph, tokenizer, PROPERTIES.replace("name=my-minilm", "name=minilm-l6"));
        Files.createDirectories(dir.resolve(CustomModel.HEADS));
        Files.write(dir.resolve(CustomModel.HEADS).resolve(Heads.SENTIMENT_FILE), resource("heads/minilm-l6/sentiment.bin"));
        EncoderSpec spec = CustomModel.load(dir);
        assertThatThrownBy(() -> Heads.load(spec)).hasMessageContaining("has sentiment.bin but no ner.bin")
                .hasMessageContaining("streamnlp train --model-path " + dir);
    }

    @Test
    void headsOfAnotherHiddenSizeAreRefused() throws IOException {
        Path dir = directory("narrow-heads", graph, tokenizer, PROPERTIES.replace("name=my-minilm", "name=minilm-l6"));
        Files.createDirectories(dir.resolve(CustomModel.HEADS));
        // A sentiment head over 8-d vectors (softmax regression), beside the real 384-d NER head.
        HeadFile narrow = HeadFile.create(SentimentHead.KIND, "1", "minilm-l6", MINILM.version(), SentimentHead.LABELS,
                java.util.Map.of(), List.of(
                        new HeadFile.Tensor("mean", new int[] {8}, new float[8], false),
                        new HeadFile.Tensor("inv_std", new int[] {8}, new float[8], false),
                        new HeadFile.Tensor("w1", new int[] {8, 3}, new float[24], false),
                        new HeadFile.Tensor("b1", new int[] {3}, new float[3], false)));
        Files.write(dir.resolve(CustomModel.HEADS).resolve(Heads.SENTIMENT_FILE), narrow.toBytes());
        Files.write(dir.resolve(CustomModel.HEADS).resolve(Heads.NER_FILE), resource("heads/minilm-l6/ner.bin"));
        EncoderSpec spec = CustomModel.load(dir);
        assertThatThrownBy(() -> Heads.load(spec)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expects 8-d vectors; minilm-l6 gives 384 (hidden.size in its model.properties)");
    }

    @Test
    void headsTrainedForAnotherEncoderAreRefused() throws IOException {
        Path dir = directory("foreign-heads", graph, tokenizer, PROPERTIES);
        Files.createDirectories(dir.resolve(CustomModel.HEADS));
        for (String file : List.of(Heads.SENTIMENT_FILE, Heads.NER_FILE)) {
            Files.write(dir.resolve(CustomModel.HEADS).resolve(file), resource("heads/minilm-l6/" + file));
        }
        EncoderSpec spec = CustomModel.load(dir);
        assertThatThrownBy(() -> Heads.load(spec)).hasMessageContaining("trained on encoder 'minilm-l6', not 'my-minilm'")
                .hasMessageContaining("train --model-path");
    }
}
