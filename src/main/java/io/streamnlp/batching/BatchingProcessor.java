package io.streamnlp.batching;

import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.inference.TokenizedText;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.schema.internal.PendingText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The micro-batched inference stage. Texts collect in a {@link MicroBatch}; when it closes (size,
 * token budget, or wall-clock wait) the whole batch runs through the encoder in one call and one
 * {@link Enrichment} per text is forwarded, in arrival order, with the input's key and timestamp.
 *
 * <p>Every waiting text is also written to the changelogged pending-batch store, and removed when
 * its result is forwarded. Store writes, forwarded results and consumed offsets commit together, so
 * a text that was consumed but not yet emitted when the process dies, or when the task moves to
 * another instance, is still in the store there and is encoded on {@link #init}: never lost, and
 * under exactly-once never emitted twice.
 */
public final class BatchingProcessor implements Processor<byte[], PendingText, byte[], Enrichment> {

    private final EncoderSessions sessions;
    private final BatchSettings settings;
    private final String pendingStoreName;

    private ProcessorContext<byte[], Enrichment> context;
    private KeyValueStore<Long, PendingText> pendingStore;
    private MicroBatch<Waiting> batch;
    private TextTokenizer tokenizer;
    private TaskMetrics metrics;
    private long nextSequence;
    /** Texts found in the store at init; forwarding is not allowed in init, so they run first thing after. */
    private List<Waiting> backlog = List.of();

    /** A text in the batch and its key in the pending store. */
    private record Waiting(long sequence, PendingText event, TokenizedText tokens) {}

    public BatchingProcessor(EncoderSessions sessions, BatchSettings settings, String pendingStoreName) {
        this.sessions = sessions;
        this.settings = settings;
        this.pendingStoreName = pendingStoreName;
    }

    @Override
    public void init(ProcessorContext<byte[], Enrichment> context) {
        this.context = context;
        this.pendingStore = context.getStateStore(pendingStoreName);
        this.tokenizer = sessions.encoder().tokenizer();
        this.batch = new MicroBatch<>(settings.maxRecords(), settings.maxTokens(), settings.maxWaitMs());
        this.metrics = new TaskMetrics(context.metrics(), context.taskId());
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
                leftOver.add(new Waiting(entry.key, entry.value, tokenizer.tokenize(entry.value.getText())));
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
        TokenizedText tokens = tokenizer.tokenize(event.getText());
        long sequence = nextSequence++;
        pendingStore.put(sequence, event);
        enqueue(new Waiting(sequence, event, tokens));
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
        EncoderSession session = sessions.forCurrentThread();
        EncodedText[] encoded = session.encode(texts.stream().map(Waiting::tokens).toList());
        for (int i = 0; i < texts.size(); i++) {
            Waiting waiting = texts.get(i);
            PendingText event = waiting.event();
            byte[] key = event.getKey() == null ? null : toBytes(event.getKey());
            context.forward(new Record<>(key, new Enrichment(event, waiting.tokens(), encoded[i]), event.getTimestamp()));
            pendingStore.delete(waiting.sequence());
        }
        metrics.increment("batches", "Micro-batches run through the encoder");
        metrics.add("batched-texts", "Texts run through the encoder", texts.size());
        metrics.add("batch-padded-token-bound", "Sum over batches of texts x longest text", padded);
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
