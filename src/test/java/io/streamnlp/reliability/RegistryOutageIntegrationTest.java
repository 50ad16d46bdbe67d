package io.streamnlp.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.local.ApicurioRegistry;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.PipelineProbe;
import io.streamnlp.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry goes away for more than 10 s while the pipeline needs it (schemas it has not cached
 * yet), then comes back on the same address with the same data. Nothing may be lost, skipped or
 * dead-lettered, and processing must resume by itself.
 */
@Tag("slow")
class RegistryOutageIntegrationTest {

    private static final int BEFORE = 1000;
    private static final int DURING = 1000;

    @TempDir
    Path workDir;

    @Test
    void nothingIsLostWhileTheRegistryIsDown() throws Exception {
        int[] ports = ApicurioRegistry.freePorts(2);
        Path registryData = workDir.resolve("registry");
        ApicurioRegistry registryProcess = ApicurioRegistry.start(ApicurioRegistry.defaultHome(), ports[0], ports[1], registryData);
        String url = registryProcess.ccompatUrl();
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(url))) {
            kafka.createTopics(List.of("outage.in"), 2);
            kafka.createTopics(List.of("outage.embeddings", "outage.sentiment", "outage.entities", "outage.dlq"), 2);
            produce(kafka, registry, 0, BEFORE);

            StreamNlpConfig config = ConfigLoader.load(null, Map.of(), Map.of(
                    StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    StreamNlpConfig.SCHEMA_REGISTRY_URL, url,
                    StreamNlpConfig.APPLICATION_ID, "outage",
                    StreamNlpConfig.INPUT_TOPICS, "outage.in:avro",
                    StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "outage",
                    StreamNlpConfig.METRICS_PORT, "0", // any free port: instances may share this JVM
                    StreamNlpConfig.STATE_DIR, workDir.resolve("state").toString()));
            List<? extends ConsumerRecord<byte[], EmbeddingRecord>> records;
            try (StreamNlpApplication app = new StreamNlpApplication(config)) {
                app.start();
                awaitCommitted(kafka, BEFORE);

                // Events written with a newer TextEvent writer schema (an extra field) that the
                // running app has never seen: registered now, written once the registry is down, so
                // the app must fetch that schema from a registry that is not there.
                int v2Id = registerV2(url);
                registryProcess.close();
                produceV2(kafka, v2Id, BEFORE, DURING);
                long stoppedAt = System.nanoTime();
                Thread.sleep(12_000);
                long committedDuringOutage = PipelineProbe.processed(kafka.bootstrapServers(), "outage", "outage.in");
                assertThat(committedDuringOutage).as("nothing is skipped while the registry is down").isEqualTo(BEFORE);
                registryProcess = ApicurioRegistry.start(ApicurioRegistry.defaultHome(), ports[0], ports[1], registryData);
                System.out.printf("[registry-outage] registry down for %d ms%n", (System.nanoTime() - stoppedAt) / 1_000_000);

                awaitCommitted(kafka, BEFORE + DURING);
                assertThat(app.streams().state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
                // Read while the app runs: committed input may still sit in the pending-batch store (a
                // batch collecting, or the one the encoder is on); a close would leave it there for the
                // next start, and this test has none.
                records = TopicReader.readAll(kafka.bootstrapServers(), "outage.embeddings",
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), BEFORE + DURING,
                        Duration.ofSeconds(60));
            }
            var dlq = TopicReader.readAllBytes(kafka.bootstrapServers(), "outage.dlq", 0, Duration.ofSeconds(1));
            Map<String, Integer> counts = new HashMap<>();
            records.forEach(r -> counts.merge(r.value().getId(), 1, Integer::sum));
            System.out.printf("[registry-outage] %d events in, %d out, %d distinct, %d dead-lettered%n",
                    BEFORE + DURING, records.size(), counts.size(), dlq.size());
            assertThat(dlq).isEmpty();
            assertThat(counts).hasSize(BEFORE + DURING);
            assertThat(records).hasSize(BEFORE + DURING);
        } finally {
            registryProcess.close();
        }
    }

    private static void produce(KafkaTestCluster kafka, SchemaRegistryClient registry, int from, int count) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), AvroSerdes.specific(TextEvent.class, registry, false).serializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>("outage.in", "id-" + i,
                        TextEvent.newBuilder().setId("id-" + i).setText("Order " + i + " arrived on time.").build()));
            }
        }
    }

    /** A TextEvent schema with one more field. */
    private static final Schema V2 = new Schema.Parser().parse(
            TextEvent.getClassSchema().toString()
                    .replace("\"fields\":[", "\"fields\":[{\"name\":\"rating\",\"type\":\"int\",\"default\":0},"));

    private static int registerV2(String url) {
        try (SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(url))) {
            return client.register("outage.in-value", V2);
        }
    }

    /** Writes events framed with the v2 schema id, without asking the registry. */
    private static void produceV2(KafkaTestCluster kafka, int id, int from, int count) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = from; i < from + count; i++) {
                GenericRecord record = new GenericData.Record(V2);
                record.put("id", "id-" + i);
                record.put("text", "Order " + i + " arrived late but intact.");
                record.put("rating", 4);
                record.put("attributes", Map.of());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(0);
                out.write(ByteBuffer.allocate(4).putInt(id).array());
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                new GenericDatumWriter<GenericRecord>(V2).write(record, encoder);
                encoder.flush();
                producer.send(new ProducerRecord<>("outage.in", "id-" + i, out.toByteArray()));
            }
        }
    }

    private static void awaitCommitted(KafkaTestCluster kafka, long target) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (PipelineProbe.processed(kafka.bootstrapServers(), "outage", "outage.in") < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("input not committed up to " + target + " in time");
            }
            Thread.sleep(200);
        }
    }
}
