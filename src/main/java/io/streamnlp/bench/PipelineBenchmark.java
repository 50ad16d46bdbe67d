package io.streamnlp.bench;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.inference.EncoderStats;
import io.streamnlp.topics.Topics;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.state.BoundedRocksDbMemory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.streamnlp.replay.ReplayRunner;
import io.streamnlp.replay.ReplaySummary;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The whole pipeline on the embedded broker and registry, Avro in and out: from a pre-filled input
 * topic to the last output record seen by a read_committed consumer. The clock starts when Kafka
 * Streams is RUNNING (model loading and the first rebalance are not part of throughput).
 */
final class PipelineBenchmark implements AutoCloseable {

    static final int PARTITIONS = 2;

    /**
     * One row's throughput. {@code runs} holds the texts/s of every run the row was measured over
     * (one, or the rounds of an {@link #alternated} pair); the other fields are the best run's.
     *
     * @param cpu cores used per thread group over the row ({@link CpuProfile})
     * @param textsPerCall texts an encoder call carried on average (a slice of a batch is one call): the
     *     encoder's rate per core depends on it
     */
    record Throughput(double textsPerSecond, long records, double cacheHits, Map<String, Double> cpu, double textsPerCall,
            List<Double> runs) {
        Throughput(double textsPerSecond, long records, double cacheHits, Map<String, Double> cpu, double textsPerCall) {
            this(textsPerSecond, records, cacheHits, cpu, textsPerCall, List.of(textsPerSecond));
        }

        private Throughput over(List<Double> allRuns) {
            return new Throughput(textsPerSecond, records, cacheHits, cpu, textsPerCall, List.copyOf(allRuns));
        }

        /** Where the run's CPU went, and the encoder calls' mean size. */
        String describeCpu() {
            return CpuProfile.describe(cpu) + String.format(Locale.ROOT, "; %.1f texts per encoder call", textsPerCall);
        }
    }

    /** The two rows of an {@link #alternated} measurement. */
    record Pair(Throughput first, Throughput second) {}

    /**
     * Memory of one run: peaks of this process (heap, RSS) and of the RocksDB pool, with what the
     * instance held: its tasks, stores and result-cache entries at the end.
     */
    record Memory(int partitions, int tasks, int stores, long cacheEntries, long cacheBytes, long stateMemoryBytes,
            long rocksDbPeakBytes, long peakHeapBytes, long peakRssBytes, boolean rssSinceRowStart, long records) {}

    /**
     * Latency at an offered load: p50 and p99 of the steady state (events sent from
     * {@link #LATENCY_START_UP} after the first event on; the instance was RUNNING when that was
     * sent), and the p99 of that start-up itself, reported beside it rather than mixed in.
     */
    record Latency(double offeredPerSecond, long samples, double p50Ms, double p99Ms, long startUpSamples, double startUpP99Ms) {
        String describe() {
            return String.format(java.util.Locale.ROOT, "p50 %.0f ms, p99 %.0f ms (%d samples); first %d s after start: p99 %.0f ms (%d samples)",
                    p50Ms, p99Ms, samples, LATENCY_START_UP.toSeconds(), startUpP99Ms, startUpSamples);
        }
    }

    /**
     * The first seconds of a fresh instance, kept out of its steady-state latency. In them the first
     * transactions of every task, the first fetches of new topics and the first batches of a new
     * instance land: in the latency rows of 2026-12-01, 47-68 of about 4,100 events (more than the 1 %
     * a p99 may ignore) took 300-440 ms, every one sent in the first second after RUNNING, so a p99 over
     * the whole run measured the start rather than the load.
     */
    static final Duration LATENCY_START_UP = Duration.ofSeconds(5);

    private final Cluster stack;
    private final SchemaRegistryClient registry;
    private final String inputTopic = "bench.input." + UUID.randomUUID().toString().substring(0, 6);
    private final List<String> texts;
    private final int partitions;
    /** fetch.max.wait.ms of the measuring (downstream) consumer; null: the consumer's default (500 ms). */
    private Integer downstreamFetchWaitMs;

    PipelineBenchmark(Cluster stack, List<String> texts) {
        this(stack, texts, PARTITIONS);
    }

    /** @param partitions of the input (and output) topics: the tasks per sub-topology */
    PipelineBenchmark(Cluster stack, List<String> texts, int partitions) {
        this.stack = stack;
        this.texts = texts;
        this.partitions = partitions;
        this.registry = new SchemaRegistryClient(RegistrySettings.of(stack.registryUrl()));
        Topics.ensure(admin(), List.of(inputTopic), partitions);
        try (var producer = producer()) {
            for (int i = 0; i < texts.size(); i++) {
                producer.send(new ProducerRecord<>(inputTopic, "id-" + i, event("id-" + i, texts.get(i))));
            }
        }
    }

    /** Sets fetch.max.wait.ms of the read_committed consumer that measures (the downstream reader), for the runs that follow. */
    PipelineBenchmark downstreamFetchWait(Integer ms) {
        downstreamFetchWaitMs = ms;
        return this;
    }

    /** Enriches the whole pre-filled topic under a fresh application id; returns texts/s. */
    Throughput throughput(String name, Map<String, String> settings) throws Exception {
        return throughput(name, settings, false);
    }

    /**
     * @param pollLivePage while it runs, fetch the live page's four documents every 2 s, as the
     *     page open in a browser does (when the instance serves it)
     */
    Throughput throughput(String name, Map<String, String> settings, boolean pollLivePage) throws Exception {
        String prefix = "bench." + name + "." + UUID.randomUUID().toString().substring(0, 6);
        StreamNlpConfig config = config(prefix, settings);
        Topics.ensure(admin(), config.outputTopics().all(), partitions);
        System.gc(); // every row starts from the same clean heap, not from the garbage of the row before
        try (var consumer = consumer(prefix + ".embeddings");
                StreamNlpApplication app = new StreamNlpApplication(config)) {
            app.start();
            awaitRunning(app);
            try (PagePoller poller = pollLivePage && app.livePagePort() > 0 ? new PagePoller(app.livePagePort()) : null) {
                CpuProfile cpu = CpuProfile.start();
                long started = System.nanoTime();
                long received = 0;
                long deadline = started + Duration.ofMinutes(10).toNanos();
                while (received < texts.size() && System.nanoTime() < deadline) {
                    received += consumer.poll(Duration.ofMillis(50)).count();
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                Map<String, Double> cpuShares = cpu.stop();
                long calls = app.encoderSessions().allStats().mapToLong(EncoderStats::batches).sum();
                long encoded = app.encoderSessions().allStats().mapToLong(EncoderStats::texts).sum();
                return new Throughput(received / seconds, received, TaskMetrics.sum(app.streams().metrics(), "cache-hits-total"),
                        cpuShares, calls == 0 ? 0 : (double) encoded / calls);
            }
        }
    }

    /**
     * Two rows whose ratio is the figure (the cache on and off, say), measured in turns: first,
     * second, first, second... {@code rounds} times each, each row then reported by its best run. On a
     * shared VM a neighbour's burst slows whichever run it lands on, by as much as the few per cent
     * such a ratio is about; taking turns spreads the bursts over both rows, and the best run of each
     * is the one a burst touched least.
     */
    Pair alternated(String firstName, Map<String, String> first, String secondName, Map<String, String> second, int rounds)
            throws Exception {
        Throughput bestFirst = null;
        Throughput bestSecond = null;
        List<Double> firstRuns = new ArrayList<>();
        List<Double> secondRuns = new ArrayList<>();
        for (int round = 0; round < Math.max(1, rounds); round++) {
            Throughput a = throughput(firstName, first);
            Throughput b = throughput(secondName, second);
            firstRuns.add(a.textsPerSecond());
            secondRuns.add(b.textsPerSecond());
            bestFirst = bestFirst == null || a.textsPerSecond() > bestFirst.textsPerSecond() ? a : bestFirst;
            bestSecond = bestSecond == null || b.textsPerSecond() > bestSecond.textsPerSecond() ? b : bestSecond;
        }
        return new Pair(bestFirst.over(firstRuns), bestSecond.over(secondRuns));
    }

    /** What an open live page does: its four documents, every 2 s. */
    private static final class PagePoller implements AutoCloseable {
        private static final List<String> DOCUMENTS = List.of("/api/overview", "/api/series?seconds=300",
                "/api/entities?minutes=5&k=8", "/api/tail?n=20");
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-live-page-poller");
            thread.setDaemon(true);
            return thread;
        });
        private final HttpClient http = HttpClient.newHttpClient();

        PagePoller(int port) {
            timer.scheduleAtFixedRate(() -> {
                for (String document : DOCUMENTS) {
                    try {
                        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + document)).build(),
                                HttpResponse.BodyHandlers.discarding());
                    } catch (java.io.IOException e) {
                        // the next round asks again
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, 0, 2, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
            http.close();
        }
    }

    /**
     * Enriches the whole pre-filled topic under a fresh application id, as {@link #throughput} does,
     * and measures memory on the way: the process's peak heap and RSS from the start of this run
     * (model loading included), the RocksDB pool's peak usage, and at the end the tasks, stores and
     * result-cache entries the instance holds.
     */
    Memory memory(String name, Map<String, String> settings) throws Exception {
        String prefix = "bench." + name + "." + UUID.randomUUID().toString().substring(0, 6);
        StreamNlpConfig config = config(prefix, settings);
        Topics.ensure(admin(), config.outputTopics().all(), partitions);
        String applicationId = config.getString(StreamNlpConfig.APPLICATION_ID);
        String stateDir = config.getString(StreamNlpConfig.STATE_DIR);
        boolean rssReset = MemoryProbe.resetPeaks();
        try (var consumer = consumer(prefix + ".embeddings");
                StreamNlpApplication app = new StreamNlpApplication(config)) {
            app.start();
            awaitRunning(app);
            long received = 0;
            long rocksDbPeak = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (received < texts.size() && System.nanoTime() < deadline) {
                received += consumer.poll(Duration.ofMillis(50)).count();
                rocksDbPeak = Math.max(rocksDbPeak, BoundedRocksDbMemory.usage(applicationId, stateDir)
                        .map(BoundedRocksDbMemory.Usage::usedBytes).orElse(0L));
            }
            int tasks = app.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
            int stores = BoundedRocksDbMemory.usage(applicationId, stateDir).map(BoundedRocksDbMemory.Usage::stores).orElse(0);
            var metrics = app.streams().metrics();
            return new Memory(partitions, tasks, stores, (long) TaskMetrics.sum(metrics, "cache-entries"),
                    (long) TaskMetrics.sum(metrics, "cache-bytes"), config.stateMemoryBytes(), rocksDbPeak,
                    MemoryProbe.peakHeapBytes(), MemoryProbe.peakRssBytes(), rssReset, received);
        }
    }

    /**
     * Replays the whole pre-filled topic, as the {@code replay} command does (its own application
     * id, batch-invariant encoder calls, stops by itself at the end). Its elapsed time includes
     * model loading and the first rebalance, which the throughput rows leave out.
     */
    ReplaySummary replay(Map<String, String> settings) throws Exception {
        String prefix = "bench.replay." + UUID.randomUUID().toString().substring(0, 6);
        StreamNlpConfig base = config(prefix, settings);
        return ReplayRunner.run(new ReplayRunner.Request(inputTopic + ":avro", "earliest", "latest", prefix, null, 0),
                base, null);
    }

    /**
     * Offers events at {@code perSecond} for {@link #LATENCY_START_UP} plus {@code duration} to a
     * pipeline just started (fresh input topic) and measures, per output, the time from the event's
     * timestamp to its arrival at a read_committed consumer (with the consumer's default
     * {@code fetch.max.wait.ms}): the start-up and the {@code duration} after it, apart.
     */
    Latency latency(Map<String, String> settings, double perSecond, Duration duration) throws Exception {
        List<Double> startUp = new ArrayList<>();
        List<Double> steady = new ArrayList<>();
        offer(settings, perSecond, LATENCY_START_UP.plus(duration), i -> texts.get((int) (i % texts.size())),
                (sentAfterStartMs, latency) -> (sentAfterStartMs < LATENCY_START_UP.toMillis() ? startUp : steady).add(latency), null);
        Collections.sort(startUp);
        Collections.sort(steady);
        return new Latency(perSecond, steady.size(), percentile(steady, 0.50), percentile(steady, 0.99),
                startUp.size(), percentile(startUp, 0.99));
    }

    /** One minute of a soak: what came out, how late, and what the process and the by-text topic held at its end. */
    record SoakMinute(int minute, long records, double p50Ms, double p99Ms, long heapAfterGcBytes, long rssBytes,
            long byTextRecords) {
        /** {@code byTextRecords} of a run without the by-text topic. */
        static final long NO_TOPIC = -1;
    }

    /**
     * The soak: offers distinct texts ({@code textOf(i)}) at {@code perSecond} for {@code duration}
     * and, at the end of every minute, forces a GC and records the heap it leaves, the RSS, the
     * records the by-text topic retains, and that minute's latency percentiles.
     */
    List<SoakMinute> soak(Map<String, String> settings, double perSecond, Duration duration,
            java.util.function.LongFunction<String> textOf, java.io.PrintStream progress) throws Exception {
        List<SoakMinute> minutes = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        long[] records = {0};
        offer(settings, perSecond, duration, textOf, (sentAfterStartMs, latency) -> {
            latencies.add(latency);
            records[0]++;
        }, (minute, config) -> {
            List<Double> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.gc();
            SoakMinute m = new SoakMinute(minute, records[0], percentile(sorted, 0.50), percentile(sorted, 0.99),
                    MemoryProbe.heapUsedBytes(), MemoryProbe.rssBytes(), retained(config.byTextTopic()));
            minutes.add(m);
            progress.printf(java.util.Locale.ROOT, "  minute %d: %d records, p50 %.0f ms, p99 %.0f ms, heap after GC %d MiB, "
                    + "RSS %d MiB, by-text topic holds %d records%n", minute, m.records(), m.p50Ms(), m.p99Ms(),
                    m.heapAfterGcBytes() >> 20, m.rssBytes() >> 20, m.byTextRecords());
            latencies.clear();
            records[0] = 0;
        });
        return minutes;
    }

    /** Takes one output's latency and when its event was sent, in ms after the first event of an {@link #offer}. */
    interface LatencySink {
        void accept(long sentAfterStartMs, double latencyMs);
    }

    /** Called at the end of every whole minute of an {@link #offer}. */
    interface MinuteListener {
        void minuteEnded(int minute, StreamNlpConfig config) throws Exception;
    }

    /**
     * Starts a pipeline on a fresh input topic and produces {@code textOf(i)} at {@code perSecond}
     * for {@code duration}, each with its send time as timestamp; hands every output's latency
     * (arrival at a read_committed consumer minus that timestamp, ms) to {@code latencies}, with
     * when it was sent (ms after the first event).
     */
    private void offer(Map<String, String> settings, double perSecond, Duration duration,
            java.util.function.LongFunction<String> textOf, LatencySink latencies,
            MinuteListener perMinute) throws Exception {
        String topic = "bench.latency." + UUID.randomUUID().toString().substring(0, 6);
        Topics.ensure(admin(), List.of(topic), partitions);
        String prefix = topic + ".out";
        Map<String, String> withTopic = new HashMap<>(settings);
        withTopic.put(StreamNlpConfig.INPUT_TOPICS, topic + ":avro");
        StreamNlpConfig config = config(prefix, withTopic);
        Topics.ensure(admin(), config.outputTopics().all(), partitions);
        try (var consumer = consumer(prefix + ".embeddings");
                StreamNlpApplication app = new StreamNlpApplication(config);
                var producer = producer()) {
            app.start();
            awaitRunning(app);
            // The measuring consumer stands for a downstream reader that is already there: its own
            // group join (which can take longer than the first events do) is not the pipeline's latency.
            awaitAssignment(consumer);
            long total = Math.round(perSecond * duration.toSeconds());
            long intervalNanos = Math.round(1e9 / perSecond);
            long start = System.nanoTime();
            long startMs = System.currentTimeMillis();
            long sent = 0;
            long received = 0;
            int minute = 0;
            while (received < total && System.nanoTime() < start + duration.toNanos() + Duration.ofSeconds(30).toNanos()) {
                if (app.streams().state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the pipeline failed during the run (state ERROR)");
                }
                long due = Math.min(total, (System.nanoTime() - start) / intervalNanos + 1);
                for (; sent < due; sent++) {
                    producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), "l-" + sent, event("l-" + sent, textOf.apply(sent))));
                }
                for (var record : consumer.poll(Duration.ofMillis(1))) {
                    latencies.accept(record.timestamp() - startMs, System.currentTimeMillis() - record.timestamp());
                    received++;
                }
                if (perMinute != null && System.nanoTime() - start >= (minute + 1) * 60_000_000_000L) {
                    perMinute.minuteEnded(++minute, config);
                }
            }
            if (perMinute != null && minute < duration.toMinutes()) {
                perMinute.minuteEnded(++minute, config); // the last minute, ended by the last record rather than the clock
            }
        }
    }

    /** Records a topic retains now: end offsets minus log-start offsets, over its partitions. */
    /** Records {@code topic} retains; {@value SoakMinute#NO_TOPIC} when it does not exist (the cache placed by partition). */
    private long retained(String topic) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(admin())) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return SoakMinute.NO_TOPIC;
            }
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            var earliest = admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(p -> p,
                    p -> org.apache.kafka.clients.admin.OffsetSpec.earliest()))).all().get();
            var latest = admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(p -> p,
                    p -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
            return partitions.stream().mapToLong(p -> latest.get(p).offset() - earliest.get(p).offset()).sum();
        }
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }

    private StreamNlpConfig config(String prefix, Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>();
        all.put(StreamNlpConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        all.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        all.put(StreamNlpConfig.INPUT_TOPICS, inputTopic + ":avro");
        all.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefix);
        all.put(StreamNlpConfig.APPLICATION_ID, prefix);
        all.put(StreamNlpConfig.STATE_DIR, Files.createTempDirectory("streamnlp-bench").toString());
        all.put(StreamNlpConfig.METRICS_PORT, "-1");
        all.putAll(settings);
        return ConfigLoader.load(null, Map.of(), all);
    }

    private static void awaitAssignment(KafkaConsumer<?, ?> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the measuring consumer got no partition in 60 s");
            }
            if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                throw new IllegalStateException("the measuring consumer read an output before any event was sent");
            }
        }
    }

    private static void awaitRunning(StreamNlpApplication app) throws InterruptedException {
        while (app.streams().state() != KafkaStreams.State.RUNNING) {
            if (app.streams().state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("pipeline failed to start");
            }
            Thread.sleep(10);
        }
    }

    private static TextEvent event(String id, String text) {
        return TextEvent.newBuilder().setId(id).setText(text).setSource("bench").build();
    }

    private Map<String, Object> admin() {
        return Map.of("bootstrap.servers", stack.bootstrapServers());
    }

    private KafkaProducer<String, TextEvent> producer() {
        Map<String, Object> props = Map.of("bootstrap.servers", stack.bootstrapServers(), "linger.ms", 5);
        return new KafkaProducer<>(props, new StringSerializer(), AvroSerdes.specific(TextEvent.class, registry, false).serializer());
    }

    private KafkaConsumer<byte[], EmbeddingRecord> consumer(String topic) {
        Map<String, Object> props = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        if (downstreamFetchWaitMs != null) {
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, downstreamFetchWaitMs);
        }
        KafkaConsumer<byte[], EmbeddingRecord> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @Override
    public void close() {
        registry.close();
    }
}
