package io.streamnlp.topology;

import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.enrich.Enricher;
import io.streamnlp.enrich.FaultInjection;
import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.TestEncoder;
import io.streamnlp.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * The whole topology on {@link TopologyTestDriver} with the real encoder and the real registry, for
 * tests that try many settings: input topics {@code <prefix>.reviews} (Avro), {@code .chat} (JSON) and
 * {@code .logs} (plain text), outputs under {@code <prefix>}.
 */
final class TopologyHarness implements AutoCloseable {

    final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    final StreamNlpConfig config;
    final SchemaRegistryClient registry;
    final EncoderSessions sessions;
    final Enricher enricher;
    final TopologyTestDriver driver;
    /** Whether the registry client and the sessions are this harness's own, to close with it. */
    private final boolean ownsShared;

    TopologyHarness(Path stateDir, Map<String, String> extra, LiveFeed live) {
        this(stateDir, extra, live, null, null);
    }

    /**
     * @param sharedRegistry a registry client to use (and leave open), or null for one of its own
     * @param sharedSessions encoder sessions to use (and leave open), or null for its own
     */
    TopologyHarness(Path stateDir, Map<String, String> extra, LiveFeed live, SchemaRegistryClient sharedRegistry,
            EncoderSessions sharedSessions) {
        Map<String, String> settings = new HashMap<>(Map.of(
                StreamNlpConfig.INPUT_TOPICS, prefix + ".reviews:avro," + prefix + ".chat:json," + prefix + ".logs:text",
                StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefix,
                StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                StreamNlpConfig.METRICS_PORT, "0",
                StreamNlpConfig.STATE_DIR, stateDir.toString(),
                StreamNlpConfig.PROCESSING_GUARANTEE, "at_least_once",
                // These tests read the outputs right after they advance the clock; under batch.overlap a batch
                // is forwarded at a later punctuation, so it is on only where a test settles the pipeline
                // (TopologyHarness.settle: the settings matrix).
                StreamNlpConfig.BATCH_OVERLAP, "false"));
        settings.putAll(extra);
        // No cluster behind a TopologyTestDriver: cache.placement=auto resolves as for a fresh application id.
        config = ConfigLoader.load(null, Map.of(), settings).withCachePlacementResolved(false);
        ownsShared = sharedRegistry == null;
        registry = sharedRegistry != null ? sharedRegistry : new SchemaRegistryClient(config.registry());
        sessions = sharedSessions != null ? sharedSessions : TestEncoder.sessions();
        enricher = new Enricher(sessions, TestEncoder.heads(config.headsProfile(), sessions.encoder().graph()), config.headPlan(), false, 1, FaultInjection.NONE);
        driver = new TopologyTestDriver(EnrichmentTopology.build(config, enricher, registry, null, PipelineMeters.none(), live),
                config.streamsProperties());
    }

    TestInputTopic<byte[], byte[]> input(String name) {
        return driver.createInputTopic(prefix + "." + name, new ByteArraySerializer(), new ByteArraySerializer());
    }

    byte[] avro(TextEvent event) {
        return AvroSerdes.specific(TextEvent.class, registry, false).serializer().serialize(prefix + ".reviews", event);
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return driver.createOutputTopic(prefix + ".dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    /** Every record on one output topic, as bytes. */
    List<TestRecord<byte[], byte[]>> raw(OutputKind kind) {
        return driver.createOutputTopic(config.outputTopics().topic(kind), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
    }

    <T extends SpecificRecord> List<T> values(OutputKind kind, Class<T> type) {
        Deserializer<T> values = AvroSerdes.specific(type, registry, false).deserializer();
        return driver.createOutputTopic(config.outputTopics().topic(kind), new ByteArrayDeserializer(), values)
                .readValuesToList();
    }

    /**
     * Closes every open batch and advances the wall clock until each text consumed so far has been
     * emitted or dead-lettered, i.e. the pending-batch store is empty: under {@code batch.overlap} a
     * batch in the encoder is forwarded at the first punctuation after its encoder call is done.
     */
    void settle() {
        driver.advanceWallClockTime(Duration.ofMillis(100));
        KeyValueStore<Long, Object> pending = driver.getKeyValueStore(TopologyNames.PENDING_STORE);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (holdsAny(pending)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("texts still pending after 60 s: a batch in the encoder was never forwarded");
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos()); // the encoder thread is working; look again
            driver.advanceWallClockTime(Duration.ofMillis(5));
        }
    }

    private static boolean holdsAny(KeyValueStore<Long, Object> store) {
        try (KeyValueIterator<Long, Object> all = store.all()) {
            return all.hasNext();
        }
    }

    @Override
    public void close() {
        driver.close();
        enricher.close();
        if (ownsShared) {
            sessions.close();
            registry.close();
        }
    }
}
