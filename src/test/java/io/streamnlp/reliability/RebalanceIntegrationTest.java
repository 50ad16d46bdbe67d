package io.streamnlp.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ops.TaskMetrics;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.PipelineProbe;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances with the same application id on a 4-partition input: the second joins mid-stream,
 * the first leaves mid-stream. Tasks move twice, with texts waiting in their pending batches (a long
 * batch wait keeps up to a batch of texts collecting in every task); exactly-once must hold, and the
 * texts that waited in a moved task's pending-batch store must have been resumed by its new owner.
 */
@Tag("slow")
class RebalanceIntegrationTest {

    // Enough that the first instance still has work when it leaves: the pipeline now does ~300 texts/s here.
    private static final int EVENTS = 12000;

    @TempDir
    Path workDir;

    @Test
    void exactlyOnceHoldsWhenAnInstanceJoinsAndAnotherLeaves() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()))) {
            kafka.createTopics(List.of("rebalance.in"), 4);
            kafka.createTopics(List.of("rebalance.embeddings", "rebalance.sentiment", "rebalance.entities", "rebalance.dlq"), 4);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < EVENTS; i++) {
                    producer.send(new ProducerRecord<>("rebalance.in", "id-" + i, "Review number " + i + ": decent value, slow delivery."));
                }
            }

            StreamNlpApplication first = new StreamNlpApplication(config(kafka, "a"));
            StreamNlpApplication second = null;
            List<? extends org.apache.kafka.clients.consumer.ConsumerRecord<byte[], EmbeddingRecord>> records;
            try {
                first.start();
                awaitCommitted(kafka, EVENTS / 5);
                second = new StreamNlpApplication(config(kafka, "b"));
                second.start();
                awaitState(second, KafkaStreams.State.RUNNING);
                StreamNlpApplication joined = second;
                await("the second instance enriches its share", () -> metric(joined, "records-out-total") >= 200);
                long beforeLeave = PipelineProbe.processed(kafka.bootstrapServers(), "rebalance", "rebalance.in");
                first.close();
                first = null;
                awaitCommitted(kafka, EVENTS);
                double resumed = metric(second, "resumed-total");
                System.out.printf("[rebalance] the second instance resumed %.0f text(s) from moved pending stores%n", resumed);
                assertThat(resumed).as("texts that waited in a moved task's pending store, resumed by its new owner")
                        .isPositive();
                // Read while the second instance runs: texts still collecting in a batch (the long wait)
                // are emitted by it, not left in its pending store by a close.
                records = TopicReader.readAll(kafka.bootstrapServers(), "rebalance.embeddings",
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), EVENTS,
                        Duration.ofSeconds(120));
                System.out.printf("[rebalance] second joined after >=%d committed, first left at %d of %d%n", EVENTS / 5, beforeLeave, EVENTS);
                assertThat(beforeLeave).as("the first instance left mid-stream").isLessThan(EVENTS - 500);
            } finally {
                if (first != null) {
                    first.close();
                }
                if (second != null) {
                    second.close();
                }
            }

            Map<String, Integer> counts = new HashMap<>();
            records.forEach(r -> counts.merge(r.value().getId(), 1, Integer::sum));
            System.out.printf("[rebalance] %d events in, %d records out, %d distinct, %d duplicates%n",
                    EVENTS, records.size(), counts.size(), records.size() - counts.size());
            assertThat(counts).hasSize(EVENTS);
            assertThat(records).hasSize(EVENTS);
        }
    }

    private StreamNlpConfig config(KafkaTestCluster kafka, String instance) {
        return ConfigLoader.load(null, Map.of(), Map.of(
                StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                StreamNlpConfig.APPLICATION_ID, "rebalance",
                StreamNlpConfig.INPUT_TOPICS, "rebalance.in:text",
                StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "rebalance",
                StreamNlpConfig.INFERENCE_INTRA_OP_THREADS, "1",
                // Batches close when full, not on time, and polls do not split into whole batches (the default
                // poll is 4 batches, and a pre-filled input hands a task whole multiples of 32 when no by-text
                // hop splits them): every task always has texts collecting when it moves.
                StreamNlpConfig.BATCH_MAX_WAIT_MS, "5000",
                "kafka.consumer.max.poll.records", "100",
                StreamNlpConfig.METRICS_PORT, "0", // any free port: instances may share this JVM
                StreamNlpConfig.STATE_DIR, workDir.resolve(instance).toString()));
    }

    private static void awaitCommitted(KafkaTestCluster kafka, long target) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (PipelineProbe.processed(kafka.bootstrapServers(), "rebalance", "rebalance.in") < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("input not committed up to " + target + " in time");
            }
            Thread.sleep(100);
        }
    }

    private static double metric(StreamNlpApplication app, String name) {
        return TaskMetrics.sum(app.streams().metrics(), name);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitState(StreamNlpApplication app, KafkaStreams.State state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (app.streams().state() != state && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(app.streams().state()).isEqualTo(state);
    }
}
