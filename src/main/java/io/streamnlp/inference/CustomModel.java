package io.streamnlp.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Your own encoder ({@code model.path}): a directory with
 *
 * <ul>
 *   <li>{@value #GRAPH}: the ONNX export, inputs {@code input_ids} and {@code attention_mask} (int64,
 *       [batch, sequence]) and, BERT-style, {@code token_type_ids}; RoBERTa- and DistilBERT-style exports
 *       without it run too. Output {@code last_hidden_state} [batch, sequence, hidden] (or, if it has no
 *       output of that name, its first output of that shape);
 *   <li>{@value #TOKENIZER}: the HuggingFace tokenizer;
 *   <li>{@value #PROPERTIES}: {@code name}, {@code version}, {@code pooling} ({@code mean} or
 *       {@code cls}), {@code hidden.size}, and optionally {@code query.prefix} (put before every
 *       text, e.g. e5's {@code query: }), {@code max.length} (its positions, default 512) and
 *       {@code heads.languages} (the ISO 639-1 codes its heads were trained for, default {@code en});
 *   <li>optionally {@code heads/sentiment.bin} and {@code heads/ner.bin}, made by
 *       {@code streamnlp train --model-path <dir>}; without them it serves embeddings only.
 * </ul>
 *
 * {@link #load} checks all of it before anything is built and reports every problem it finds, one
 * sentence each ({@link ModelDirectoryException}). When the files and properties are usable it also
 * tries the graph ({@link EncoderTrial}): the output's hidden size against {@code hidden.size}, a text
 * of {@code max.length} tokens against the graph's positions, the pooling against the output and the
 * tokenizer, each mismatch a sentence naming the property to change and the value found.
 */
public final class CustomModel {

    public static final String GRAPH = "model.onnx";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String PROPERTIES = "model.properties";
    /** The sub-directory that holds the task heads of a custom model. */
    public static final String HEADS = "heads";

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String HIDDEN_STATE = "last_hidden_state";

    /** The languages a custom model's task heads were trained for, ISO 639-1 codes, comma-separated (default en). */
    public static final String HEADS_LANGUAGES = "heads.languages";

    /**
     * The graph's tensor of one intermediate layer's hidden states, exposed as a second output for NER
     * heads trained on the layer mix (e.g. {@code /encoder/layer.3/output/LayerNorm/Add_1_output_0}); optional.
     */
    public static final String INTERMEDIATE_OUTPUT = "intermediate.output";

    private static final Set<String> KEYS = Set.of("name", "version", "pooling", "hidden.size", "query.prefix",
            "max.length", HEADS_LANGUAGES, INTERMEDIATE_OUTPUT);

    private CustomModel() {}

    /** Whether the directory's model.properties names an intermediate output (not checked: {@link #load} checks it). */
    public static boolean declaresIntermediateOutput(Path directory) {
        Path file = directory.resolve(PROPERTIES);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        Properties properties = properties(directory, new ArrayList<>());
        String value = properties == null ? null : properties.getProperty(INTERMEDIATE_OUTPUT);
        return value != null && !value.isBlank();
    }

    /**
     * The encoder of a directory, checked: its files, its properties, its graph's inputs and outputs.
     *
     * @throws ModelDirectoryException listing every problem
     */
    public static EncoderSpec load(Path directory) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            throw new ModelDirectoryException(directory, List.of("it is not a directory"));
        }
        for (String file : List.of(GRAPH, TOKENIZER, PROPERTIES)) {
            if (!Files.isRegularFile(directory.resolve(file))) {
                problems.add("it has no " + file + " (" + what(file) + ")");
            }
        }
        Properties properties = Files.isRegularFile(directory.resolve(PROPERTIES)) ? properties(directory, problems) : null;
        String name = null;
        String version = null;
        Pooling pooling = null;
        int hidden = -1;
        int maxLength = TextTokenizer.HARD_MAX_LENGTH;
        String prefix = "";
        if (properties != null) {
            name = required(properties, "name", problems);
            version = required(properties, "version", problems);
            String poolingName = required(properties, "pooling", problems);
            if (poolingName != null) {
                try {
                    pooling = Pooling.valueOf(poolingName.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problems.add(PROPERTIES + ": pooling=" + poolingName + " is neither mean nor cls");
                }
            }
            String hiddenText = required(properties, "hidden.size", problems);
            if (hiddenText != null) {
                hidden = positive(hiddenText, "hidden.size", problems);
            }
            String maxText = properties.getProperty("max.length");
            if (maxText != null) {
                maxLength = positive(maxText, "max.length", problems);
                if (maxLength > TextTokenizer.HARD_MAX_LENGTH || (maxLength > 0 && maxLength < 8)) {
                    problems.add(PROPERTIES + ": max.length=" + maxText.trim() + " must be between 8 and "
                            + TextTokenizer.HARD_MAX_LENGTH);
                }
            }
            prefix = properties.getProperty("query.prefix", "");
            Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
            unknown.removeAll(KEYS);
            for (String key : unknown) {
                problems.add(PROPERTIES + ": unknown key '" + key + "' (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
            }
        }
        if (Files.isRegularFile(directory.resolve(TOKENIZER))) {
            checkTokenizer(directory.resolve(TOKENIZER), problems);
        }
        // What the directory claims, if every file and property is usable: then the graph is also tried.
        String intermediate = properties == null ? null : properties.getProperty(INTERMEDIATE_OUTPUT);
        intermediate = intermediate == null || intermediate.isBlank() ? null : intermediate.strip();
        if (intermediate != null && Files.isRegularFile(directory.resolve(GRAPH))
                && !GraphOutputs.has(directory.resolve(GRAPH), intermediate)) {
            problems.add(PROPERTIES + ": " + INTERMEDIATE_OUTPUT + "=" + intermediate + " is not a tensor of " + GRAPH
                    + ": name one of its layers' outputs, or remove the key");
        }
        EncoderSpec spec = problems.isEmpty() ? new EncoderSpec(name, version, GRAPH, TOKENIZER, pooling, prefix, hidden,
                "custom model from " + directory, directory, maxLength, intermediate) : null;
        if (Files.isRegularFile(directory.resolve(GRAPH))) {
            checkGraph(directory.resolve(GRAPH), hidden, spec, properties != null && properties.getProperty("max.length") != null,
                    problems);
        }
        if (!problems.isEmpty()) {
            throw new ModelDirectoryException(directory, problems);
        }
        return spec;
    }

    /**
     * What a custom model's {@code heads.languages} says (ISO 639-1 codes), or {@code en} when it says nothing:
     * {@code streamnlp train} trains on the English sets.
     */
    public static Set<String> headsLanguages(EncoderSpec spec) {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(spec.directory().resolve(PROPERTIES), java.nio.charset.StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + spec.directory().resolve(PROPERTIES), e);
        }
        Set<String> languages = new TreeSet<>();
        for (String code : properties.getProperty(HEADS_LANGUAGES, "en").split(",")) {
            if (!code.isBlank()) {
                languages.add(code.trim().toLowerCase(Locale.ROOT));
            }
        }
        return languages.isEmpty() ? Set.of("en") : languages;
    }

    /** The folder of a custom model's task heads. */
    public static Path headsOf(EncoderSpec spec) {
        return spec.directory().resolve(HEADS);
    }

    private static String what(String file) {
        return switch (file) {
            case GRAPH -> "the ONNX export of the encoder";
            case TOKENIZER -> "the HuggingFace tokenizer";
            default -> "name, version, pooling, hidden.size, and optionally query.prefix and max.length";
        };
    }

    private static Properties properties(Path directory, List<String> problems) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(PROPERTIES))) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            problems.add(PROPERTIES + " cannot be read: " + e.getMessage());
            return null;
        }
        return properties;
    }

    private static String required(Properties properties, String key, List<String> problems) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            problems.add(PROPERTIES + " has no " + key);
            return null;
        }
        return value.trim();
    }

    private static int positive(String text, String key, List<String> problems) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(PROPERTIES + ": " + key + "=" + text.trim() + " is not a positive whole number");
        return -1;
    }

    /**
     * Inputs StreamNLP can feed, an output it can read, the hidden size of model.properties; then, when
     * nothing else is wrong ({@code spec} not null), a trial inference ({@link EncoderTrial}).
     *
     * <p>Only an own encoder is tried. The catalogue's encoders are code constants checked by the build:
     * {@code EncoderTrialTest} runs this same trial on every one of them, so at each start it would only
     * prove again what the release proved, at the price of a session and a max-length pass per start
     * (0.1 to 0.2 s of trial for the catalogue's encoders on 2 cores, more for larger ones). An own
     * encoder's {@code model.properties} is a file nobody checked before.
     */
    static void checkGraph(Path graph, int hidden, EncoderSpec spec, boolean maxLengthSet, List<String> problems) {
        // DJL's engine makes the process's one ONNX Runtime environment (with its thread settings); made
        // here first, DJL could not. So start the engine, then share its environment (never closed here).
        OfflineDjl.configure();
        Engine.getEngine("OnnxRuntime");
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // No optimization: the session runs three calls and is closed, faster than optimizing the graph.
            // All cores: nothing else runs yet at start.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            // The trial's failures are reported as sentences of their own; ONNX Runtime's log lines of
            // them on stderr would only add noise around the one error line of a refused start.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            try (OrtSession session = environment.createSession(graph.toString(), options)) {
                int before = problems.size();
                checkInputs(session.getInputInfo(), problems);
                checkOutputs(session.getOutputInfo(), hidden, problems);
                if (spec != null && problems.size() == before) {
                    EncoderTrial.run(session, spec, maxLengthSet, problems);
                }
            }
        } catch (OrtException e) {
            problems.add(GRAPH + " is not an ONNX graph ONNX Runtime can load: " + e.getMessage());
        }
    }

    static void checkInputs(Map<String, NodeInfo> inputs, List<String> problems) {
        for (String needed : List.of(INPUT_IDS, ATTENTION_MASK)) {
            if (!inputs.containsKey(needed)) {
                problems.add(GRAPH + " has no input '" + needed + "' (its inputs: " + String.join(", ", inputs.keySet()) + ")");
            }
        }
        for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
            String name = input.getKey();
            if (!Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).contains(name)) {
                problems.add(GRAPH + " has an unexpected input '" + name + "' (StreamNLP feeds " + INPUT_IDS + ", "
                        + ATTENTION_MASK + " and, where the graph has it, " + TOKEN_TYPE_IDS + ")");
            } else if (input.getValue().getInfo() instanceof TensorInfo tensor
                    && (tensor.type != OnnxJavaType.INT64 || tensor.getShape().length != 2)) {
                problems.add(GRAPH + ": input '" + name + "' is " + tensor.type + " " + Arrays.toString(tensor.getShape())
                        + "; StreamNLP feeds int64 [batch, sequence]");
            } else if (input.getValue().getInfo() instanceof TensorInfo tensor
                    && (tensor.getShape()[0] > 0 || tensor.getShape()[1] > 0)) {
                // A fixed axis fails at the first batch of another size: the encoder pads each batch (each
                // length bucket) only to its own longest text, and batches as many texts as are waiting.
                problems.add(GRAPH + ": input '" + name + "' has a fixed " + (tensor.getShape()[0] > 0 ? "batch" : "sequence")
                        + " axis, " + Arrays.toString(tensor.getShape()) + "; StreamNLP feeds batches of any size, each "
                        + "padded only to its longest text: export it with dynamic batch and sequence axes");
            }
        }
    }

    static void checkOutputs(Map<String, NodeInfo> outputs, int hidden, List<String> problems) {
        NodeInfo state = outputs.get(HIDDEN_STATE);
        if (state == null && !outputs.isEmpty()) {
            state = outputs.values().iterator().next();
        }
        long[] shape = state != null && state.getInfo() instanceof TensorInfo tensor ? tensor.getShape() : null;
        if (shape == null || shape.length != 3) {
            problems.add(GRAPH + " has no output '" + HIDDEN_STATE + "' [batch, sequence, hidden] (its outputs: "
                    + describe(outputs) + ")");
            return;
        }
        long graphHidden = shape[2];
        if (hidden > 0 && graphHidden > 0 && graphHidden != hidden) {
            // The graph declares its hidden size: no trial needed to see it (a dynamic one is left to the trial).
            problems.add(EncoderTrial.hiddenSizeProblem(hidden, graphHidden));
        }
    }

    private static String describe(Map<String, NodeInfo> outputs) {
        List<String> parts = new ArrayList<>();
        outputs.forEach((name, info) -> parts.add(name + (info.getInfo() instanceof TensorInfo t
                ? " " + Arrays.toString(t.getShape()) : "")));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static void checkTokenizer(Path file, List<String> problems) {
        OfflineDjl.configure();
        try (InputStream in = Files.newInputStream(file);
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of())) {
            tokenizer.encode("check");
        } catch (IOException | RuntimeException e) {
            problems.add(TOKENIZER + " is not a HuggingFace tokenizer that loads: " + e.getMessage());
        }
    }
}
