package io.streamnlp.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.Entity;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.InJvmKafkaWithRegistry;
import io.streamnlp.testing.KafkaWithRegistry;
import io.streamnlp.testing.TopicReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe of docs/CONNECT-POSTGRES.md, run: the app writes {@code <prefix>.enriched}, a real Kafka
 * Connect standalone worker (started as {@code connect-standalone.sh worker.properties
 * connector.json} would) reads it through {@link RegistryAvroConverter} from the Apicurio registry
 * and Debezium's JDBC sink upserts it into a real PostgreSQL. Replayed events (the same ids again)
 * must leave one row per id, holding the values the enriched topic had. The worker and connector
 * settings are the recipe's own files in docs/connect-postgres, with only the addresses changed.
 */
class EnrichedToPostgresIntegrationTest {

    private static final String INPUT = "pg.reviews";
    private static final String PREFIX = "pg";
    private static final String ENRICHED = PREFIX + ".enriched";
    private static final String CONNECTOR = "streamnlp-enriched-postgres";
    private static final Path RECIPE = Path.of("docs", "connect-postgres");
    private static final List<String> TEXTS = List.of(
            "Angela Merkel met Emmanuel Macron in Paris to talk about Airbus.",
            "The delivery was late and the box was crushed. Terrible service.",
            "I love this phone, the battery lasts for days!",
            "The meeting is scheduled for Tuesday at the Berlin office.",
            "Microsoft and Google announced new AI models in Seattle.",
            "Worst hotel ever, the room in London smelled of smoke.",
            "An okay product, nothing special.",
            "Thank you Maria for the quick help with my order from Amazon!",
            "The train from Munich to Vienna was on time.",
            "I am disappointed by the customer support of Acme Corp.",
            "Great concert by Coldplay in Madrid last night.",
            "The package contains two cables and a manual.");
    private static final int REPLAYED = 4;

    @TempDir
    Path tempDir;

    /** The offset of the last enriched record in each partition of the enriched topic. */
    private final Map<TopicPartition, Long> lastOffsets = new HashMap<>();

    @Test
    void enrichedEventsLandInPostgresOncePerId() throws Exception {
        Path bin = LocalPostgres.findBinaries().orElse(null);
        assumeTrue(bin != null, "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
                + "(Debian: apt-get install postgresql; .ci/run installs it): the Connect to PostgreSQL test is skipped");

        try (LocalPostgres postgres = LocalPostgres.start(bin);
                KafkaWithRegistry kafka = InJvmKafkaWithRegistry.start()) {
            try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, "");
                    Statement ddl = db.createStatement()) {
                ddl.execute(Files.readString(RECIPE.resolve("enriched_events.sql")));
            }
            kafka.createTopics(List.of(INPUT), 2);
            kafka.createTopics(List.of(ENRICHED, PREFIX + ".dlq"), 2);

            Map<String, EnrichedEvent> lastById = enrich(kafka);
            assertThat(lastById).hasSize(TEXTS.size());

            Connect<StandaloneHerder> connect = startWorker(kafka, postgres);
            try {
                // The group's offsets can pass the last record a moment before the sink's own database
                // transaction for it is visible, so wait for both; a lost row still fails (the count never comes).
                awaitCondition(Duration.ofSeconds(60), "the sink to commit the end of " + ENRICHED
                        + " and the table to hold " + lastById.size() + " rows",
                        () -> sinkCaughtUp(kafka) && rowCount(postgres) >= lastById.size());
                assertRows(postgres, lastById);
            } finally {
                connect.stop();
                connect.awaitStop();
            }
        }
    }

    /** Produces the events, then the first few again (same ids), and returns each id's last enriched record. */
    private Map<String, EnrichedEvent> enrich(KafkaWithRegistry kafka) throws Exception {
        try (SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(kafka.registryUrl()))) {
            Map<String, Object> producerProps = Map.of("bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", true);
            long base = Instant.parse("2026-05-01T12:00:00Z").toEpochMilli();
            try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                    AvroSerdes.specific(TextEvent.class, registry, false).serializer())) {
                for (int i = 0; i < TEXTS.size() + REPLAYED; i++) {
                    int n = i % TEXTS.size();
                    String id = "pg-" + n;
                    producer.send(new ProducerRecord<>(INPUT, null, base + n * 1000L, id,
                            TextEvent.newBuilder().setId(id).setText(TEXTS.get(n)).setSource("it").build()));
                }
            }
            StreamNlpConfig config = ConfigLoader.load(null, Map.of(), Map.of(
                    StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    StreamNlpConfig.SCHEMA_REGISTRY_URL, kafka.registryUrl(),
                    StreamNlpConfig.APPLICATION_ID, "it-connect-postgres",
                    StreamNlpConfig.INPUT_TOPICS, INPUT,
                    StreamNlpConfig.OUTPUT_TOPIC_PREFIX, PREFIX,
                    StreamNlpConfig.OUTPUTS, "enriched",
                    StreamNlpConfig.METRICS_PORT, "0",
                    StreamNlpConfig.STATE_DIR, tempDir.resolve("state").toString()));
            List<ConsumerRecord<byte[], EnrichedEvent>> enriched;
            try (StreamNlpApplication app = new StreamNlpApplication(config)) {
                app.start();
                enriched = TopicReader.readAll(kafka.bootstrapServers(), ENRICHED,
                        AvroSerdes.specific(EnrichedEvent.class, registry, false).deserializer(),
                        TEXTS.size() + REPLAYED, Duration.ofSeconds(120));
            }
            assertThat(enriched).as("one enriched record per event, replays included").hasSize(TEXTS.size() + REPLAYED);
            enriched.forEach(r -> lastOffsets.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max));
            // Same id, same key, same partition: the last in offset order is the one an upsert keeps.
            Map<String, EnrichedEvent> lastById = new LinkedHashMap<>();
            enriched.stream().sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset))
                    .forEach(r -> lastById.put(r.value().getId(), r.value()));
            return lastById;
        }
    }

    /** The recipe's worker and connector, with this test's addresses; started as connect-standalone.sh does. */
    private Connect<StandaloneHerder> startWorker(KafkaWithRegistry kafka, LocalPostgres postgres) throws Exception {
        Properties worker = new Properties();
        try (var reader = Files.newBufferedReader(RECIPE.resolve("worker.properties"))) {
            worker.load(reader);
        }
        worker.setProperty("bootstrap.servers", kafka.bootstrapServers());
        worker.setProperty("value.converter.schema.registry.url", kafka.registryUrl());
        worker.setProperty("offset.storage.file.filename", tempDir.resolve("connect.offsets").toString());
        worker.setProperty("listeners", "http://127.0.0.1:0");
        Path workerFile = tempDir.resolve("worker.properties");
        try (var writer = Files.newBufferedWriter(workerFile)) {
            worker.store(writer, "docs/connect-postgres/worker.properties with this test's addresses");
        }

        ObjectMapper json = new ObjectMapper();
        ObjectNode connector = (ObjectNode) json.readTree(RECIPE.resolve("connector.json").toFile());
        ObjectNode config = (ObjectNode) connector.get("config");
        config.put("topics", ENRICHED);
        config.put("connection.url", postgres.jdbcUrl());
        config.put("connection.username", LocalPostgres.USER);
        Path connectorFile = tempDir.resolve("connector.json");
        json.writeValue(connectorFile.toFile(), connector);
        assertThat(connector.get("name").asText()).isEqualTo(CONNECTOR);

        ConnectStandalone cli = new ConnectStandalone(workerFile.toString(), connectorFile.toString());
        Map<String, String> props = new HashMap<>();
        worker.stringPropertyNames().forEach(k -> props.put(k, worker.getProperty(k)));
        Connect<StandaloneHerder> connect = cli.startConnect(props);
        cli.processExtraArgs(connect, new String[] {connectorFile.toString()});
        return connect;
    }

    /**
     * Whether the sink's group (connect-&lt;connector name&gt;) has committed past the last record of
     * every partition of the enriched topic. Not the partitions' end offsets: under exactly-once a
     * transaction marker follows the last record, and a sink commits the record after its last one.
     */
    private boolean sinkCaughtUp(KafkaWithRegistry kafka) {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + CONNECTOR)
                    .partitionsToOffsetAndMetadata().get();
            return lastOffsets.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() > e.getValue());
        } catch (Exception e) {
            return false;
        }
    }

    private static long rowCount(LocalPostgres postgres) {
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, "");
                Statement query = db.createStatement();
                ResultSet count = query.executeQuery("SELECT count(*) FROM enriched_events")) {
            count.next();
            return count.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private void assertRows(LocalPostgres postgres, Map<String, EnrichedEvent> lastById) throws SQLException, java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, "");
                Statement query = db.createStatement()) {
            try (ResultSet counts = query.executeQuery("SELECT count(*), count(DISTINCT id) FROM enriched_events")) {
                counts.next();
                assertThat(counts.getLong(1)).as("rows").isEqualTo(lastById.size());
                assertThat(counts.getLong(2)).as("distinct ids").isEqualTo(lastById.size());
            }
            try (ResultSet rows = query.executeQuery("SELECT id, (extract(epoch FROM event_time) * 1000)::bigint,"
                    + " sentiment_label, sentiment_negative, sentiment_neutral, sentiment_positive, entities::text,"
                    + " embedding, model, model_version, sentiment_head_version, ner_head_version"
                    + " FROM enriched_events ORDER BY id")) {
                int seen = 0;
                while (rows.next()) {
                    seen++;
                    String id = rows.getString(1);
                    EnrichedEvent e = lastById.get(id);
                    assertThat(e).as("row for an id the topic had: " + id).isNotNull();
                    System.out.printf("row %s | %s | %s %.4f/%.4f/%.4f | %s | embedding[%d] | %s %s %s %s%n", id,
                            Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3), rows.getFloat(4), rows.getFloat(5),
                            rows.getFloat(6), rows.getString(7), ((Float[]) rows.getArray(8).getArray()).length,
                            rows.getString(9), rows.getString(10), rows.getString(11), rows.getString(12));
                    assertThat(rows.getLong(2)).as(id).isEqualTo(e.getEventTime().toEpochMilli());
                    assertThat(rows.getString(3)).as(id).isEqualTo(e.getSentiment().getLabel().name());
                    assertThat(rows.getFloat(4)).as(id).isEqualTo(e.getSentiment().getNegative());
                    assertThat(rows.getFloat(5)).as(id).isEqualTo(e.getSentiment().getNeutral());
                    assertThat(rows.getFloat(6)).as(id).isEqualTo(e.getSentiment().getPositive());
                    JsonNode entities = json.readTree(new StringReader(rows.getString(7)));
                    assertThat(entities.size()).as(id + " entities").isEqualTo(e.getEntities().size());
                    for (int i = 0; i < entities.size(); i++) {
                        Entity expected = e.getEntities().get(i);
                        JsonNode actual = entities.get(i);
                        assertThat(actual.get("text").asText()).isEqualTo(expected.getText());
                        assertThat(actual.get("type").asText()).isEqualTo(expected.getType().name());
                        assertThat(actual.get("start").asInt()).isEqualTo(expected.getStart());
                        assertThat(actual.get("end").asInt()).isEqualTo(expected.getEnd());
                        assertThat(actual.get("confidence").floatValue()).isCloseTo(expected.getConfidence(), within(1e-6f));
                    }
                    Array embedding = rows.getArray(8);
                    assertThat(List.of((Float[]) embedding.getArray())).as(id + " embedding").isEqualTo(e.getEmbedding());
                    assertThat(rows.getString(9)).isEqualTo(e.getModel());
                    assertThat(rows.getString(10)).isEqualTo(e.getModelVersion());
                    assertThat(rows.getString(11)).isEqualTo(e.getSentimentHeadVersion());
                    assertThat(rows.getString(12)).isEqualTo(e.getNerHeadVersion());
                }
                assertThat(seen).isEqualTo(lastById.size());
            }
        }
    }

    private static void awaitCondition(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
