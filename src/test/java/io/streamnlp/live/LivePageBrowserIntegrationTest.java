package io.streamnlp.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.samples.SampleReviews;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.Entity;
import io.streamnlp.testing.Chromium;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.PrometheusText;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The live page in a real browser: an instance on the in-JVM broker enriches known texts (sample
 * reviews, some repeated, two empty ones, and texts with clear entities) in three waves; headless
 * Chromium opens the page, its script polls the JSON endpoints and fills the DOM, and the numbers
 * in that DOM must be the ones {@code /metrics} shows, the entities of a produced text must be
 * highlighted in the tail and counted in the top entities. The same browser makes the screenshot
 * ({@code target/live-page.png}; {@code -Dlive.screenshot=docs/live-page.png} also writes it there).
 * Skipped, saying so, only where no Chromium is installed ({@code .ci/run} installs Debian's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LivePageBrowserIntegrationTest {

    private static final String INPUT = "live.in";
    private static final String PREFIX = "live";
    private static final String KNOWN_ID = "known-tim-cook";
    private static final String KNOWN_TEXT = "Tim Cook visited Paris on Monday to open the new Apple store on the Champs-Élysées.";
    private static final int KNOWN_COPIES = 3;
    private static final Map<String, String> MORE_KNOWN = Map.of(
            "known-merkel", "Angela Merkel met Emmanuel Macron in Berlin to talk about the European Union.",
            "known-lisbon", "The staff at the Four Seasons in Lisbon were wonderful, and the view of the Tagus was stunning.");

    private final HttpClient http = HttpClient.newHttpClient();
    private Optional<Chromium> chromium;
    private KafkaTestCluster kafka;
    private StreamNlpApplication app;
    private Path workDir;
    private int valid;
    private int empty;

    @BeforeAll
    void startAnInstanceAndFeedItInWaves() throws Exception {
        chromium = Chromium.find();
        assumeTrue(chromium.isPresent(), "No Chromium on this machine (CHROMIUM_BIN, chromium, chromium-browser, google-chrome): "
                + "the browser test is skipped. .ci/run installs Debian's chromium; or: apt-get install chromium");
        workDir = Files.createTempDirectory("live-page-it");
        kafka = KafkaTestCluster.start();
        kafka.createTopics(List.of(INPUT, PREFIX + ".embeddings", PREFIX + ".sentiment", PREFIX + ".entities", PREFIX + ".dlq"), 2);
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
        settings.put(StreamNlpConfig.APPLICATION_ID, "live-page-test");
        settings.put(StreamNlpConfig.INPUT_TOPICS, INPUT + ":text");
        settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, PREFIX);
        settings.put(StreamNlpConfig.STATE_DIR, workDir.resolve("state").toString());
        settings.put(StreamNlpConfig.METRICS_PORT, "0");
        app = new StreamNlpApplication(ConfigLoader.load(null, Map.of(), settings));
        app.start();
        assertThat(app.livePagePort()).isPositive();

        List<SampleReviews.Review> reviews = SampleReviews.load();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            // Wave 1: sample reviews and two empty texts (dead-lettered as empty-text).
            for (SampleReviews.Review review : reviews.subList(0, 60)) {
                send(producer, review.id(), review.text());
            }
            send(producer, "empty-1", "");
            send(producer, "empty-2", "   ");
            empty = 2;
            producer.flush();
            awaitOut(valid);
            // Wave 2: more reviews, and three copies of one already seen (result cache hits).
            for (SampleReviews.Review review : reviews.subList(60, 90)) {
                send(producer, review.id(), review.text());
            }
            for (int i = 0; i < 3; i++) {
                send(producer, "again-" + i, reviews.getFirst().text());
            }
            producer.flush();
            awaitOut(valid);
            // Wave 3: the texts whose entities the page must show; Tim Cook three times (twice from the cache).
            MORE_KNOWN.forEach((id, text) -> send(producer, id, text));
            for (int i = 2; i <= KNOWN_COPIES; i++) {
                send(producer, KNOWN_ID + "-" + i, KNOWN_TEXT);
            }
            producer.flush();
            send(producer, KNOWN_ID, KNOWN_TEXT);
            producer.flush();
            awaitOut(valid);
        }
    }

    private void send(KafkaProducer<String, String> producer, String id, String text) {
        producer.send(new ProducerRecord<>(INPUT, id, text));
        if (!text.isBlank()) {
            valid++;
        }
    }

    /** Waits (by condition) until /metrics shows {@code out} records enriched and every empty one dead-lettered. */
    private void awaitOut(int out) throws Exception {
        await(Duration.ofSeconds(180), () -> {
            PrometheusText metrics = metrics();
            return metrics.sum("kafka_streamnlp_records_out_total") == out
                    && metrics.sum("kafka_streamnlp_dead_lettered_total") == empty;
        });
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theBrowserShowsWhatMetricsShowsAndTheEntitiesOfAProducedText() throws Exception {
        int port = app.livePagePort();
        PrometheusText metrics = metrics();
        long out = Math.round(metrics.sum("kafka_streamnlp_records_out_total"));
        assertThat(out).isEqualTo(valid);
        // Nothing is in flight any more: every figure below is stable while the browser reads it.
        await(Duration.ofSeconds(30), () -> tail(port).contains("\"id\":\"" + KNOWN_ID + "\""));

        String dom = chromium.orElseThrow().dumpDom("http://127.0.0.1:" + port + "/", 5_000, workDir);
        Files.writeString(workDir.resolve("live-page.html"), dom);
        assertThat(attribute(dom, "body", "data-loaded")).as("the page's script ran and loaded every document").isEqualTo("true");

        // The page's figures are /metrics' figures.
        metrics = metrics();
        assertThat(longValue(dom, "records-in")).isEqualTo(Math.round(metrics.sum("kafka_streamnlp_records_in_total")))
                .isEqualTo(valid + empty);
        assertThat(longValue(dom, "records-out")).isEqualTo(Math.round(metrics.sum("kafka_streamnlp_records_out_total")))
                .isEqualTo(valid);
        assertThat(longValue(dom, "dead-lettered")).isEqualTo(Math.round(metrics.sum("kafka_streamnlp_dead_lettered_total")))
                .isEqualTo(empty);
        Matcher reason = Pattern.compile("<li data-reason=\"empty-text\" data-value=\"(\\d+)\">empty-text: (\\d+)</li>").matcher(dom);
        assertThat(reason.find()).as("the dead-letter reason is listed").isTrue();
        assertThat(Long.parseLong(reason.group(1)))
                .isEqualTo(Math.round(metrics.sum("kafka_streamnlp_dead_lettered_total", "reason", "empty-text"))).isEqualTo(empty);
        double hits = metrics.sum("kafka_streamnlp_cache_hits_total");
        double misses = metrics.sum("kafka_streamnlp_cache_misses_total");
        assertThat(hits).as("the repeated texts were served from the cache").isGreaterThanOrEqualTo(3);
        assertThat(longValue(dom, "cache-hits")).isEqualTo(Math.round(hits));
        assertThat(longValue(dom, "cache-misses")).isEqualTo(Math.round(misses));
        assertThat(Double.parseDouble(attribute(dom, "cache-hit-rate", "data-value"))).isCloseTo(hits / (hits + misses), within(1e-9));
        assertThat(text(dom, "cache-hit-rate")).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f %%", 100 * (hits / (hits + misses))));
        assertThat(text(dom, "records-out")).isEqualTo(String.format(java.util.Locale.US, "%,d", valid));

        // Who and in what state.
        assertThat(text(dom, "state")).isEqualTo("RUNNING");
        assertThat(text(dom, "model")).isEqualTo(metrics.label("streamnlp_model_info", "model"));
        assertThat(text(dom, "model-version")).isEqualTo("(" + metrics.label("streamnlp_model_info", "version") + ")");
        assertThat(text(dom, "heads")).isEqualTo(metrics.label("streamnlp_model_info", "heads"));

        // Batches and latency: present and sane (their windows are the last minute, /metrics' since start).
        double batch = Double.parseDouble(attribute(dom, "batch-size", "data-value"));
        assertThat(batch).isBetween(1.0, 32.0);
        double p50 = Double.parseDouble(attribute(dom, "latency-p50", "data-value"));
        double p99 = Double.parseDouble(attribute(dom, "latency-p99", "data-value"));
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(metrics.sum("streamnlp_event_latency_seconds_count")).isEqualTo(valid);

        // The produced text's entities, as the entities topic has them, are highlighted in its tail entry.
        EntitiesRecord known = entitiesOf(KNOWN_ID);
        assertThat(known.getEntities()).as("the NER head finds entities in '%s'", KNOWN_TEXT).isNotEmpty();
        assertThat(known.getEntities()).extracting(Entity::getText).contains("Tim Cook");
        Matcher record = Pattern.compile("<li class=\"record\" data-id=\"" + KNOWN_ID + "\" data-label=\"(\\w+)\">(.*?)</li>",
                Pattern.DOTALL).matcher(dom);
        assertThat(record.find()).as("the known text is in the tail").isTrue();
        String entry = record.group(2);
        assertThat(entry).as("the tail entry shows the text's detected language").contains(KNOWN_ID + " · en · ");
        for (Entity entity : known.getEntities()) {
            assertThat(entry).as("tail entry of %s", KNOWN_ID).contains("<mark class=\"entity " + entity.getType() + "\" data-type=\""
                    + entity.getType() + "\" title=\"" + entity.getType() + " ");
            assertThat(entry).contains("data-type=\"" + entity.getType() + "\"").contains(">" + html(entity.getText()) + "</mark>");
        }
        assertThat(entry).contains("Tim Cook</mark>");
        assertThat(entry).contains("data-type=\"PER\"");
        // ... and counted among the top entities of its type.
        Entity tim = known.getEntities().stream().filter(e -> e.getText().equals("Tim Cook")).findFirst().orElseThrow();
        String column = section(dom, "entities-" + tim.getType());
        Matcher counted = Pattern.compile("data-entity=\"Tim Cook\" data-count=\"(\\d+)\"").matcher(column);
        assertThat(counted.find()).as("Tim Cook among the top %s entities", tim.getType()).isTrue();
        assertThat(Long.parseLong(counted.group(1))).as("Tim Cook appears in no sample review").isEqualTo(KNOWN_COPIES);

        // The screenshot, made by the same browser.
        Path png = Path.of("target", "live-page.png");
        chromium.orElseThrow().screenshot("http://127.0.0.1:" + port + "/", png, 1280, 1500, 5_000, workDir);
        assertThat(Files.size(png)).isGreaterThan(20_000);
        String copy = System.getProperty("live.screenshot");
        if (copy != null && !copy.isBlank()) {
            Files.copy(png, Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theEndpointsAnswerWithTheirContentTypes() throws Exception {
        int port = app.livePagePort();
        assertThat(get(port, "/").headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(get(port, "/").headers().firstValue("Content-Security-Policy")).get().asString().contains("default-src 'none'");
        assertThat(get(port, "/live.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get(port, "/live.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        for (String api : List.of("/api/overview", "/api/series?seconds=60", "/api/entities?minutes=1&k=3", "/api/tail?n=5")) {
            HttpResponse<String> response = get(port, api);
            assertThat(response.statusCode()).as(api).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(api).hasValue("application/json");
        }
        assertThat(get(port, "/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get(port, "/api/tail?n=ten").statusCode()).isEqualTo(400);
        assertThat(get(port, "/metrics").headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/overview"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get(port, "/api/tail?n=5").body()).contains("\"records\":[");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private EntitiesRecord entitiesOf(String id) {
        try (SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()))) {
            List<ConsumerRecord<byte[], EntitiesRecord>> all = TopicReader.readAll(kafka.bootstrapServers(), PREFIX + ".entities",
                    AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer(), valid, Duration.ofSeconds(60));
            List<EntitiesRecord> matching = new ArrayList<>();
            all.forEach(r -> {
                if (r.value().getId().equals(id)) {
                    matching.add(r.value());
                }
            });
            assertThat(matching).as("entities record of %s", id).hasSize(1);
            return matching.getFirst();
        }
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;");
    }

    /** The opening tag of the element with this id (or the body), as Chromium serialized it. */
    private static String tag(String dom, String id) {
        Matcher m = (id.equals("body") ? Pattern.compile("<body[^>]*>") : Pattern.compile("<[a-z]+ [^>]*\\bid=\"" + id + "\"[^>]*>"))
                .matcher(dom);
        assertThat(m.find()).as("element #%s in the DOM", id).isTrue();
        return m.group();
    }

    private static String attribute(String dom, String id, String attribute) {
        Matcher m = Pattern.compile("\\b" + attribute + "=\"([^\"]*)\"").matcher(tag(dom, id));
        assertThat(m.find()).as("%s of #%s", attribute, id).isTrue();
        return m.group(1);
    }

    private static long longValue(String dom, String id) {
        return Long.parseLong(attribute(dom, id, "data-value"));
    }

    /** The text of a leaf element. */
    private static String text(String dom, String id) {
        Matcher m = Pattern.compile(Pattern.quote(tag(dom, id)) + "([^<]*)<").matcher(dom);
        assertThat(m.find()).as("text of #%s", id).isTrue();
        return m.group(1);
    }

    /** The inner HTML of a list element with this id. */
    private static String section(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\">(.*?)</ol>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("list #%s", id).isTrue();
        return m.group(1);
    }

    private String tail(int port) throws IOException, InterruptedException {
        return get(port, "/api/tail?n=20").body();
    }

    private PrometheusText metrics() throws IOException, InterruptedException {
        return PrometheusText.parse(get(app.metricsPort(), "/metrics").body());
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(200); // polling interval of the condition, not a wait for the outcome
        }
    }
}
