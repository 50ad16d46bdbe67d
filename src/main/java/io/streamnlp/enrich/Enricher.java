package io.streamnlp.enrich;

import io.streamnlp.heads.Heads;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.Pooling;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.inference.TextWindows;
import io.streamnlp.inference.TokenizedText;
import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.SentimentScores;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.model.HeadPlan;
import io.streamnlp.model.Polarity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Tokenized texts in, results out: one encoder call for a batch, then the heads the outputs need
 * ({@link HeadPlan}) over each text's one encoder output. No Kafka here: the micro-batch stage decides what to enrich and when, this class only
 * how. Thread-safe: each calling thread uses its own encoder session; the heads' pool is shared.
 */
public final class Enricher implements AutoCloseable {

    private final EncoderSessions sessions;
    /** Null when no head runs ({@link HeadPlan#NONE}). */
    private final Heads heads;
    private final HeadPlan plan;
    private final LongAdder sentimentCalls = new LongAdder();
    private final LongAdder nerCalls = new LongAdder();
    private final boolean batchInvariant;
    private final Parallel headsPool;
    /** Runs the encoder's slices of one batch at once, one session per thread; one slice: no pool. */
    private final Parallel encoderPool;
    private final FaultInjection faults;
    private final TokenizedText selfTestTokens;
    /** Encoder threads for batches run off the stream threads ({@code batch.overlap}); made on first use. */
    private final OffStreamThreads offStreamThreads;

    /** A known-good text: if the encoder fails on it too, a failing batch is not its texts' fault. */
    static final String SELF_TEST_TEXT = "StreamNLP checks that its encoder works.";

    /**
     * What one {@link #enrich} call produced and cost.
     *
     * @param results one per input text, in input order
     * @param rows encoder rows: one per text, one per window of a long text
     * @param paddedTokens token positions the encoder ran over, padding included
     * @param encoderNanos time in the encoder
     * @param headNanos time in the heads
     */
    public record Batch(List<TextAnalysis> results, int rows, long paddedTokens, long encoderNanos, long headNanos) {}

    /**
     * @param batchInvariant run each text through the encoder in its own call, so its outputs never
     *     depend on its batch mates (see {@code inference.batch.invariant})
     * @param headThreads threads the heads of one batch may use, the calling thread included; sized
     *     like the encoder's intra-op threads, so the heads never oversubscribe the cores either
     */
    public Enricher(EncoderSessions sessions, Heads heads, boolean batchInvariant, int headThreads) {
        this(sessions, heads, HeadPlan.ALL, batchInvariant, headThreads, FaultInjection.NONE);
    }

    /**
     * @param heads the task heads; may be null when {@code plan} runs none
     * @param plan which heads run: a head whose result no selected output carries costs nothing
     * @param faults a test seam (see {@link FaultInjection}); {@link FaultInjection#NONE} in production
     */
    public Enricher(EncoderSessions sessions, Heads heads, HeadPlan plan, boolean batchInvariant, int headThreads,
            FaultInjection faults) {
        this(sessions, heads, plan, batchInvariant, headThreads, 1, 1, faults);
    }

    /**
     * @param parallelCalls encoder calls per batch at once, each on a slice of texts of similar length
     *     and in its own session ({@code inference.parallel.calls}); 1: the whole batch in one call
     * @param callers stream threads that may call at once (each gets its slices run in parallel)
     */
    public Enricher(EncoderSessions sessions, Heads heads, HeadPlan plan, boolean batchInvariant, int headThreads,
            int parallelCalls, int callers, FaultInjection faults) {
        if (heads == null && plan.any()) {
            throw new IllegalArgumentException("The outputs need task heads (" + plan + ") but encoder "
                    + sessions.encoder().spec().name() + " has none");
        }
        if (heads != null && !heads.model().equals(sessions.encoder().spec().name())) {
            throw new IllegalArgumentException("heads of " + heads.model() + " cannot read the output of "
                    + sessions.encoder().spec().name());
        }
        this.sessions = sessions;
        this.heads = plan.any() ? heads : null;
        this.plan = plan;
        this.batchInvariant = batchInvariant;
        this.headsPool = new Parallel(headThreads, "streamnlp-heads");
        this.encoderPool = new Parallel(parallelCalls, (parallelCalls - 1) * Math.max(1, callers), "streamnlp-encoder");
        this.faults = faults;
        this.selfTestTokens = tokenizer().tokenize(SELF_TEST_TEXT);
        this.offStreamThreads = new OffStreamThreads(Math.max(1, callers));
    }

    /**
     * Runs {@code work} (a batch's enrich calls) on one of the encoder's own threads, one per stream
     * thread, so that the stream thread can poll, deserialize, write state and commit meanwhile
     * ({@code batch.overlap}). Each such thread has its own encoder session, like a stream thread.
     */
    public <T> CompletableFuture<T> offStreamThread(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, offStreamThreads.pool());
    }

    /**
     * Whether the encoder and heads work on a known-good text. A batch that failed is then re-run
     * text by text to find the texts at fault; if this fails too, no text is.
     */
    public boolean selfTest() {
        try {
            enrich(List.of(SELF_TEST_TEXT), List.of(TextWindows.single(selfTestTokens)));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public EncoderSpec encoderSpec() {
        return sessions.encoder().spec();
    }

    public TextTokenizer tokenizer() {
        return sessions.encoder().tokenizer();
    }

    /** The task heads in use; null when none runs. */
    public Heads heads() {
        return heads;
    }

    /** Which heads run. */
    public HeadPlan plan() {
        return plan;
    }

    /** Texts (windows of a long text each count) the sentiment head has scored so far, self-tests included. */
    public long sentimentCalls() {
        return sentimentCalls.sum();
    }

    /** Texts (windows of a long text each count) the NER head has tagged so far, self-tests included. */
    public long nerCalls() {
        return nerCalls.sum();
    }

    public EncoderSessions sessions() {
        return sessions;
    }

    /**
     * Enriches {@code texts}; {@code inputs.get(i)} must be
     * {@code tokenizer().windows(texts.get(i), policy)} (or {@link TextWindows#single} of
     * {@code tokenizer().tokenize(texts.get(i))}). All windows of all texts go to the encoder in one
     * call. Entity offsets are into {@code texts.get(i)}.
     */
    public Batch enrich(List<String> texts, List<TextWindows> inputs) {
        if (texts.size() != inputs.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + inputs.size() + " tokenizations");
        }
        if (texts.isEmpty()) {
            return new Batch(List.of(), 0, 0, 0, 0);
        }
        faults.check(texts);
        int n = texts.size();
        int[] firstRow = new int[n];
        List<TokenizedText> rows = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            firstRow[j] = rows.size();
            rows.addAll(inputs.get(j).windows());
        }
        long encodeStarted = System.nanoTime();
        long[] padded = {0};
        EncodedText[] encoded = encodeInSlices(rows, padded);
        long headsStarted = System.nanoTime();

        // The heads are pure functions of one text's encoder outputs: each text writes only its own
        // slot, so results do not depend on how the texts are split over threads.
        TextAnalysis[] results = new TextAnalysis[n];
        Parallel.Range analyse = (from, to) -> {
            for (int j = from; j < to; j++) {
                results[j] = analyse(texts.get(j), inputs.get(j), encoded, firstRow[j]);
            }
        };
        if (plan.any()) {
            headsPool.forRange(n, analyse);
        } else {
            analyse.run(0, n); // no head: only the windows' vectors to average, no pool hand-off
        }
        if (plan.sentiment()) {
            sentimentCalls.add(rows.size());
        }
        if (plan.entities()) {
            nerCalls.add(rows.size());
        }
        long done = System.nanoTime();
        return new Batch(List.of(results), rows.size(), padded[0], headsStarted - encodeStarted, done - headsStarted);
    }

    /** One text's results from its windows' encoder outputs ({@code encoded[row...]}). */
    private TextAnalysis analyse(String text, TextWindows input, EncodedText[] encoded, int row) {
        if (input.count() == 1) {
            EncodedText only = encoded[row];
            return new TextAnalysis(only.sentenceVector(), input.tokenCount(), input.truncated(), 1,
                    plan.sentiment() ? heads.sentiment().predict(only) : null,
                    plan.entities() ? heads.ner().predict(text, input.windows().getFirst(), only) : null);
        }
        int windows = input.count();
        int[] weights = input.weights();
        float[] vector = new float[encoded[row].dimension()];
        for (int k = 0; k < windows; k++) {
            float[] v = encoded[row + k].sentenceVector();
            for (int d = 0; d < vector.length; d++) {
                vector[d] += weights[k] * v[d];
            }
        }
        Pooling.l2Normalize(vector);
        return new TextAnalysis(vector, input.tokenCount(), input.truncated(), windows,
                plan.sentiment() ? meanSentiment(input, encoded, row) : null,
                plan.entities() ? entitiesOfEveryWindow(text, input, encoded, row) : null);
    }

    /** The length-weighted mean of the windows' probabilities; its most probable class. */
    private SentimentScores meanSentiment(TextWindows input, EncodedText[] encoded, int row) {
        double[] p = new double[3];
        double total = 0;
        for (int k = 0; k < input.count(); k++) {
            SentimentScores window = heads.sentiment().predict(encoded[row + k]);
            int w = input.weights()[k];
            p[0] += w * (double) window.negative();
            p[1] += w * (double) window.neutral();
            p[2] += w * (double) window.positive();
            total += w;
        }
        int best = 0;
        for (int c = 0; c < 3; c++) {
            p[c] /= total;
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return new SentimentScores(Polarity.values()[best], (float) p[0], (float) p[1], (float) p[2]);
    }

    /**
     * Entities of every window, each kept only by the window that owns the place it starts (see
     * {@link TextWindows}): overlaps give no duplicates, and an entity is taken where its window sees it
     * with context on both sides. Offsets are into the whole text.
     */
    private List<EntitySpan> entitiesOfEveryWindow(String text, TextWindows input, EncodedText[] encoded, int row) {
        List<EntitySpan> kept = new ArrayList<>();
        int codePoints = text.codePointCount(0, text.length());
        for (int k = 0; k < input.count(); k++) {
            int from = utf16(text, Math.min(input.ownedFrom()[k], codePoints));
            int to = input.ownedTo()[k] == Integer.MAX_VALUE ? text.length() + 1
                    : utf16(text, Math.min(input.ownedTo()[k], codePoints));
            for (EntitySpan span : heads.ner().predict(text, input.windows().get(k), encoded[row + k])) {
                boolean owned = span.start() >= from && span.start() < to;
                boolean overlapsPrevious = !kept.isEmpty() && span.start() < kept.getLast().end();
                if (owned && !overlapsPrevious) {
                    kept.add(span);
                }
            }
        }
        return kept;
    }

    private static int utf16(String text, int codePoint) {
        return text.offsetByCodePoints(0, codePoint);
    }

    /**
     * The rows in {@code encoderPool.threads()} slices at once (fewer for a small batch): rows sorted by
     * length and cut into runs of about equal token counts, so each slice pads little and all finish
     * together. Each slice runs in its calling thread's own session; outputs go back to the rows'
     * places. Adds the padded tokens of all slices to {@code padded[0]}.
     */
    private EncodedText[] encodeInSlices(List<TokenizedText> rows, long[] padded) {
        int slices = Math.min(encoderPool.threads(), rows.size());
        if (slices <= 1) {
            EncoderSession session = sessions.forCurrentThread();
            long before = session.stats().paddedTokens();
            EncodedText[] encoded = encode(session, rows);
            padded[0] += session.stats().paddedTokens() - before;
            return encoded;
        }
        Integer[] order = new Integer[rows.size()];
        long totalTokens = 0;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            totalTokens += rows.get(i).length();
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> rows.get(i).length()));
        int[] cuts = new int[slices + 1];
        long sum = 0;
        int slice = 1;
        for (int k = 0; k < order.length && slice < slices; k++) {
            sum += rows.get(order[k]).length();
            // Cut after this row once the slice holds its share; leave at least one row per later slice.
            if (sum * slices >= slice * totalTokens || order.length - (k + 1) == slices - slice) {
                cuts[slice++] = k + 1;
            }
        }
        cuts[slices] = order.length;
        EncodedText[] encoded = new EncodedText[rows.size()];
        long[] paddedPerSlice = new long[slices];
        encoderPool.forEachTask(slices, s -> {
            List<TokenizedText> part = new ArrayList<>(cuts[s + 1] - cuts[s]);
            for (int k = cuts[s]; k < cuts[s + 1]; k++) {
                part.add(rows.get(order[k]));
            }
            EncoderSession session = sessions.forCurrentThread();
            long before = session.stats().paddedTokens();
            EncodedText[] out = encode(session, part);
            paddedPerSlice[s] = session.stats().paddedTokens() - before;
            for (int k = cuts[s]; k < cuts[s + 1]; k++) {
                encoded[order[k]] = out[k - cuts[s]];
            }
        });
        for (long p : paddedPerSlice) {
            padded[0] += p;
        }
        return encoded;
    }

    private EncodedText[] encode(EncoderSession session, List<TokenizedText> tokens) {
        if (!batchInvariant) {
            return session.encode(tokens);
        }
        EncodedText[] encoded = new EncodedText[tokens.size()];
        for (int j = 0; j < encoded.length; j++) {
            encoded[j] = session.encode(List.of(tokens.get(j)))[0];
        }
        return encoded;
    }

    /** Stops the heads' pool; the encoder sessions belong to whoever made them. */
    @Override
    public void close() {
        headsPool.close();
        encoderPool.close();
        offStreamThreads.close();
    }
}
