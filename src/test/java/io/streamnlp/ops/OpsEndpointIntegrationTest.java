package io.streamnlp.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.testing.GrafanaDashboard;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint of a running instance on a real broker: readiness follows Kafka Streams,
 * the scraped counters add up to what went in and out, the histograms saw every encoded text, and
 * no secret from the configuration shows in a log line or a metric. Where the Prometheus server is
 * installed (Debian's {@code prometheus}; {@code .ci/run} installs it), a real one scrapes the
 * instance and is queried, the Grafana dashboard's queries included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsEndpointIntegrationTest {

    private static final String INPUT = "ops.in";
    private static final int VALID = 30;
    private static final int EMPTY = 4;
    private static final String KAFKA_SECRET = "kafka-s3cret-7f3a";
    private static final String REGISTRY_SECRET = "registry-s3cret-91bd";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level kafkaLevel;
    private KafkaTestCluster kafka;
    private StreamNlpApplication app;
    private Path workDir;

    @BeforeAll
    void startAnInstanceWithSecretsInItsConfig() throws Exception {
        workDir = Files.createTempDirectory("ops-it");
        // Kafka's clients print their whole configuration at INFO: capture it too, to check it masks.
        Logger kafkaLogger = (Logger) LoggerFactory.getLogger("org.apache.kafka");
        kafkaLevel = kafkaLogger.getLevel();
        kafkaLogger.setLevel(Level.INFO);
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);

        kafka = KafkaTestCluster.start();
        kafka.createTopics(List.of(INPUT, "ops.embeddings", "ops.sentiment", "ops.entities", "ops.dlq"), 2);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < VALID; i++) {
                producer.send(new ProducerRecord<>(INPUT, "ops-" + i, "Review " + i + ": the staff in Lisbon were lovely."));
            }
            for (int i = 0; i < EMPTY; i++) {
                producer.send(new ProducerRecord<>(INPUT, "empty-" + i, ""));
            }
        }
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.APPLICATION_ID, "ops-test");
        settings.put(StreamNlpConfig.INPUT_TOPICS, INPUT + ":text");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "ops");
        settings.put(StreamNlpConfig.STATE_DIR, workDir.resolve("state").toString());
        settings.put(StreamNlpConfig.METRICS_PORT, "0");
        // Secrets a production config carries. The broker here is PLAINTEXT, so the SASL login is
        // configured but unused; the registry ignores credentials it does not ask for.
        settings.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"streamnlp\" password=\"" + KAFKA_SECRET + "\";");
        settings.put("basic.auth.credentials.source", "USER_INFO");
        settings.put("schema.registry.basic.auth.user.info", "streamnlp:" + REGISTRY_SECRET);
        app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings));
        app.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(kafkaLevel);
    }

    @Test
    void healthAndCountersFollowTheRun() throws Exception {
        int port = app.metricsPort();
        assertThat(port).isPositive();
        await(Duration.ofSeconds(60), () -> get(port, "/health/ready").statusCode() == 200);
        assertThat(get(port, "/health/ready").body()).contains("\"status\":\"UP\"");
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);

        assertThat(TopicReader.readAllBytes(kafka.bootstrapServers(), "ops.embeddings", VALID, Duration.ofSeconds(120)))
                .hasSize(VALID);
        // The binder picks up new task metrics within seconds: poll until the counters add up.
        await(Duration.ofSeconds(60), () -> {
            PrometheusText scrape = PrometheusText.parse(get(port, "/metrics").body());
            return scrape.sum("kafka_streamnlp_records_in_total") == VALID + EMPTY
                    && scrape.sum("kafka_streamnlp_records_out_total") == VALID
                    && scrape.sum("kafka_streamnlp_dead_lettered_total") == EMPTY;
        });
        String body = get(port, "/metrics").body();
        PrometheusText scrape = PrometheusText.parse(body);
        assertThat(scrape.sum("kafka_streamnlp_dead_lettered_total", "reason")).isEqualTo(EMPTY);
        // Every valid text is distinct: each went through the encoder once, in some micro-batch.
        assertThat(scrape.sum("streamnlp_batch_size_texts_sum")).isEqualTo(VALID);
        assertThat(scrape.sum("streamnlp_batch_size_texts_count")).isEqualTo(scrape.sum("streamnlp_encoder_time_seconds_count"))
                .isPositive();
        assertThat(scrape.sum("streamnlp_queue_wait_seconds_count")).isEqualTo(VALID);
        assertThat(scrape.sum("kafka_streamnlp_cache_misses_total")).isEqualTo(VALID);
        assertThat(scrape.sum("streamnlp_model_info")).isEqualTo(1);
        assertThat(body).contains("model=\"e5-small-q\"").contains("application=\"ops-test\"");
        // Kafka Streams' own metrics, bound as they are.
        assertThat(scrape.sum("kafka_stream_thread_process_total")).isPositive();
        assertThat(body).contains("jvm_memory_used_bytes");
        // The stores' RocksDB gauges race a store's close (a native crash): left out, and the memory
        // they describe comes from the shared block cache instead.
        assertThat(scrape.sum("kafka_streamnlp_cache_misses_total")).as("the cache store is open").isPositive();
        assertThat(body).doesNotContain("kafka_stream_state_block_cache_usage")
                .doesNotContain("kafka_stream_state_estimate_num_keys");
        assertThat(scrape.sum("streamnlp_rocksdb_memory_capacity_bytes")).isPositive();

        assertThat(body).doesNotContain(KAFKA_SECRET).doesNotContain(REGISTRY_SECRET);
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).as("Kafka's configuration dump was captured").anyMatch(line -> line.contains("sasl.jaas.config"));
        assertThat(lines).noneMatch(line -> line.contains(KAFKA_SECRET) || line.contains(REGISTRY_SECRET));
    }

    @Test
    void aRealPrometheusServerScrapesIt() throws Exception {
        Path binary = Path.of("/usr/bin/prometheus");
        assumeTrue(Files.isExecutable(binary), "Debian's prometheus package is not installed (.ci/run installs it)");
        int port = app.metricsPort();
        assertThat(TopicReader.readAllBytes(kafka.bootstrapServers(), "ops.embeddings", VALID, Duration.ofSeconds(120)))
                .hasSize(VALID);
        int prometheusPort = freePort();
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: streamnlp
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port));
        Process prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("prometheus.log").toFile())
                .start();
        try {
            await(Duration.ofSeconds(60), () -> query(prometheusPort, "up{job=\"streamnlp\"}") == 1.0
                    && query(prometheusPort, "sum(kafka_streamnlp_records_out_total)") == VALID);
            assertThat(query(prometheusPort, "sum(kafka_streamnlp_dead_lettered_total)")).isEqualTo(EMPTY);
            assertThat(query(prometheusPort, "sum(streamnlp_batch_size_texts_sum)")).isEqualTo(VALID);
            everyDashboardQueryReturnsASeries(prometheusPort, port);
        } finally {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The Grafana dashboard (docker/grafana/dashboards/streamnlp.json) on this Prometheus: every
     * target of every panel, its variables set to "all instances", returns at least one series once
     * the traffic above has been scraped a few times (rate() needs two samples in its window). The
     * series counts go to target/grafana-dashboard-queries.txt.
     */
    private void everyDashboardQueryReturnsASeries(int prometheusPort, int metricsPort) throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.load();
        Map<String, Integer> counts = new LinkedHashMap<>();
        long started = System.nanoTime();
        try {
            await(Duration.ofSeconds(30), () -> {
                for (GrafanaDashboard.Panel panel : dashboard.panels()) {
                    List<String> queries = panel.queries(GrafanaDashboard.ALL_INSTANCES);
                    for (int i = 0; i < queries.size(); i++) {
                        counts.put(panel.title() + " [" + panel.targets().get(i).refId() + "] " + queries.get(i),
                                seriesCount(prometheusPort, queries.get(i)));
                    }
                }
                return counts.values().stream().allMatch(n -> n >= 1);
            });
        } finally {
            StringBuilder report = new StringBuilder("# " + counts.size() + " queries, answered within "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms\n");
            counts.forEach((query, n) -> report.append(n).append('\t').append(query).append('\n'));
            Files.writeString(Path.of("target/grafana-dashboard-queries.txt"), report);
            System.out.print("Grafana dashboard queries (series returned, panel, query):\n" + report);
        }
        assertThat(counts).as("series per dashboard query; the instance exports "
                + PrometheusText.parse(get(metricsPort, "/metrics").body()).names()).allSatisfy((query, n) ->
                assertThat(n).as(query).isPositive());
    }

    /** How many series an instant query returns (-1 when Prometheus rejects it). */
    private int seriesCount(int port, String promQl) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return -1;
        }
        return new ObjectMapper().readTree(response.body()).path("data").path("result").size();
    }

    /** The single value of an instant query, or NaN when it has none (yet). */
    private double query(int port, String promQl) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return Double.NaN;
        }
        JsonNode result = new ObjectMapper().readTree(response.body()).path("data").path("result");
        return result.size() == 1 ? Double.parseDouble(result.get(0).path("value").get(1).asText()) : Double.NaN;
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(250);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Just enough of the Prometheus text format: sums of samples by metric name. */
    private record PrometheusText(List<String> samples) {

        static PrometheusText parse(String body) {
            return new PrometheusText(body.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).toList());
        }

        double sum(String name) {
            return sum(name, null);
        }

        /** The metric names of the samples, for a failure message. */
        java.util.SortedSet<String> names() {
            java.util.SortedSet<String> names = new java.util.TreeSet<>();
            for (String sample : samples) {
                int end = sample.indexOf('{') >= 0 ? sample.indexOf('{') : sample.indexOf(' ');
                names.add(sample.substring(0, end));
            }
            return names;
        }

        /** The sum over the samples of {@code name}, only those with label {@code withLabel} when given. */
        double sum(String name, String withLabel) {
            double sum = 0;
            for (String sample : samples) {
                int end = sample.indexOf('{') >= 0 ? sample.indexOf('{') : sample.indexOf(' ');
                if (sample.substring(0, end).equals(name) && (withLabel == null || sample.contains(withLabel + "=\""))) {
                    sum += Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        }
    }
}
