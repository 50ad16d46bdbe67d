package io.streamnlp.inference;

import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative counters of an encoder session. Padded tokens over real tokens is the padding waste
 * the length bucketing is there to keep small. Read from other threads (metrics), written by one.
 */
public final class EncoderStats {

    private final LongAdder batches = new LongAdder();
    private final LongAdder texts = new LongAdder();
    private final LongAdder realTokens = new LongAdder();
    private final LongAdder paddedTokens = new LongAdder();
    private final LongAdder encoderNanos = new LongAdder();

    void recordBatch(int textCount, long nanos) {
        batches.increment();
        texts.add(textCount);
        encoderNanos.add(nanos);
    }

    void recordTokens(long real, long padded) {
        realTokens.add(real);
        paddedTokens.add(padded);
    }

    public long batches() {
        return batches.sum();
    }

    /** Texts encoded: with the result cache aside, one per accepted event. */
    public long texts() {
        return texts.sum();
    }

    public long realTokens() {
        return realTokens.sum();
    }

    public long paddedTokens() {
        return paddedTokens.sum();
    }

    public long encoderNanos() {
        return encoderNanos.sum();
    }

    /** Padded tokens per real token minus one: 0.0 means no padding at all. */
    public double paddingWaste() {
        long real = realTokens();
        return real == 0 ? 0.0 : (double) paddedTokens() / real - 1.0;
    }
}
