package io.streamnlp.batching;

import io.streamnlp.cache.CacheFront;
import io.streamnlp.deadletter.Blame;
import io.streamnlp.deadletter.NotTheRecordsFault;
import io.streamnlp.enrich.Enricher;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.schema.internal.CachedResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/**
 * Runs one closed micro-batch: texts the cache answers now (a twin admitted since they arrived) or
 * that repeat an earlier text of the same batch get no encoder pass of their own; the rest go through
 * the {@link Enricher} in one call and are offered to the cache. Results come back in batch order.
 *
 * <p>Failed texts, not failed batches: when the enricher call fails for a reason that may be a
 * text's, the enricher first runs its self-test on a known-good text. If that fails too, the fault is
 * not any text's (a broken session, a bug in a head): {@link NotTheRecordsFault} fails the stream
 * thread, its transaction aborts, and nothing is skipped. Otherwise each text is run on its own; the
 * ones that still fail are returned as failures (the stage dead-letters them), the rest as results.
 */
final class BatchRun {

    private final Enricher enricher;
    /** Null when the result cache is off. */
    private final CacheFront cache;
    private final PipelineMeters meters;
    private final TaskMetrics metrics;

    BatchRun(Enricher enricher, CacheFront cache, PipelineMeters meters, TaskMetrics metrics) {
        this.enricher = enricher;
        this.cache = cache;
        this.meters = meters;
        this.metrics = metrics;
    }

    /**
     * What a batch produced: {@code results.get(i)} for text {@code i}, or null when it failed, its
     * error in {@code failures}.
     */
    record Outcome(List<Enrichment> results, Map<Integer, RuntimeException> failures) {}

    Outcome run(List<WaitingText> texts, long now) {
        Enrichment[] results = new Enrichment[texts.size()];
        Map<Integer, RuntimeException> failures = new HashMap<>();
        Map<Bytes, Integer> firstOfKey = new HashMap<>();
        List<Integer> twins = new ArrayList<>();
        List<Integer> fresh = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            WaitingText waiting = texts.get(i);
            meters.waited(now - waiting.arrivedMs());
            if (waiting.cacheable()) {
                if (firstOfKey.containsKey(waiting.cacheKey())) {
                    twins.add(i);
                    continue;
                }
                TextAnalysis hit = cache.recheck(waiting.cacheKey(), waiting.event().getText(), waiting.normal(), now);
                if (hit != null) {
                    results[i] = new Enrichment(waiting.event(), hit, true);
                    continue;
                }
                firstOfKey.put(waiting.cacheKey(), i);
            }
            fresh.add(i);
        }
        Map<Bytes, CachedResult> admitted = enrich(texts, fresh, results, failures, now);
        List<Integer> unserved = new ArrayList<>();
        for (int i : twins) {
            WaitingText twin = texts.get(i);
            CachedResult entry = admitted.get(twin.cacheKey());
            TextAnalysis served = entry == null ? null : cache.serveTwin(entry, twin.event().getText(), twin.normal());
            if (served == null) {
                unserved.add(i);
            } else {
                results[i] = new Enrichment(twin.event(), served, true);
            }
        }
        enrich(texts, unserved, results, failures, now);
        int rows = 0;
        for (int i : fresh) {
            rows += texts.get(i).tokens().count();
        }
        for (int i : unserved) {
            rows += texts.get(i).tokens().count();
        }
        metrics.add("batched-texts", "Texts run through the encoder (each window of a long text counts)", rows);
        return new Outcome(java.util.Arrays.asList(results), failures);
    }

    /**
     * One encoder call for the texts at {@code positions}; their results go to {@code results} and,
     * when cacheable, to the cache. Returns the new cache entries by key.
     */
    private Map<Bytes, CachedResult> enrich(List<WaitingText> texts, List<Integer> positions, Enrichment[] results,
            Map<Integer, RuntimeException> failures, long now) {
        if (positions.isEmpty()) {
            return Map.of();
        }
        List<WaitingText> batch = positions.stream().map(texts::get).toList();
        TextAnalysis[] analyses = new TextAnalysis[batch.size()];
        try {
            record(enricher.enrich(batch.stream().map(w -> w.event().getText()).toList(),
                    batch.stream().map(WaitingText::tokens).toList()), analyses, 0);
        } catch (RuntimeException failure) {
            isolate(batch, positions, analyses, failures, failure);
        }
        Map<Bytes, CachedResult> entries = new HashMap<>();
        for (int j = 0; j < batch.size(); j++) {
            WaitingText waiting = batch.get(j);
            TextAnalysis analysis = analyses[j];
            if (analysis == null) {
                continue; // failed: in failures
            }
            results[positions.get(j)] = new Enrichment(waiting.event(), analysis, false);
            if (waiting.cacheable()) {
                CachedResult entry = cache.admit(waiting.cacheKey(), analysis, waiting.normal(), now);
                if (entry != null) {
                    entries.put(waiting.cacheKey(), entry);
                }
            }
        }
        return entries;
    }

    private void record(Enricher.Batch done, TextAnalysis[] into, int offset) {
        meters.encoderCall(done.rows(), done.paddedTokens(), done.encoderNanos());
        meters.heads(done.headNanos());
        metrics.add("head-nanos", "Time spent in the sentiment and NER heads", done.headNanos());
        for (int j = 0; j < done.results().size(); j++) {
            into[offset + j] = done.results().get(j);
        }
    }

    /** The batch failed: find the texts at fault, or fail the thread when none is. */
    private void isolate(List<WaitingText> batch, List<Integer> positions, TextAnalysis[] analyses,
            Map<Integer, RuntimeException> failures, RuntimeException failure) {
        if (!Blame.recordAtFault(failure)) {
            throw failure;
        }
        if (!enricher.selfTest()) {
            throw new NotTheRecordsFault("The encoder fails on a known-good text too, so no text of the batch is at "
                    + "fault: " + failure, failure);
        }
        int failed = 0;
        for (int j = 0; j < batch.size(); j++) {
            WaitingText waiting = batch.get(j);
            try {
                record(enricher.enrich(List.of(waiting.event().getText()), List.of(waiting.tokens())), analyses, j);
            } catch (RuntimeException alone) {
                if (!Blame.recordAtFault(alone)) {
                    throw alone;
                }
                failures.put(positions.get(j), alone);
                failed++;
            }
        }
        metrics.add("failed-texts", "Texts whose enrichment failed on their own (dead-lettered)", failed);
    }
}
