package io.streamnlp.batching;

import io.streamnlp.cache.CachePlan;
import io.streamnlp.cache.CachedResults;
import io.streamnlp.cache.NormalizedText;
import io.streamnlp.cache.ResultCache;
import io.streamnlp.heads.Entity;
import io.streamnlp.heads.Heads;
import io.streamnlp.heads.Sentiment;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.inference.TokenizedText;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.schema.internal.CachedResult;
import io.streamnlp.schema.internal.PendingText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The inference stage: result cache, micro-batched encoder, task heads. Texts collect in a
 * {@link MicroBatch}; when it closes (size, token budget, or wall-clock wait) the whole batch runs
 * through the encoder in one call, then both heads run over each text's one encoder output, and one
 * {@link Enrichment} per text is forwarded, in arrival order, with the input's key and timestamp.
 *
 * <p>Every waiting text is also written to the changelogged pending-batch store, and removed when
 * its result is forwarded. Store writes, forwarded results and consumed offsets commit together, so
 * a text that was consumed but not yet emitted when the process dies, or when the task moves to
 * another instance, is still in the store there and is encoded on {@link #init}: never lost, and
 * under exactly-once never emitted twice.
 *
 * <p>With the result cache on, a text whose normal form is in the cache is served from it as it
 * arrives, without waiting for a batch; at batch close, a text whose twin was admitted meanwhile,
 * or has a twin earlier in the same batch, is served from that twin's result. Only the rest is
 * encoded, and their results are offered to the cache.
 */
public final class BatchingProcessor implements Processor<byte[], PendingText, byte[], Enrichment> {

    private final EncoderSessions sessions;
    private final Heads heads;
    private final BatchSettings settings;
    private final String pendingStoreName;
    /** Null when the result cache is off. */
    private final CachePlan cachePlan;
    private final PipelineMeters meters;

    private ProcessorContext<byte[], Enrichment> context;
    private KeyValueStore<Long, PendingText> pendingStore;
    private ResultCache cache;
    private MicroBatch<Waiting> batch;
    private TextTokenizer tokenizer;
    private TaskMetrics metrics;
    private long nextSequence;
    /** Texts found in the store at init; forwarding is not allowed in init, so they run first thing after. */
    private List<Waiting> backlog = List.of();

    /** A text in the batch, its key in the pending store, and its cache identity (null when uncacheable). */
    private record Waiting(long sequence, PendingText event, TokenizedText tokens, NormalizedText normal, Bytes cacheKey,
            long arrivedMs) {}

    public BatchingProcessor(EncoderSessions sessions, Heads heads, BatchSettings settings, String pendingStoreName,
            CachePlan cachePlan, PipelineMeters meters) {
        this.sessions = sessions;
        this.heads = heads;
        this.settings = settings;
        this.pendingStoreName = pendingStoreName;
        this.cachePlan = cachePlan;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<byte[], Enrichment> context) {
        this.context = context;
        this.pendingStore = context.getStateStore(pendingStoreName);
        this.tokenizer = sessions.encoder().tokenizer();
        this.batch = new MicroBatch<>(settings.maxRecords(), settings.maxTokens(), settings.maxWaitMs());
        this.metrics = new TaskMetrics(context.metrics(), context.taskId());
        if (cachePlan != null) {
            this.cache = new ResultCache(context.getStateStore(cachePlan.storeName()), cachePlan.settings(), metrics,
                    context.currentSystemTimeMs());
            long sweep = Math.min(cachePlan.settings().ttlMs(), Duration.ofMinutes(10).toMillis());
            context.schedule(Duration.ofMillis(sweep), PunctuationType.WALL_CLOCK_TIME, cache::expire);
        }
        resumePendingTexts();
        Duration tick = Duration.ofMillis(Math.max(1, settings.maxWaitMs() / 5));
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::closeIfDue);
    }

    /** Texts left in the store by a crash or a task move are encoded before any new input. */
    private void resumePendingTexts() {
        List<Waiting> leftOver = new ArrayList<>();
        try (KeyValueIterator<Long, PendingText> all = pendingStore.all()) {
            while (all.hasNext()) {
                KeyValue<Long, PendingText> entry = all.next();
                leftOver.add(waiting(entry.key, entry.value));
            }
        }
        nextSequence = leftOver.isEmpty() ? 0 : leftOver.getLast().sequence() + 1;
        if (!leftOver.isEmpty()) {
            metrics.add("resumed", "Texts found in the pending-batch store at task start", leftOver.size());
        }
        backlog = leftOver;
    }

    private void runBacklog() {
        if (!backlog.isEmpty()) {
            List<Waiting> resumed = backlog;
            backlog = List.of();
            resumed.forEach(this::enqueue);
            closeBatch();
        }
    }

    @Override
    public void process(Record<byte[], PendingText> record) {
        runBacklog();
        PendingText event = record.value();
        NormalizedText normal = cache == null ? null : NormalizedText.of(event.getText());
        Bytes cacheKey = normal == null ? null : cachePlan.keys().keyOf(normal);
        if (cacheKey != null) {
            Enrichment served = serve(cache.get(cacheKey, context.currentSystemTimeMs()), event, normal);
            if (served != null) {
                forward(served);
                return;
            }
        }
        long sequence = nextSequence++;
        pendingStore.put(sequence, event);
        enqueue(new Waiting(sequence, event, tokenizer.tokenize(event.getText()), normal, cacheKey,
                context.currentSystemTimeMs()));
    }

    private Waiting waiting(long sequence, PendingText event) {
        NormalizedText normal = cache == null ? null : NormalizedText.of(event.getText());
        Bytes cacheKey = normal == null ? null : cachePlan.keys().keyOf(normal);
        return new Waiting(sequence, event, tokenizer.tokenize(event.getText()), normal, cacheKey,
                context.currentSystemTimeMs());
    }

    private Enrichment serve(CachedResult entry, PendingText event, NormalizedText normal) {
        Enrichment served = entry == null ? null : CachedResults.serve(entry, event, normal);
        if (served != null) {
            cache.countHit();
        }
        return served;
    }

    private void enqueue(Waiting waiting) {
        if (!batch.canAccept(waiting.tokens().length())) {
            closeBatch();
        }
        // The context clock, not System time: it is the wall clock in production and the mocked one in tests.
        batch.add(waiting, waiting.tokens().length(), context.currentSystemTimeMs());
        if (batch.isFull()) {
            closeBatch();
        }
    }

    private void closeIfDue(long now) {
        runBacklog();
        if (batch.isDue(now)) {
            closeBatch();
        }
    }

    private void closeBatch() {
        if (batch.isEmpty()) {
            return;
        }
        long padded = batch.paddedTokens();
        List<Waiting> texts = batch.drain();
        long now = context.currentSystemTimeMs();
        Enrichment[] results = new Enrichment[texts.size()];
        // Served without a pass of their own: a twin admitted since they arrived, or earlier in this batch.
        Map<Bytes, Integer> firstOfKey = new HashMap<>();
        List<Integer> twins = new ArrayList<>();
        List<Integer> fresh = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Waiting waiting = texts.get(i);
            meters.waited(now - waiting.arrivedMs());
            if (waiting.cacheKey() != null) {
                if (firstOfKey.containsKey(waiting.cacheKey())) {
                    twins.add(i);
                    continue;
                }
                results[i] = serve(cache.peek(waiting.cacheKey(), now), waiting.event(), waiting.normal());
                if (results[i] != null) {
                    continue;
                }
                firstOfKey.put(waiting.cacheKey(), i);
            }
            fresh.add(i);
        }
        Map<Bytes, CachedResult> newEntries = encode(texts, fresh, results, now);
        List<Integer> unserved = new ArrayList<>();
        for (int i : twins) {
            Waiting twin = texts.get(i);
            results[i] = serve(newEntries.get(twin.cacheKey()), twin.event(), twin.normal());
            if (results[i] == null) {
                unserved.add(i);
            }
        }
        encode(texts, unserved, results, now);

        for (int i = 0; i < texts.size(); i++) {
            forward(results[i]);
            pendingStore.delete(texts.get(i).sequence());
        }
        metrics.increment("batches", "Micro-batches run through the encoder");
        metrics.add("batched-texts", "Texts run through the encoder", fresh.size() + unserved.size());
        metrics.add("batch-padded-token-bound", "Sum over batches of texts x longest text", padded);
    }

    /**
     * One encoder call for the texts at {@code positions}, then both heads over each output; results
     * go to {@code results} and, when cacheable, to the cache. Returns the new cache entries by key.
     */
    private Map<Bytes, CachedResult> encode(List<Waiting> texts, List<Integer> positions, Enrichment[] results, long now) {
        if (positions.isEmpty()) {
            return Map.of();
        }
        EncoderSession session = sessions.forCurrentThread();
        List<TokenizedText> batchTokens = positions.stream().map(i -> texts.get(i).tokens()).toList();
        EncodedText[] encoded;
        long paddedBefore = session.stats().paddedTokens();
        long encodeStarted = System.nanoTime();
        if (settings.batchInvariant()) {
            encoded = new EncodedText[batchTokens.size()];
            for (int j = 0; j < encoded.length; j++) {
                encoded[j] = session.encode(List.of(batchTokens.get(j)))[0];
            }
        } else {
            encoded = session.encode(batchTokens);
        }
        long started = System.nanoTime();
        meters.encoderCall(batchTokens.size(), session.stats().paddedTokens() - paddedBefore, started - encodeStarted);
        // The heads are pure functions of one text's encoder output: run them on every core (the
        // encoder has finished with them), each text writing only its own slot, so results do not
        // depend on scheduling. Cache admission stays on the stream thread (state stores are not shared).
        int n = positions.size();
        Sentiment[] sentiments = new Sentiment[n];
        @SuppressWarnings("unchecked")
        List<Entity>[] entityLists = new List[n];
        IntStream.range(0, n).parallel().forEach(j -> {
            Waiting waiting = texts.get(positions.get(j));
            sentiments[j] = heads.sentiment().predict(encoded[j].sentenceVector());
            entityLists[j] = heads.ner().predict(waiting.event().getText(), waiting.tokens(), encoded[j]);
        });
        Map<Bytes, CachedResult> entries = new HashMap<>();
        for (int j = 0; j < n; j++) {
            Waiting waiting = texts.get(positions.get(j));
            TokenizedText tokens = waiting.tokens();
            Enrichment result = new Enrichment(waiting.event(), encoded[j].sentenceVector(), tokens.length(),
                    tokens.truncated(), sentiments[j], entityLists[j], false);
            results[positions.get(j)] = result;
            if (waiting.cacheKey() != null) {
                CachedResult entry = CachedResults.toEntry(result, waiting.normal(), now);
                if (entry != null) {
                    entries.put(waiting.cacheKey(), entry);
                    cache.offer(waiting.cacheKey(), entry);
                }
            }
        }
        long headNanos = System.nanoTime() - started;
        metrics.add("head-nanos", "Time spent in the sentiment and NER heads (and cache admission)", headNanos);
        meters.heads(headNanos);
        return entries;
    }

    private void forward(Enrichment result) {
        PendingText event = result.event();
        byte[] key = event.getKey() == null ? null : toBytes(event.getKey());
        context.forward(new Record<>(key, result, event.getTimestamp()));
    }

    private static byte[] toBytes(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public void close() {
        // Texts still waiting stay in the pending store: whoever runs this task next encodes them.
        metrics.close();
    }
}
