package io.streamnlp.inference;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One encoder session (DJL predictor) per calling thread: a stream thread, shared by all tasks it
 * runs, or the inference thread that encodes for it under {@code batch.overlap}, and the encoder
 * pool's threads. The predictor is not thread-safe, and each of these threads runs one call at a time.
 */
public final class EncoderSessions implements AutoCloseable {

    private final Encoder encoder;
    private final Map<Thread, EncoderSession> sessions = new ConcurrentHashMap<>();
    /** Counters of sessions whose thread died, so the totals stay totals. */
    private final List<EncoderStats> retired = new CopyOnWriteArrayList<>();

    public EncoderSessions(Encoder encoder) {
        this.encoder = encoder;
    }

    public Encoder encoder() {
        return encoder;
    }

    public EncoderSession forCurrentThread() {
        EncoderSession session = sessions.get(Thread.currentThread());
        if (session == null) {
            releaseDeadThreads(); // a failed stream thread is replaced by a new one: free its predictor
            session = sessions.computeIfAbsent(Thread.currentThread(), thread -> encoder.newSession());
        }
        return session;
    }

    private void releaseDeadThreads() {
        sessions.entrySet().removeIf(entry -> {
            if (entry.getKey().isAlive()) {
                return false;
            }
            retired.add(entry.getValue().stats());
            entry.getValue().close();
            return true;
        });
    }

    /** Texts encoded by all threads so far (the cache aside, one per accepted event). */
    public long textsEncoded() {
        return allStats().mapToLong(EncoderStats::texts).sum();
    }

    /** Padded tokens over real tokens, minus one, over all threads. */
    public double paddingWaste() {
        long real = allStats().mapToLong(EncoderStats::realTokens).sum();
        long padded = allStats().mapToLong(EncoderStats::paddedTokens).sum();
        return real == 0 ? 0.0 : (double) padded / real - 1.0;
    }

    /** Counters of every session, live or retired. */
    public Stream<EncoderStats> allStats() {
        return Stream.concat(sessions.values().stream().map(EncoderSession::stats), retired.stream());
    }

    @Override
    public void close() {
        sessions.values().forEach(EncoderSession::close);
        sessions.clear();
    }
}
