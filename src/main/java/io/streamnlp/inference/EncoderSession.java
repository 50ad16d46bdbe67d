package io.streamnlp.inference;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Runs batches through the encoder for one thread: pads, calls ONNX Runtime once per length bucket,
 * pools and normalises. Not thread-safe (one per stream thread).
 */
public final class EncoderSession implements AutoCloseable {

    /** Padding allowed inside one length bucket, as a share of its real tokens. */
    static final double MAX_BUCKET_WASTE = 0.10;
    /** Below this many rows a bucket always grows: small ONNX calls cost more per row. */
    static final int MIN_BUCKET_ROWS = 2;

    private final EncoderSpec spec;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final boolean bucketing;
    private final boolean tokenTypes;
    private final EncoderStats stats = new EncoderStats();

    EncoderSession(EncoderSpec spec, Model model, boolean bucketing, boolean tokenTypes) {
        this.spec = spec;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
        this.bucketing = bucketing;
        this.tokenTypes = tokenTypes;
    }

    /** Counters of this session: batches, texts, real and padded tokens, time in the encoder. */
    public EncoderStats stats() {
        return stats;
    }

    /**
     * Encodes texts, returned in the order given: the unit-norm sentence vector and the token states
     * of each. The whole list is one logical batch; it runs as one or more ONNX calls depending on
     * the length spread.
     */
    public EncodedText[] encode(List<TokenizedText> texts) {
        int n = texts.size();
        EncodedText[] out = new EncodedText[n];
        if (n == 0) {
            return out;
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        List<int[]> ranges;
        if (bucketing) {
            Arrays.sort(order, Comparator.comparingInt(i -> texts.get(i).length()));
            int[] sortedLengths = Arrays.stream(order).mapToInt(i -> texts.get(i).length()).toArray();
            ranges = LengthBuckets.split(sortedLengths, MAX_BUCKET_WASTE, MIN_BUCKET_ROWS);
        } else {
            ranges = List.of(new int[] {0, n});
        }
        long started = System.nanoTime();
        for (int[] range : ranges) {
            runBucket(texts, order, range[0], range[1], out);
        }
        stats.recordBatch(n, System.nanoTime() - started);
        return out;
    }

    private void runBucket(List<TokenizedText> texts, Integer[] order, int from, int to, EncodedText[] out) {
        int rows = to - from;
        int seqLen = 0;
        for (int r = from; r < to; r++) {
            seqLen = Math.max(seqLen, texts.get(order[r]).length());
        }
        long[] ids = new long[rows * seqLen];
        long[] mask = new long[rows * seqLen];
        long real = 0;
        for (int r = 0; r < rows; r++) {
            long[] tokenIds = texts.get(order[from + r]).ids();
            System.arraycopy(tokenIds, 0, ids, r * seqLen, tokenIds.length);
            Arrays.fill(mask, r * seqLen, r * seqLen + tokenIds.length, 1L);
            real += tokenIds.length;
        }
        stats.recordTokens(real, (long) rows * seqLen);

        int dim = spec.dimension();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            Shape shape = new Shape(rows, seqLen);
            NDList input = new NDList(
                    named(manager.create(ids, shape), CustomModel.INPUT_IDS),
                    named(manager.create(mask, shape), CustomModel.ATTENTION_MASK));
            if (tokenTypes) {
                input.add(named(manager.create(new long[rows * seqLen], shape), CustomModel.TOKEN_TYPE_IDS));
            }
            NDList result = predictor.predict(input);
            NDArray hiddenState = result.get(CustomModel.HIDDEN_STATE);
            if (hiddenState == null) {
                hiddenState = result.head();
            }
            float[] hidden = hiddenState.toFloatArray();
            float[] intermediate = spec.intermediateOutput() == null ? null
                    : result.get(spec.intermediateOutput()).toFloatArray();
            for (int r = 0; r < rows; r++) {
                int index = order[from + r];
                int length = texts.get(index).length();
                out[index] = new EncodedText(spec.pooling().pool(hidden, r, seqLen, dim, length),
                        rowOf(hidden, r, seqLen, dim, length), dim,
                        intermediate == null ? null : rowOf(intermediate, r, seqLen, dim, length));
            }
        } catch (TranslateException e) {
            throw new InferenceException("Encoder " + spec.name() + " failed on a batch of " + rows, e);
        }
    }

    /** The real tokens' states of row {@code r} of a padded {@code [rows x seqLen x dim]} output. */
    private static float[] rowOf(float[] states, int r, int seqLen, int dim, int length) {
        float[] row = new float[length * dim];
        System.arraycopy(states, r * seqLen * dim, row, 0, length * dim);
        return row;
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    @Override
    public void close() {
        predictor.close();
    }
}
