package io.streamnlp.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trial inference of an encoder before anything runs on it: what {@code model.properties} says is
 * checked against what the graph does, because a wrong value there does not fail by itself. A wrong
 * {@code hidden.size} cuts every vector short (and records the wrong dimension in the model guard), a
 * {@code max.length} beyond the graph's positions fails every long text in ONNX Runtime (each one
 * dead-lettered as {@code processing-error}), a pooling that does not fit the output or the tokenizer
 * gives vectors of no use. Three calls, fed exactly as {@link EncoderSession} feeds the graph (the
 * same tokenizer, inputs and output), on a short text, on one that fills {@code max.length} with
 * tokens, and on a padded batch of two:
 *
 * <ol>
 *   <li>the output is token states, [batch, sequence, hidden], one state per input token, float32,
 *       finite, whose hidden size is {@code hidden.size};
 *   <li>the graph takes {@code max.length} tokens; when it does not, the most it takes is found (by
 *       bisection over shorter inputs of the same tokens, so the failure is the length's, not a token's)
 *       and named;
 *   <li>the pooling works on it: {@code cls} needs the tokenizer to put a special token first, whose
 *       state is the sentence's; a pooled vector must be finite and not zero.
 * </ol>
 *
 * Each mismatch is one sentence that names the property to change and the value found. The cost is
 * about one {@code max.length}-token pass: 0.1 to 0.2 s for the catalogue's 6- and 12-layer encoders
 * at 512 tokens on a 2-core machine ({@code EncoderTrialTest} prints it); only a failing long text
 * costs more, the bisection's few shorter calls.
 */
final class EncoderTrial {

    /** Real words, so the ids are ones the tokenizer gives any text; repeated to fill the max length. */
    static final String SHORT_TEXT = "StreamNLP tries the encoder on a short text before it starts.";
    /** Shorter than {@link #SHORT_TEXT}, so the batch of the two is padded. */
    static final String SHORTER_TEXT = "A shorter one.";

    static final String PROPERTY_POOLING = "pooling";
    static final String PROPERTY_MAX_LENGTH = "max.length";
    static final String PROPERTY_HIDDEN_SIZE = "hidden.size";

    private static final int MIN_MAX_LENGTH = 8;
    private static final int MAX_ERROR_CHARS = 300;

    private final OrtSession session;
    private final EncoderSpec spec;
    private final boolean maxLengthSet;
    private final boolean tokenTypes;
    private final List<String> problems;

    private EncoderTrial(OrtSession session, EncoderSpec spec, boolean maxLengthSet, List<String> problems) {
        this.session = session;
        this.spec = spec;
        this.maxLengthSet = maxLengthSet;
        this.tokenTypes = session.getInputNames().contains(CustomModel.TOKEN_TYPE_IDS);
        this.problems = problems;
    }

    /**
     * Runs the trial on a session of {@code spec}'s graph whose inputs and outputs were checked
     * ({@link CustomModel#checkInputs}, {@link CustomModel#checkOutputs}); adds one sentence per
     * mismatch to {@code problems}.
     *
     * @param maxLengthSet whether {@code max.length} was set in {@code model.properties} (else it is the default)
     */
    static void run(OrtSession session, EncoderSpec spec, boolean maxLengthSet, List<String> problems) {
        try (TextTokenizer tokenizer = new TextTokenizer(spec, spec.maxLength())) {
            new EncoderTrial(session, spec, maxLengthSet, problems).run(tokenizer);
        }
    }

    private void run(TextTokenizer tokenizer) {
        TokenizedText shortText = tokenizer.tokenize(SHORT_TEXT);
        int n = shortText.length();
        long[][] shortRow = {shortText.ids()};
        Outcome first = call(shortRow);
        if (first.error != null) {
            problems.add(CustomModel.GRAPH + " fails on a short text (" + n + " tokens) in ONNX Runtime: " + first.error);
            return;
        }
        if (!tokenStates(first, shortRow, "one text of " + n + " tokens")) {
            return;
        }
        int hidden = (int) first.shape[2];
        if (hidden != spec.dimension()) {
            // Reported, and the rest tried with the graph's own size: every mismatch is named at once.
            problems.add(hiddenSizeProblem(spec.dimension(), hidden));
        }
        checkPooling(tokenizer, first.states, n, hidden);

        // Repeats of the short text's words: the long input holds no token the short one did not, so
        // a failure here is the length's.
        TokenizedText longText = tokenizer.tokenize((SHORT_TEXT + " ").repeat(spec.maxLength() / Math.max(1, n - 2) + 2));
        long[][] longRow = {longText.ids()};
        Outcome full = call(longRow);
        if (full.error != null) {
            positionLimit(longText.ids(), n, full.error);
            return;
        }
        if (!tokenStates(full, longRow, "one text of " + longText.length() + " tokens")) {
            return;
        }

        long[][] batch = {shortText.ids(), tokenizer.tokenize(SHORTER_TEXT).ids()};
        Outcome padded = call(batch);
        if (padded.error != null) {
            problems.add(CustomModel.GRAPH + " fails on a batch of two texts (" + batch[0].length + " and " + batch[1].length
                    + " tokens, padded to " + batch[0].length + ") in ONNX Runtime: " + padded.error
                    + "; StreamNLP runs texts in padded batches: export it with dynamic batch and sequence axes");
            return;
        }
        tokenStates(padded, batch, "a batch of two texts padded to " + batch[0].length + " tokens");
    }

    /**
     * Output [rows, longest, hidden] of finite float32: one state per input token; false (and a
     * problem) when it is not something StreamNLP can pool and tag. The hidden size is the caller's.
     */
    private boolean tokenStates(Outcome outcome, long[][] rows, String input) {
        long[] shape = outcome.shape;
        int longest = longest(rows);
        String output = "output '" + outcome.name + "'";
        if (shape.length != 3) {
            problems.add(CustomModel.GRAPH + ": " + output + " is " + Arrays.toString(shape) + " for " + input
                    + ", not token states [batch, sequence, hidden]: " + PROPERTY_POOLING + "=" + poolingName()
                    + " pools one state per token (and the entity head tags them), so a pooled output cannot be used: "
                    + "export " + CustomModel.HIDDEN_STATE);
            return false;
        }
        if (shape[0] != rows.length || shape[1] != longest) {
            problems.add(CustomModel.GRAPH + ": " + output + " is " + Arrays.toString(shape) + " for " + input + " ("
                    + Arrays.toString(new long[] {rows.length, longest}) + " in): StreamNLP needs one state per input "
                    + "token, [batch, sequence, hidden], to pool (" + PROPERTY_POOLING + "=" + poolingName()
                    + ") and to tag entities");
            return false;
        }
        if (outcome.states == null) {
            problems.add(CustomModel.GRAPH + ": " + output + " holds " + outcome.type + " values; StreamNLP reads float32 "
                    + "token states: export it in float32");
            return false;
        }
        for (float x : outcome.states) {
            if (!Float.isFinite(x)) {
                problems.add(CustomModel.GRAPH + ": " + output + " holds token states that are not finite numbers (NaN or "
                        + "infinity) for " + input + "; no vector could be made of them");
                return false;
            }
        }
        return true;
    }

    /** The sentence vector of the short text, pooled as {@link EncoderSession} pools it. */
    private void checkPooling(TextTokenizer tokenizer, float[] states, int n, int hidden) {
        float[] vector = spec.pooling().pool(states, 0, n, hidden, n);
        double norm = 0;
        for (float x : vector) {
            norm += (double) x * x;
        }
        if (norm == 0) {
            problems.add(CustomModel.GRAPH + ": the " + PROPERTY_POOLING + "=" + poolingName() + " vector of a short text "
                    + "is all zeros; the encoder's token states cannot be pooled that way");
        }
        if (spec.pooling() == Pooling.CLS) {
            TextTokenizer.FirstToken token = tokenizer.firstToken(SHORT_TEXT);
            if (!token.special()) {
                problems.add(CustomModel.PROPERTIES + " " + PROPERTY_POOLING + "=cls takes the state of the first token, but "
                        + CustomModel.TOKENIZER + " puts no special token first (the first token of a text is '"
                        + token.token() + "', a word of it): set " + PROPERTY_POOLING + "=mean, or use the tokenizer the "
                        + "encoder was trained with, which puts [CLS] (or <s>) first");
            }
        }
    }

    /**
     * The long text failed: the longest prefix of its tokens that runs is the graph's limit (the
     * short text ran, so the limit lies between the two).
     */
    private void positionLimit(long[] ids, int fits, String fullError) {
        int good = fits;
        int bad = ids.length;
        String error = fullError;
        while (bad - good > 1) {
            int mid = (good + bad) >>> 1;
            Outcome outcome = call(new long[][] {Arrays.copyOf(ids, mid)});
            if (outcome.error == null) {
                good = mid;
            } else {
                bad = mid;
                error = outcome.error;
            }
        }
        String declared = CustomModel.PROPERTIES + " " + PROPERTY_MAX_LENGTH + "=" + spec.maxLength()
                + (maxLengthSet ? "" : " (the default, it is not set)");
        String found = " but the encoder takes at most " + good + " tokens (" + bad + " tokens fail in ONNX Runtime: "
                + error + ")";
        problems.add(good >= MIN_MAX_LENGTH
                ? declared + found + ": set " + PROPERTY_MAX_LENGTH + "=" + good
                : declared + found + ", and StreamNLP needs at least " + MIN_MAX_LENGTH);
    }

    /** The sentence for a {@code hidden.size} that is not the graph's (static shape or trial: the same words). */
    static String hiddenSizeProblem(int declared, long found) {
        return CustomModel.PROPERTIES + " " + PROPERTY_HIDDEN_SIZE + "=" + declared + " but the encoder outputs " + found
                + "-dimensional token states: set " + PROPERTY_HIDDEN_SIZE + "=" + found;
    }

    private String poolingName() {
        return spec.pooling().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static int longest(long[][] rows) {
        int longest = 0;
        for (long[] row : rows) {
            longest = Math.max(longest, row.length);
        }
        return longest;
    }

    /** What one call gave: the output StreamNLP reads (by name, else the first), or ONNX Runtime's error. */
    private record Outcome(String name, long[] shape, OnnxJavaType type, float[] states, String error) {}

    /** One graph call, padded and masked as {@link EncoderSession} does (token types all zero). */
    private Outcome call(long[][] rows) {
        int seqLen = longest(rows);
        long[] ids = new long[rows.length * seqLen];
        long[] mask = new long[rows.length * seqLen];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, ids, r * seqLen, rows[r].length);
            Arrays.fill(mask, r * seqLen, r * seqLen + rows[r].length, 1L);
        }
        long[] shape = {rows.length, seqLen};
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(CustomModel.INPUT_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put(CustomModel.ATTENTION_MASK, OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (tokenTypes) {
                inputs.put(CustomModel.TOKEN_TYPE_IDS,
                        OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxValue value = result.get(CustomModel.HIDDEN_STATE).orElse(result.get(0));
                String name = result.get(CustomModel.HIDDEN_STATE).isPresent() ? CustomModel.HIDDEN_STATE
                        : session.getOutputNames().iterator().next();
                if (!(value instanceof OnnxTensor tensor)) {
                    return new Outcome(name, new long[0], null, null, null);
                }
                TensorInfo info = tensor.getInfo();
                FloatBuffer buffer = info.type == OnnxJavaType.FLOAT ? tensor.getFloatBuffer() : null;
                float[] states = null;
                if (buffer != null) {
                    states = new float[buffer.remaining()];
                    buffer.get(states);
                }
                return new Outcome(name, info.getShape(), info.type, states, null);
            }
        } catch (OrtException | RuntimeException e) {
            return new Outcome(null, null, null, null, brief(e));
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** ONNX Runtime's message, on one line and bounded: it names the node that failed and why. */
    private static String brief(Exception e) {
        String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
        return message.length() > MAX_ERROR_CHARS ? message.substring(0, MAX_ERROR_CHARS) + "…" : message;
    }
}
