package io.streamnlp.enrich;

import io.streamnlp.heads.Heads;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.inference.TokenizedText;
import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.SentimentScores;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.model.HeadPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

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
    private final FaultInjection faults;
    private final TokenizedText selfTestTokens;

    /** A known-good text: if the encoder fails on it too, a failing batch is not its texts' fault. */
    static final String SELF_TEST_TEXT = "StreamNLP checks that its encoder works.";

    /**
     * What one {@link #enrich} call produced and cost.
     *
     * @param results one per input text, in input order
     * @param paddedTokens token positions the encoder ran over, padding included
     * @param encoderNanos time in the encoder
     * @param headNanos time in the heads
     */
    public record Batch(List<TextAnalysis> results, long paddedTokens, long encoderNanos, long headNanos) {}

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
        this.faults = faults;
        this.selfTestTokens = tokenizer().tokenize(SELF_TEST_TEXT);
    }

    /**
     * Whether the encoder and heads work on a known-good text. A batch that failed is then re-run
     * text by text to find the texts at fault; if this fails too, no text is.
     */
    public boolean selfTest() {
        try {
            enrich(List.of(SELF_TEST_TEXT), List.of(selfTestTokens));
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
     * Enriches {@code texts}; {@code tokens.get(i)} must be {@code tokenizer().tokenize(texts.get(i))}.
     * Entity offsets are into {@code texts.get(i)}.
     */
    public Batch enrich(List<String> texts, List<TokenizedText> tokens) {
        if (texts.size() != tokens.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + tokens.size() + " tokenizations");
        }
        if (texts.isEmpty()) {
            return new Batch(List.of(), 0, 0, 0);
        }
        faults.check(texts);
        EncoderSession session = sessions.forCurrentThread();
        long paddedBefore = session.stats().paddedTokens();
        long encodeStarted = System.nanoTime();
        EncodedText[] encoded = encode(session, tokens);
        long headsStarted = System.nanoTime();
        long padded = session.stats().paddedTokens() - paddedBefore;

        // The heads are pure functions of one text's encoder output: each text writes only its own
        // slot, so results do not depend on how the texts are split over threads.
        int n = texts.size();
        HeadOutput[] outputs = new HeadOutput[n];
        if (plan.any()) {
            headsPool.forRange(n, (from, to) -> {
                for (int j = from; j < to; j++) {
                    outputs[j] = new HeadOutput(
                            plan.sentiment() ? heads.sentiment().predict(encoded[j].sentenceVector()) : null,
                            plan.entities() ? heads.ner().predict(texts.get(j), tokens.get(j), encoded[j]) : null);
                }
            });
            if (plan.sentiment()) {
                sentimentCalls.add(n);
            }
            if (plan.entities()) {
                nerCalls.add(n);
            }
        } else {
            Arrays.fill(outputs, new HeadOutput(null, null));
        }
        List<TextAnalysis> results = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            TokenizedText t = tokens.get(j);
            results.add(new TextAnalysis(encoded[j].sentenceVector(), t.length(), t.truncated(), outputs[j].sentiment(),
                    outputs[j].entities()));
        }
        long done = System.nanoTime();
        return new Batch(results, padded, headsStarted - encodeStarted, done - headsStarted);
    }

    /** What the heads made of one text. */
    private record HeadOutput(SentimentScores sentiment, List<EntitySpan> entities) {}

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
    }
}
