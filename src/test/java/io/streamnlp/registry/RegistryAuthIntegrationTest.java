package io.streamnlp.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.streamnlp.app.StartupFailedException;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.testing.AuthenticatingRegistryProxy;
import io.streamnlp.testing.ChildApp;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.PipelineProbe;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A registry that requires basic auth, over plain HTTP and behind TLS: an {@link AuthenticatingRegistryProxy}
 * (self-signed certificate made for the run, PKCS12 trust store for the client) in front of the real
 * Apicurio Registry. The right credentials work end to end; wrong ones stop the start at once with a
 * message naming the setting to fix (in-JVM and as the {@code run} command's exit code 2), and so does a
 * certificate the client does not trust (before any credentials are sent); credentials
 * revoked while running stop the instance without dead-lettering anything, and the events it could not
 * read are enriched exactly once by the next instance. Each case has its own application id and topics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryAuthIntegrationTest {

    private static final String USER = "streamnlp";
    private static final String PASSWORD = "registry-pw-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String WRONG_PASSWORD = "wrong-pw-" + UUID.randomUUID().toString().substring(0, 8);
    /** The smallest encoder: these tests are about the registry, not the model. */
    private static final String MODEL = "minilm-l6-q";
    private static final int EVENTS = 20;

    /** A TextEvent writer schema with one more, optional field: a new id the running app has not cached. */
    private static final Schema TEXT_EVENT_V2 = new Schema.Parser().parse(
            TextEvent.getClassSchema().toString().replace("\"fields\":[",
                    "\"fields\":[{\"name\":\"channel\",\"type\":[\"null\",\"string\"],\"default\":null},"));

    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaTestCluster kafka;
    private String apicurio;
    private SchemaRegistryClient direct;
    private Path workDir;

    @BeforeAll
    void startBrokerAndRegistry() throws Exception {
        workDir = Files.createTempDirectory("registry-auth-it");
        kafka = KafkaTestCluster.start();
        apicurio = TestRegistry.url();
        direct = new SchemaRegistryClient(RegistrySettings.of(apicurio));
    }

    @AfterAll
    void stop() {
        if (direct != null) {
            direct.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void httpsWithTheRightCredentialsEnrichesEverything() throws Exception {
        try (var proxy = AuthenticatingRegistryProxy.https(apicurio, USER, PASSWORD, workDir)) {
            enrichesEverythingThrough(proxy, "auth-https");
        }
    }

    @Test
    void plainHttpWithTheRightCredentialsEnrichesEverything() throws Exception {
        try (var proxy = AuthenticatingRegistryProxy.http(apicurio, USER, PASSWORD)) {
            enrichesEverythingThrough(proxy, "auth-http");
        }
    }

    /** Events produced through the proxy with our own serializer, enriched by an app that talks only to the proxy. */
    private void enrichesEverythingThrough(AuthenticatingRegistryProxy proxy, String prefix) throws Exception {
        Map<String, String> settings = settings(prefix, proxy, PASSWORD);
        kafka.createTopics(List.of(prefix + ".in"), 2);
        try (SchemaRegistryClient producerSide = new SchemaRegistryClient(RegistrySettings.fromConfig(settings))) {
            produce(prefix + ".in", AvroSerdes.specific(TextEvent.class, producerSide, false).serializer(),
                    ids(prefix, 0, EVENTS), id -> TextEvent.newBuilder().setId(id)
                            .setText("Event " + id + ": the courier in Porto was quick and friendly.").build());
        }
        try (StreamNlpApplication app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings))) {
            app.start();
            assertEachIdOnceInEveryOutput(prefix, ids(prefix, 0, EVENTS));
            assertThat(app.failure()).isNotDone();
        }
        assertThat(committedRecords(prefix + ".dlq")).as("dead letters").isZero();
        assertThat(proxy.refused()).as("requests refused by the proxy").isEmpty();
        // The app's own calls (access check, output schemas, the input schema by id) went through the proxy.
        assertThat(proxy.forwarded()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aWrongPasswordStopsTheStartWithAClearMessageAndDeadLettersNothing() throws Exception {
        String prefix = "auth-wrong";
        kafka.createTopics(List.of(prefix + ".in"), 2);
        produceDirect(prefix + ".in", ids(prefix, 0, EVENTS));
        try (var proxy = AuthenticatingRegistryProxy.https(apicurio, USER, PASSWORD, workDir)) {
            // The checks run when the application is built, before the model loads.
            long started = System.nanoTime();
            Throwable failed = catchThrowable(() -> new StreamNlpApplication(
                    ConfigLoader.load(null, Map.of(), settings(prefix, proxy, WRONG_PASSWORD))).close());
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(failed).isInstanceOf(StartupFailedException.class);
            assertThat(failed.getMessage())
                    .contains("basic.auth.user.info", "HTTP 401", proxy.url())
                    .doesNotContain(WRONG_PASSWORD, PASSWORD, basicHeader(WRONG_PASSWORD));
            assertThat(tookMs).as("the start failed after %d ms", tookMs).isLessThan(10_000);
            assertThat(proxy.refused()).as("one call, not retried").containsExactly("GET /config");
        }
        assertThat(topicExists(prefix + ".embeddings")).as("nothing created before the credentials were checked").isFalse();
        assertThat(committedRecords(prefix + ".dlq")).as("dead letters").isZero();
        assertThat(PipelineProbe.committed(kafka.bootstrapServers(), prefix, prefix + ".in")).isZero();
    }

    @Test
    void aUserWithoutRightsStopsTheStartLikeAWrongPassword() throws Exception {
        String prefix = "auth-forbidden";
        kafka.createTopics(List.of(prefix + ".in"), 2);
        try (var proxy = AuthenticatingRegistryProxy.http(apicurio, USER, PASSWORD)) {
            proxy.forbidAll(true);
            Throwable failed = catchThrowable(() -> new StreamNlpApplication(
                    ConfigLoader.load(null, Map.of(), settings(prefix, proxy, PASSWORD))).close());

            assertThat(failed).isInstanceOf(StartupFailedException.class);
            assertThat(failed.getMessage()).contains("basic.auth.user.info", "HTTP 403").doesNotContain(PASSWORD);
            assertThat(proxy.refused()).containsExactly("GET /config");
        }
    }

    @Test
    void anUntrustedCertificateStopsTheStartNamingTheTrustStoreAndSendsNoCredentials() throws Exception {
        String prefix = "auth-untrusted";
        kafka.createTopics(List.of(prefix + ".in"), 2);
        try (var proxy = AuthenticatingRegistryProxy.https(apicurio, USER, PASSWORD, workDir)) {
            Map<String, String> settings = settings(prefix, proxy, PASSWORD);
            // The JVM's default trust store: it does not know the proxy's self-signed certificate.
            settings.remove(StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION);
            settings.remove(StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD);
            // An untrusted certificate is not retried, so the budget only bounds the handshake: room for a
            // loaded machine, where a TLS handshake can take over a second, and still well under the 10 s bound.
            settings.put(StreamNlpConfig.SCHEMA_REGISTRY_RETRY_MAX_MS, "5000");
            long started = System.nanoTime();
            Throwable failed = catchThrowable(() -> new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings))
                    .close());
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(failed).isInstanceOf(StartupFailedException.class);
            assertThat(failed.getMessage())
                    .contains(proxy.url(), "schema.registry.ssl.truststore.location")
                    .doesNotContain(PASSWORD);
            assertThat(tookMs).as("the start failed after %d ms", tookMs).isLessThan(10_000);
            assertThat(proxy.forwarded() + proxy.refused().size())
                    .as("requests that reached the proxy over the untrusted connection").isZero();
        }
    }

    @Test
    void theRunCommandExitsWith2AndOneErrorLineOnAWrongPassword() throws Exception {
        String prefix = "auth-wrong-cli";
        kafka.createTopics(List.of(prefix + ".in"), 2);
        produceDirect(prefix + ".in", ids(prefix, 0, EVENTS));
        try (var proxy = AuthenticatingRegistryProxy.https(apicurio, USER, PASSWORD, workDir)) {
            Path log = ChildApp.newLog(workDir, prefix);
            long started = System.nanoTime();
            ChildApp child = ChildApp.start(settings(prefix, proxy, WRONG_PASSWORD), log);
            int exit = child.awaitExit(Duration.ofSeconds(60));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            String output = Files.readString(log);

            assertThat(exit).as("exit code; log:%n%s", output).isEqualTo(2);
            assertThat(tookMs).as("the child ran %d ms", tookMs).isLessThan(30_000);
            List<String> errors = output.lines().filter(Pattern.compile("^\\S+ ERROR ").asPredicate()).toList();
            assertThat(errors).as("ERROR lines; log:%n%s", output).hasSize(1);
            assertThat(errors.getFirst()).contains("Cannot start:", "basic.auth.user.info", "HTTP 401");
            assertThat(output).as("no stack trace in the log:%n%s", output)
                    .doesNotContain("\tat ", "Caused by:")
                    .doesNotContain(WRONG_PASSWORD, PASSWORD, basicHeader(WRONG_PASSWORD));
        }
        assertThat(committedRecords(prefix + ".dlq")).as("dead letters").isZero();
    }

    @Test
    void credentialsRevokedMidRunStopTheInstanceDeadLetterNothingAndLoseNothing() throws Exception {
        String prefix = "auth-revoked";
        String input = prefix + ".in";
        kafka.createTopics(List.of(input), 2);
        List<String> before = ids(prefix + "-v1", 0, EVENTS);
        List<String> after = ids(prefix + "-v2", 0, EVENTS);
        produceDirect(input, before);
        try (var proxy = AuthenticatingRegistryProxy.https(apicurio, USER, PASSWORD, workDir)) {
            Map<String, String> settings = settings(prefix, proxy, PASSWORD);
            try (StreamNlpApplication app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings))) {
                app.start();
                await(Duration.ofSeconds(120), () -> PipelineProbe.processed(kafka.bootstrapServers(), prefix, input)
                        == EVENTS);
                int port = app.metricsPort();
                assertThat(liveStatus(port)).isEqualTo(200);

                // Credentials rotated under the running app, then events of a writer schema it has never seen.
                int v1Id = direct.register(SchemaRegistryClient.valueSubject(input), TextEvent.getClassSchema());
                int v2Id = direct.register(SchemaRegistryClient.valueSubject(input), TEXT_EVENT_V2);
                assertThat(v2Id).isNotEqualTo(v1Id);
                proxy.refuseAll(true);
                produceV2(input, v2Id, after);

                String reason = app.failure().get(60, TimeUnit.SECONDS);
                assertThat(reason).contains("basic.auth.user.info", "HTTP 401").doesNotContain(PASSWORD, basicHeader(PASSWORD));
                assertThat(proxy.refused()).contains("GET /schemas/ids/" + v2Id);
                await(Duration.ofSeconds(30), () -> liveStatus(port) == 503);
                await(Duration.ofSeconds(30), () -> app.streams().state() == KafkaStreams.State.ERROR);
                assertThat(PipelineProbe.processed(kafka.bootstrapServers(), prefix, input))
                        .as("nothing past the unreadable events is committed").isEqualTo(EVENTS);
            }
            assertThat(committedRecords(prefix + ".dlq")).as("dead letters after the revocation").isZero();

            // Credentials fixed: a new instance of the same application reads what the first could not.
            proxy.refuseAll(false);
            try (StreamNlpApplication app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings))) {
                app.start();
                List<String> all = new ArrayList<>(before);
                all.addAll(after);
                assertEachIdOnceInEveryOutput(prefix, all);
                assertThat(app.failure()).isNotDone();
            }
        }
        assertThat(committedRecords(prefix + ".dlq")).as("dead letters").isZero();
    }

    @Test
    void theRunCommandExitsWith3WhenCredentialsAreRevokedMidRun() throws Exception {
        String prefix = "auth-revoked-cli";
        String input = prefix + ".in";
        kafka.createTopics(List.of(input), 2);
        produceDirect(input, ids(prefix + "-v1", 0, EVENTS));
        int v2Id = direct.register(SchemaRegistryClient.valueSubject(input), TEXT_EVENT_V2);
        try (var proxy = AuthenticatingRegistryProxy.https(apicurio, USER, PASSWORD, workDir)) {
            Path log = ChildApp.newLog(workDir, prefix);
            ChildApp child = ChildApp.start(settings(prefix, proxy, PASSWORD), log);
            try {
                child.awaitRunning(Duration.ofSeconds(60));
                await(Duration.ofSeconds(120), () -> PipelineProbe.processed(kafka.bootstrapServers(), prefix, input)
                        == EVENTS);
                proxy.refuseAll(true);
                produceV2(input, v2Id, ids(prefix + "-v2", 0, EVENTS));

                int exit = child.awaitExit(Duration.ofSeconds(60));
                String output = Files.readString(log);
                assertThat(exit).as("exit code; log:%n%s", output).isEqualTo(3);
                assertThat(output.lines().filter(line -> line.contains(" ERROR ") && line.contains("Stopped after a failure:")))
                        .as("the last word of the run; log:%n%s", output)
                        .singleElement().asString().contains("basic.auth.user.info", "HTTP 401");
                // Our own line says it all, without a stack trace (Kafka Streams logs the trace itself).
                List<String> lines = output.lines().toList();
                int stopping = IntStream.range(0, lines.size())
                        .filter(i -> lines.get(i).contains("Stopping this instance:")).findFirst().orElseThrow();
                assertThat(lines.get(stopping)).contains("basic.auth.user.info");
                assertThat(lines.get(stopping + 1)).as("the line after it").matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*");
                assertThat(output).doesNotContain(PASSWORD, basicHeader(PASSWORD));
            } finally {
                child.kill();
            }
        }
        assertThat(committedRecords(prefix + ".dlq")).as("dead letters").isZero();
        assertThat(PipelineProbe.processed(kafka.bootstrapServers(), prefix, input)).isEqualTo(EVENTS);
    }

    // --- helpers ---

    private Map<String, String> settings(String prefix, AuthenticatingRegistryProxy proxy, String password) {
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, proxy.url());
        settings.put(StreamNlpConfig.BASIC_AUTH_USER_INFO, USER + ":" + password);
        if (proxy.trustStore() != null) {
            settings.put(StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION, proxy.trustStore().toString());
            settings.put(StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD, proxy.trustStorePassword());
            settings.put(StreamNlpConfig.SCHEMA_REGISTRY_TRUSTSTORE_TYPE, "PKCS12");
        }
        settings.put(StreamNlpConfig.APPLICATION_ID, prefix);
        settings.put(StreamNlpConfig.INPUT_TOPICS, prefix + ".in:avro");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefix);
        settings.put(StreamNlpConfig.STATE_DIR, workDir.resolve(prefix + "-state").toString());
        settings.put(StreamNlpConfig.METRICS_PORT, "0");
        settings.put(StreamNlpConfig.MODEL_NAME, MODEL);
        // A stopped instance does not leave the group: its successor gets the partitions after this.
        settings.put("kafka.consumer.session.timeout.ms", "6000");
        return settings;
    }

    /** What the Authorization header carries for {@code password}: it must not leak either. */
    private static String basicHeader(String password) {
        return Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> ids(String prefix, int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private <T> void produce(String topic, Serializer<T> serializer,
            List<String> ids, Function<String, T> value) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), serializer)) {
            ids.forEach(id -> producer.send(new ProducerRecord<>(topic, id, value.apply(id))));
        }
    }

    /** TextEvents written with our serializer, registered straight in Apicurio (no proxy). */
    private void produceDirect(String topic, List<String> ids) {
        produce(topic, AvroSerdes.specific(TextEvent.class, direct, false).serializer(), ids,
                id -> TextEvent.newBuilder().setId(id).setText("Order " + id + " arrived on time, well packed.").build());
    }

    /** Events framed with the v2 writer schema's id (already registered), as a newer producer writes them. */
    private void produceV2(String topic, int schemaId, List<String> ids) {
        produce(topic, new ByteArraySerializer(), ids, id -> {
            GenericRecord record = new GenericData.Record(TEXT_EVENT_V2);
            record.put("id", id);
            record.put("text", "Order " + id + " came late, but the support team in Lyon sorted it out.");
            record.put("channel", "mobile-app");
            record.put("attributes", Map.of());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            WireFormat.writeHeader(out, schemaId);
            try {
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                new GenericDatumWriter<GenericRecord>(TEXT_EVENT_V2).write(record, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return out.toByteArray();
        });
    }

    /** Every id exactly once in each of the three output topics (read_committed), nothing else. */
    private void assertEachIdOnceInEveryOutput(String prefix, List<String> expected) {
        Map<String, Long> wanted = expected.stream().collect(Collectors.toMap(id -> id, id -> 1L));
        assertThat(countById(prefix + ".embeddings", EmbeddingRecord.class, EmbeddingRecord::getId, expected.size()))
                .as("embeddings by id").isEqualTo(wanted);
        assertThat(countById(prefix + ".sentiment", SentimentRecord.class, SentimentRecord::getId, expected.size()))
                .as("sentiment by id").isEqualTo(wanted);
        assertThat(countById(prefix + ".entities", EntitiesRecord.class, EntitiesRecord::getId, expected.size()))
                .as("entities by id").isEqualTo(wanted);
    }

    private <T extends SpecificRecord> Map<String, Long> countById(String topic, Class<T> type,
            Function<T, CharSequence> id, int expected) {
        Deserializer<T> deserializer = AvroSerdes.specific(type, direct, false).deserializer();
        List<ConsumerRecord<byte[], T>> records =
                TopicReader.readAll(kafka.bootstrapServers(), topic, deserializer, expected, Duration.ofSeconds(120));
        return records.stream().collect(Collectors.groupingBy(r -> id.apply(r.value()).toString(), Collectors.counting()));
    }

    /** Committed records in a topic, read (read_committed) up to its end; 0 when the topic does not exist. */
    private long committedRecords(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return 0;
            }
        }
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Under read_committed the end is the last stable offset: no open transaction is waited for past it.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + ends);
                }
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private int liveStatus(int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void await(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private boolean topicExists(String topic) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listTopics().names().get().contains(topic);
        }
    }
}
