package io.streamnlp.batching;

import io.streamnlp.budget.RecordBudget;
import io.streamnlp.cache.CacheFront;
import io.streamnlp.cache.CachePlan;
import io.streamnlp.cache.NormalizedText;
import io.streamnlp.cache.ResultCache;
import io.streamnlp.deadletter.Blame;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.enrich.Enricher;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.inference.TextWindows;
import io.streamnlp.language.DetectedLanguage;
import io.streamnlp.language.LanguageGate;
import io.streamnlp.language.LanguageVerdict;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.schema.internal.CachedLanguage;
import io.streamnlp.schema.internal.PendingText;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The micro-batch stage: collects texts in a {@link MicroBatch}, closes it (size, token budget, or
 * wall-clock wait, on a punctuation), has {@link BatchRun} enrich it, and forwards one
 * {@link Enrichment} per text, in arrival order, with the input's key and timestamp.
 *
 * <p>Every waiting text is also held in the task's {@link PendingTexts} store, and removed when its
 * result is forwarded. Store writes, forwarded results and consumed offsets commit together, so a text
 * that was consumed but not yet emitted when the process dies, or when the task moves to another
 * instance, is still in the store there and is encoded first thing after {@link #init}: never lost,
 * and under exactly-once never emitted twice.
 *
 * <p>With the result cache on, a text whose normal form is cached is served as it arrives, without
 * waiting for a batch.
 *
 * <p>Under {@code batch.overlap} (the default) a closed batch's encoder call runs on an inference thread
 * while this stage goes on reading and fills the next batch; its results are forwarded at the next
 * record or punctuation once the call is done. Up to {@link #MAX_IN_FLIGHT} batches of a task are
 * handed over at once, so that the next one is already queued for the encoder while this thread
 * forwards the one before; when one more closes, this thread waits for the oldest. Batches are
 * forwarded in the order they closed. Their texts stay in the pending store until then, so a commit in
 * between covers them exactly like texts still waiting, and a task that closes with batches in the
 * encoder drops their results: the next owner encodes their texts.
 *
 * <p>Each text's language is identified as it arrives, before the encoder ({@link LanguageGate}; a cache hit takes
 * the language kept with its entry):
 * under {@code language.unsupported.policy=dead-letter} a text the heads cannot judge is dead-lettered here,
 * without an encoder pass; otherwise the verdict travels with its result to the fan-out.
 */
public final class BatchingProcessor implements Processor<byte[], PendingText, byte[], Object> {

    /** The stage named on dead letters of texts that failed here. */
    public static final String STAGE = "micro-batch";

    private static final Logger LOG = LoggerFactory.getLogger(BatchingProcessor.class);

    private final Enricher enricher;
    private final BatchSettings settings;
    private final String pendingStoreName;
    /** Null when the result cache is off. */
    private final CachePlan cachePlan;
    private final PipelineMeters meters;
    private final String resultsChild;
    private final String deadLetterChild;
    private final RecordBudget budget;
    private final LanguageGate languages;

    private ProcessorContext<byte[], Object> context;
    private PendingTexts pending;
    private CacheFront cache;
    private MicroBatch<WaitingText> batch;
    private BatchRun runner;
    /**
     * Batches a task may have handed to the encoder and not yet forwarded: two, so the encoder has the
     * next batch queued while the stream thread forwards the one it just finished.
     */
    static final int MAX_IN_FLIGHT = 2;

    /** Batches handed to the encoder under {@code batch.overlap}, not yet forwarded, oldest first. */
    private final Deque<BatchRun.Started> inFlight = new ArrayDeque<>();
    private TextTokenizer tokenizer;
    private TaskMetrics metrics;
    /** Texts found in the store at init; forwarding is not allowed in init, so they run first thing after. */
    private List<WaitingText> backlog = List.of();

    /**
     * @param resultsChild the node that receives each {@link Enrichment} (the fan-out)
     * @param deadLetterChild the sink that receives the original bytes of texts that failed on their own
     * @param budget what a dead letter may weigh
     * @param languages identifies each text's language before the encoder ({@link LanguageGate#OFF}: not at all)
     */
    public BatchingProcessor(Enricher enricher, BatchSettings settings, String pendingStoreName, CachePlan cachePlan,
            PipelineMeters meters, String resultsChild, String deadLetterChild, RecordBudget budget, LanguageGate languages) {
        this.languages = languages;
        this.resultsChild = resultsChild;
        this.deadLetterChild = deadLetterChild;
        this.budget = budget;
        this.enricher = enricher;
        this.settings = settings;
        this.pendingStoreName = pendingStoreName;
        this.cachePlan = cachePlan;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.pending = new PendingTexts(context.getStateStore(pendingStoreName));
        this.tokenizer = enricher.tokenizer();
        this.batch = new MicroBatch<>(settings.maxRecords(), settings.maxTokens(), settings.maxWaitMs());
        this.metrics = new TaskMetrics(context.metrics(), context.taskId());
        if (cachePlan != null) {
            ResultCache store = new ResultCache(context.getStateStore(cachePlan.storeName()), cachePlan.settings(), metrics,
                    context.currentSystemTimeMs());
            this.cache = new CacheFront(store, cachePlan.keys(), cachePlan.heads(), cachePlan.windowsOfTokenCount());
            long sweep = Math.min(cachePlan.settings().ttlMs(), Duration.ofMinutes(10).toMillis());
            context.schedule(Duration.ofMillis(sweep), PunctuationType.WALL_CLOCK_TIME, cache::expire);
        }
        this.runner = new BatchRun(enricher, cache, meters, metrics, languages.identity());
        resumePendingTexts();
        Duration tick = Duration.ofMillis(Math.max(1, settings.maxWaitMs() / 5));
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::closeIfDue);
    }

    /** Texts left in the store by a crash or a task move are encoded before any new input. */
    private void resumePendingTexts() {
        List<KeyValue<Long, PendingText>> leftOver = pending.leftOver();
        if (!leftOver.isEmpty()) {
            metrics.add("resumed", "Texts found in the pending-batch store at task start", leftOver.size());
            LOG.info("Task {}: resuming {} text(s) left in the pending-batch store (consumed before a crash or a task "
                    + "move, not yet emitted)", context.taskId(), leftOver.size());
        }
        backlog = leftOver.stream().map(entry -> waiting(entry.key, entry.value)).toList();
    }

    private void runBacklog() {
        if (!backlog.isEmpty()) {
            List<WaitingText> resumed = backlog;
            backlog = List.of();
            resumed.forEach(this::enqueue);
            closeBatch();
        }
    }

    @Override
    public void process(Record<byte[], PendingText> record) {
        forwardIfEncoded();
        runBacklog();
        PendingText event = record.value();
        NormalizedText normal = cache == null ? null : NormalizedText.of(event.getText());
        Bytes cacheKey = normal == null ? null : cache.keyOf(normal);
        CacheFront.Found found = cacheKey == null ? null
                : cache.find(cacheKey, event.getText(), normal, context.currentSystemTimeMs());
        // A hit reuses the language found when its result was computed: identification costs a good part of a
        // hit's CPU time otherwise.
        LanguageVerdict language = found == null ? languages.check(event.getText())
                : verdictOf(found.language(), event.getText());
        if (language.action() == LanguageVerdict.Action.DEAD_LETTER) {
            deadLetter(event, new RejectedInputException(RejectReason.UNSUPPORTED_LANGUAGE, "the text's language ("
                    + language.code() + ", confidence " + language.confidence() + ") is none of the task heads' "
                    + languages.headsLanguages() + " (language.unsupported.policy=dead-letter)"));
            return;
        }
        if (cacheKey != null) {
            cache.count(cacheKey, found);
            if (found != null) {
                forward(new Enrichment(event, found.analysis(), true, language));
                return;
            }
        }
        // Tokenized before the store write: a text the tokenizer refuses is dead-lettered here, once, and
        // never left in the store to be resumed (and fail again) at every task start.
        TextWindows tokens;
        try {
            tokens = tokenizer.windows(event.getText(), settings.longText());
        } catch (RuntimeException error) {
            if (!Blame.recordAtFault(error)) {
                throw error;
            }
            LOG.warn("Dead-lettering {}-{}@{}: its text could not be tokenized: {}", event.getSourceTopic(),
                    event.getSourcePartition(), event.getSourceOffset(), error.toString());
            deadLetter(event, error);
            return;
        }
        long sequence = pending.add(event);
        enqueue(new WaitingText(sequence, event, tokens, normal, cacheKey, context.currentSystemTimeMs(), language));
    }

    /** The verdict from a cached detection made by this gate's detector; else the text is identified now. */
    private LanguageVerdict verdictOf(CachedLanguage cached, String text) {
        if (cached == null || !cached.getDetector().equals(languages.identity())) {
            return languages.check(text);
        }
        return languages.verdict(new DetectedLanguage(cached.getCode(), cached.getConfidence()), text);
    }

    private WaitingText waiting(long sequence, PendingText event) {
        NormalizedText normal = cache == null ? null : NormalizedText.of(event.getText());
        Bytes cacheKey = normal == null ? null : cache.keyOf(normal);
        // A text resumed from the store passed the language check when it arrived; its verdict is found again.
        return new WaitingText(sequence, event, tokenizer.windows(event.getText(), settings.longText()), normal, cacheKey,
                context.currentSystemTimeMs(), resumedLanguage(event));
    }

    /** A resumed text is never dead-lettered for its language: it was accepted once (the policy may have changed since). */
    private LanguageVerdict resumedLanguage(PendingText event) {
        LanguageVerdict verdict = languages.check(event.getText());
        return verdict.action() == LanguageVerdict.Action.DEAD_LETTER
                ? new LanguageVerdict(verdict.detected(), verdict.headsLanguage(), LanguageVerdict.Action.SKIP_HEADS) : verdict;
    }

    private void enqueue(WaitingText waiting) {
        int rows = waiting.tokens().count();
        int longest = waiting.tokens().longest();
        if (!batch.canAccept(rows, longest)) {
            closeBatch();
        }
        // The context clock, not System time: it is the wall clock in production and the mocked one in tests.
        batch.add(waiting, rows, longest, context.currentSystemTimeMs());
        if (batch.isFull()) {
            closeBatch();
        }
    }

    private void closeIfDue(long now) {
        forwardIfEncoded();
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
        List<WaitingText> texts = batch.drain();
        if (settings.overlap()) {
            forwardIfEncoded();
            if (inFlight.size() == MAX_IN_FLIGHT) {
                forwardOldest(); // waits for it: at most MAX_IN_FLIGHT batches of a task in the encoder
            }
            Set<Bytes> beingEncoded = new HashSet<>();
            inFlight.forEach(earlier -> earlier.addKeysBeingEncoded(beingEncoded));
            inFlight.addLast(runner.start(texts, context.currentSystemTimeMs(), true, beingEncoded));
        } else {
            forwardResults(texts, runner.run(texts, context.currentSystemTimeMs()));
        }
        metrics.increment("batches", "Micro-batches run through the encoder");
        metrics.add("batch-padded-token-bound", "Sum over batches of texts x longest text", padded);
    }

    /** Forwards the batches in the encoder whose calls are done, oldest first; never waits. */
    private void forwardIfEncoded() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
            forwardOldest();
        }
    }

    /** Waits for the oldest batch in the encoder and forwards its results. */
    private void forwardOldest() {
        // Taken off first: a failure that is no text's fails the thread; the texts stay pending either way.
        BatchRun.Started oldest = inFlight.removeFirst();
        forwardResults(oldest.texts(), runner.finish(oldest, context.currentSystemTimeMs()));
    }

    private void forwardResults(List<WaitingText> texts, BatchRun.Outcome outcome) {
        for (int i = 0; i < texts.size(); i++) {
            Enrichment result = outcome.results().get(i);
            if (result != null) {
                forward(result.withLanguage(texts.get(i).language()));
            } else {
                deadLetter(texts.get(i).event(), outcome.failures().get(i));
            }
            pending.remove(texts.get(i).sequence());
        }
    }

    private void forward(Enrichment result) {
        PendingText event = result.event();
        byte[] key = event.getKey() == null ? null : toBytes(event.getKey());
        context.forward(new Record<>(key, (Object) result, event.getTimestamp()), resultsChild);
    }

    /** A text that failed on its own: its original record to the dead letters, once, with the reason. */
    private void deadLetter(PendingText event, RuntimeException error) {
        deadLetter(event, FailedText.of(event, error, STAGE));
    }

    private void deadLetter(PendingText event, RejectedInputException reason) {
        deadLetter(event, new FailedText(event, reason, STAGE));
    }

    private void deadLetter(PendingText event, FailedText failed) {
        context.forward(failed.record(budget), deadLetterChild);
        metrics.increment("dead-lettered", "Records sent to the dead-letter topic, per reason and partition",
                "reason", failed.reason().reason(), "topic", event.getSourceTopic(),
                "partition", Integer.toString(event.getSourcePartition()));
    }

    private static byte[] toBytes(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public void close() {
        // Texts still waiting, or in the encoder, stay in the pending store: whoever runs this task next
        // encodes them. Batches in the encoder are waited for, so that no encoder call outlives its task.
        inFlight.forEach(BatchRun.Started::abandon);
        inFlight.clear();
        metrics.close();
    }
}
