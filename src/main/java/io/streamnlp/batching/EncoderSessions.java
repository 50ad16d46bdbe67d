package io.streamnlp.batching;

import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.EncoderStats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One encoder session (DJL predictor) per stream thread, shared by all tasks the thread runs: the
 * predictor is not thread-safe, and a stream thread runs its tasks one at a time.
 */
public final class EncoderSessions implements AutoCloseable {

    private final Encoder encoder;
    private final Map<Thread, EncoderSession> sessions = new ConcurrentHashMap<>();

    public EncoderSessions(Encoder encoder) {
        this.encoder = encoder;
    }

    public Encoder encoder() {
        return encoder;
    }

    public EncoderSession forCurrentThread() {
        return sessions.computeIfAbsent(Thread.currentThread(), thread -> encoder.newSession());
    }

    /** Texts encoded by all threads so far (the cache aside, one per accepted event). */
    public long textsEncoded() {
        return sessions.values().stream().map(EncoderSession::stats).mapToLong(EncoderStats::texts).sum();
    }

    /** Padded tokens over real tokens, minus one, over all threads. */
    public double paddingWaste() {
        long real = sessions.values().stream().mapToLong(s -> s.stats().realTokens()).sum();
        long padded = sessions.values().stream().mapToLong(s -> s.stats().paddedTokens()).sum();
        return real == 0 ? 0.0 : (double) padded / real - 1.0;
    }

    @Override
    public void close() {
        sessions.values().forEach(EncoderSession::close);
        sessions.clear();
    }
}
