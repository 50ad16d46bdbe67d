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
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenized texts in, results out: one encoder call for a batch, then both heads over each text's one
 * encoder output. No Kafka here: the micro-batch stage decides what to enrich and when, this class only
 * how. Thread-safe: each calling thread uses its own encoder session; the heads' pool is shared.
 */
public final class Enricher implements AutoCloseable {

    private final EncoderSessions sessions;
    private final Heads heads;
    private final boolean batchInvariant;
    private final Parallel headsPool;

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
        if (!heads.model().equals(sessions.encoder().spec().name())) {
            throw new IllegalArgumentException("heads of " + heads.model() + " cannot read the output of "
                    + sessions.encoder().spec().name());
        }
        this.sessions = sessions;
        this.heads = heads;
        this.batchInvariant = batchInvariant;
        this.headsPool = new Parallel(headThreads, "streamnlp-heads");
    }

    public EncoderSpec encoderSpec() {
        return sessions.encoder().spec();
    }

    public TextTokenizer tokenizer() {
        return sessions.encoder().tokenizer();
    }

    public Heads heads() {
        return heads;
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
        EncoderSession session = sessions.forCurrentThread();
        long paddedBefore = session.stats().paddedTokens();
        long encodeStarted = System.nanoTime();
        EncodedText[] encoded = encode(session, tokens);
        long headsStarted = System.nanoTime();
        long padded = session.stats().paddedTokens() - paddedBefore;

        // The heads are pure functions of one text's encoder output: each text writes only its own
        // slot, so results do not depend on how the texts are split over threads.
        int n = texts.size();
        SentimentScores[] sentiments = new SentimentScores[n];
        @SuppressWarnings("unchecked")
        List<EntitySpan>[] entities = new List[n];
        headsPool.forRange(n, (from, to) -> {
            for (int j = from; j < to; j++) {
                sentiments[j] = heads.sentiment().predict(encoded[j]);
                entities[j] = heads.ner().predict(texts.get(j), tokens.get(j), encoded[j]);
            }
        });
        List<TextAnalysis> results = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            TokenizedText t = tokens.get(j);
            results.add(new TextAnalysis(encoded[j].sentenceVector(), t.length(), t.truncated(), sentiments[j],
                    entities[j]));
        }
        long done = System.nanoTime();
        return new Batch(results, padded, headsStarted - encodeStarted, done - headsStarted);
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
    }
}
