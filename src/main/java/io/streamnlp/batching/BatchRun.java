package io.streamnlp.batching;

import io.streamnlp.cache.CacheFront;
import io.streamnlp.deadletter.Blame;
import io.streamnlp.deadletter.NotTheRecordsFault;
import io.streamnlp.enrich.Enricher;
import io.streamnlp.language.DetectedLanguage;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.schema.internal.CachedLanguage;
import io.streamnlp.schema.internal.CachedResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.utils.Bytes;

/**
 * Runs one closed micro-batch: texts the cache answers now (a twin admitted since they arrived) or
 * that repeat an earlier text of the same batch get no encoder pass of their own; the rest go through
 * the {@link Enricher} in one call and are offered to the cache. Results come back in batch order.
 *
 * <p>A run has two halves so that the encoder call may overlap the stream thread's Kafka work
 * ({@code batch.overlap}): {@link #start} looks the texts up in the cache and hands the encoder call
 * to an encoder thread (or runs it at once); {@link #finish}, back on the stream thread, waits for it,
 * offers the results to the cache and records the metrics. Only {@link #encode} runs off the stream
 * thread, and it touches no state store and no metric: the cache and the task's metrics belong to the
 * stream thread.
 *
 * <p>Failed texts, not failed batches: when the enricher call fails for a reason that may be a
 * text's, the enricher first runs its self-test on a known-good text. If that fails too, the fault is
 * not any text's (a broken session, a bug in a head): {@link NotTheRecordsFault} fails the stream
 * thread (at {@link #finish}), its transaction aborts, and nothing is skipped. Otherwise each text is
 * run on its own; the ones that still fail are returned as failures (the stage dead-letters them), the
 * rest as results.
 */
final class BatchRun {

    private final Enricher enricher;
    /** Null when the result cache is off. */
    private final CacheFront cache;
    private final PipelineMeters meters;
    private final TaskMetrics metrics;
    /**
     * The cache entries the last finished batch computed, whether or not the cache kept them: what a
     * later batch's twins of it are served from when the cache turned the entry away.
     */
    private Map<Bytes, CachedResult> lastComputed = Map.of();
    /** The language detector's identity, kept with each admitted entry's detection; null when identification is off. */
    private final String languageDetector;

    BatchRun(Enricher enricher, CacheFront cache, PipelineMeters meters, TaskMetrics metrics, String languageDetector) {
        this.enricher = enricher;
        this.cache = cache;
        this.meters = meters;
        this.metrics = metrics;
        this.languageDetector = languageDetector;
    }

    /**
     * What a batch produced: {@code results.get(i)} for text {@code i}, or null when it failed, its
     * error in {@code failures}.
     */
    record Outcome(List<Enrichment> results, Map<Integer, RuntimeException> failures) {}

    /**
     * What one encoder call (and, when it failed, the text-by-text re-run) produced, in the order of
     * the texts it was given: an analysis, or null and the text's error in {@code failures}.
     */
    private record Encoded(TextAnalysis[] analyses, Map<Integer, RuntimeException> failures, List<Enricher.Batch> calls) {

        static final Encoded NOTHING = new Encoded(new TextAnalysis[0], Map.of(), List.of());
    }

    /** A batch between {@link #start} and {@link #finish}: its encoder call may still be running. */
    static final class Started {
        private final List<WaitingText> texts;
        private final Enrichment[] results;
        private final List<Integer> fresh;
        private final List<Integer> twins;
        private final List<Integer> twinsOfEarlier;
        private final CompletableFuture<Encoded> encoded;

        private Started(List<WaitingText> texts, Enrichment[] results, List<Integer> fresh, List<Integer> twins,
                List<Integer> twinsOfEarlier, CompletableFuture<Encoded> encoded) {
            this.texts = texts;
            this.results = results;
            this.fresh = fresh;
            this.twins = twins;
            this.twinsOfEarlier = twinsOfEarlier;
            this.encoded = encoded;
        }

        List<WaitingText> texts() {
            return texts;
        }

        /** The cache keys this batch's encoder call is computing: a later batch waits for them instead. */
        void addKeysBeingEncoded(Set<Bytes> into) {
            for (int i : fresh) {
                if (texts.get(i).cacheable()) {
                    into.add(texts.get(i).cacheKey());
                }
            }
        }

        /** Whether {@link #finish} would return without waiting. */
        boolean isDone() {
            return encoded.isDone();
        }

        /** Waits for the encoder call and drops its result (the task is closing; its texts stay pending). */
        void abandon() {
            try {
                encoded.join();
            } catch (RuntimeException ignored) {
                // The texts stay in the pending store: whoever runs the task next encodes them again.
            }
        }
    }

    /** Runs the whole batch on the calling thread. */
    Outcome run(List<WaitingText> texts, long now) {
        return finish(start(texts, now, false, Set.of()), now);
    }

    /**
     * Serves what the cache can, and starts one encoder call for the rest.
     *
     * @param offThread run the encoder call on an encoder thread ({@link Enricher#offStreamThread});
     *     false: on this thread, before returning
     * @param keysBeingEncoded cache keys an earlier batch, not yet finished, is encoding: a text with
     *     one of them gets no pass of its own, but the earlier batch's result from the cache at
     *     {@link #finish} (which must then come after the earlier batch's)
     */
    Started start(List<WaitingText> texts, long now, boolean offThread, Set<Bytes> keysBeingEncoded) {
        Enrichment[] results = new Enrichment[texts.size()];
        Set<Bytes> keysInBatch = new HashSet<>();
        List<Integer> twins = new ArrayList<>();
        List<Integer> twinsOfEarlier = new ArrayList<>();
        List<Integer> fresh = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            WaitingText waiting = texts.get(i);
            meters.waited(now - waiting.arrivedMs());
            if (waiting.cacheable()) {
                if (keysInBatch.contains(waiting.cacheKey())) {
                    twins.add(i);
                    continue;
                }
                TextAnalysis hit = cache.recheck(waiting.cacheKey(), waiting.event().getText(), waiting.normal(), now);
                if (hit != null) {
                    results[i] = new Enrichment(waiting.event(), hit, true);
                    continue;
                }
                if (keysBeingEncoded.contains(waiting.cacheKey())) {
                    twinsOfEarlier.add(i);
                    continue;
                }
                keysInBatch.add(waiting.cacheKey());
            }
            fresh.add(i);
        }
        List<WaitingText> toEncode = fresh.stream().map(texts::get).toList();
        CompletableFuture<Encoded> encoded;
        if (offThread && !toEncode.isEmpty()) {
            encoded = enricher.offStreamThread(() -> encode(toEncode));
        } else {
            encoded = new CompletableFuture<>();
            try {
                encoded.complete(encode(toEncode));
            } catch (RuntimeException | Error failure) {
                encoded.completeExceptionally(failure);
            }
        }
        return new Started(texts, results, fresh, twins, twinsOfEarlier, encoded);
    }

    /**
     * Waits for the batch's encoder call, offers its results to the cache, serves the batch's twins,
     * and records what it cost. Rethrows a failure that is no text's fault.
     */
    Outcome finish(Started started, long now) {
        List<WaitingText> texts = started.texts;
        Enrichment[] results = started.results;
        Map<Integer, RuntimeException> failures = new HashMap<>();
        Map<Bytes, CachedResult> admitted = apply(texts, started.fresh, join(started.encoded), results, failures, now);
        // The earlier batch whose keys this one waited for is the last one finished before it.
        Map<Bytes, CachedResult> earlier = lastComputed;
        lastComputed = admitted;
        List<Integer> unserved = new ArrayList<>();
        for (int i : started.twinsOfEarlier) {
            WaitingText twin = texts.get(i);
            TextAnalysis hit = cache.recheck(twin.cacheKey(), twin.event().getText(), twin.normal(), now);
            CachedResult computed = earlier.get(twin.cacheKey());
            if (hit == null && computed != null) {
                hit = cache.serveTwin(computed, twin.event().getText(), twin.normal());
            }
            if (hit == null) {
                unserved.add(i);
            } else {
                results[i] = new Enrichment(twin.event(), hit, true);
            }
        }
        for (int i : started.twins) {
            WaitingText twin = texts.get(i);
            CachedResult entry = admitted.get(twin.cacheKey());
            TextAnalysis served = entry == null ? null : cache.serveTwin(entry, twin.event().getText(), twin.normal());
            if (served == null) {
                unserved.add(i);
            } else {
                results[i] = new Enrichment(twin.event(), served, true);
            }
        }
        // Twins the cache would not hold (too large, or their first failed, or evicted): rare, so on this thread.
        apply(texts, unserved, encode(unserved.stream().map(texts::get).toList()), results, failures, now);
        int rows = 0;
        for (int i : started.fresh) {
            rows += texts.get(i).tokens().count();
        }
        for (int i : unserved) {
            rows += texts.get(i).tokens().count();
        }
        metrics.add("batched-texts", "Texts run through the encoder (each window of a long text counts)", rows);
        return new Outcome(java.util.Arrays.asList(results), failures);
    }

    private static Encoded join(CompletableFuture<Encoded> encoded) {
        try {
            return encoded.join();
        } catch (CompletionException wrapped) {
            if (wrapped.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (wrapped.getCause() instanceof Error error) {
                throw error;
            }
            throw wrapped;
        }
    }

    /**
     * The results of the texts at {@code positions} ({@code encoded} in their order) go to
     * {@code results} and, when cacheable, to the cache; failures to {@code failures}. Returns the new
     * cache entries by key.
     */
    private Map<Bytes, CachedResult> apply(List<WaitingText> texts, List<Integer> positions, Encoded encoded,
            Enrichment[] results, Map<Integer, RuntimeException> failures, long now) {
        encoded.calls().forEach(this::record);
        if (!encoded.failures().isEmpty()) {
            metrics.add("failed-texts", "Texts whose enrichment failed on their own (dead-lettered)", encoded.failures().size());
        }
        Map<Bytes, CachedResult> entries = new HashMap<>();
        for (int j = 0; j < positions.size(); j++) {
            WaitingText waiting = texts.get(positions.get(j));
            TextAnalysis analysis = encoded.analyses()[j];
            if (analysis == null) {
                failures.put(positions.get(j), encoded.failures().get(j));
                continue;
            }
            results[positions.get(j)] = new Enrichment(waiting.event(), analysis, false);
            if (waiting.cacheable()) {
                CachedResult entry = cache.admit(waiting.cacheKey(), analysis, waiting.normal(), cachedLanguage(waiting), now);
                if (entry != null) {
                    entries.put(waiting.cacheKey(), entry);
                }
            }
        }
        return entries;
    }

    /** The text's detected language as the cache keeps it, or null when none was detected. */
    private CachedLanguage cachedLanguage(WaitingText waiting) {
        DetectedLanguage detected = waiting.language().detected();
        return languageDetector == null || detected == null ? null
                : new CachedLanguage(languageDetector, detected.code(), detected.confidence());
    }

    /**
     * One encoder call for {@code batch}; when it fails, the texts at fault. Runs on an encoder thread
     * under {@code batch.overlap}: enricher calls only, no cache, no metric.
     */
    private Encoded encode(List<WaitingText> batch) {
        if (batch.isEmpty()) {
            return Encoded.NOTHING;
        }
        TextAnalysis[] analyses = new TextAnalysis[batch.size()];
        List<Enricher.Batch> calls = new ArrayList<>();
        try {
            calls.add(into(enricher.enrich(batch.stream().map(w -> w.event().getText()).toList(),
                    batch.stream().map(WaitingText::tokens).toList()), analyses, 0));
            return new Encoded(analyses, Map.of(), calls);
        } catch (RuntimeException failure) {
            return isolate(batch, failure);
        }
    }

    private static Enricher.Batch into(Enricher.Batch done, TextAnalysis[] into, int offset) {
        for (int j = 0; j < done.results().size(); j++) {
            into[offset + j] = done.results().get(j);
        }
        return done;
    }

    private void record(Enricher.Batch done) {
        meters.encoderCall(done.rows(), done.paddedTokens(), done.encoderNanos());
        meters.heads(done.headNanos());
        metrics.add("head-nanos", "Time spent in the sentiment and NER heads", done.headNanos());
    }

    /** The batch failed: find the texts at fault, or fail the thread when none is. */
    private Encoded isolate(List<WaitingText> batch, RuntimeException failure) {
        if (!Blame.recordAtFault(failure)) {
            throw failure;
        }
        if (!enricher.selfTest()) {
            throw new NotTheRecordsFault("The encoder fails on a known-good text too, so no text of the batch is at "
                    + "fault: " + failure, failure);
        }
        TextAnalysis[] analyses = new TextAnalysis[batch.size()];
        Map<Integer, RuntimeException> failures = new HashMap<>();
        List<Enricher.Batch> calls = new ArrayList<>();
        for (int j = 0; j < batch.size(); j++) {
            WaitingText waiting = batch.get(j);
            try {
                calls.add(into(enricher.enrich(List.of(waiting.event().getText()), List.of(waiting.tokens())), analyses, j));
            } catch (RuntimeException alone) {
                if (!Blame.recordAtFault(alone)) {
                    throw alone;
                }
                failures.put(j, alone);
            }
        }
        return new Encoded(analyses, failures, calls);
    }
}
