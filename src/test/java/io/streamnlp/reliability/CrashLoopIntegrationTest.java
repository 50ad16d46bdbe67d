package io.streamnlp.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.enrich.FaultInjection;
import io.streamnlp.testing.ChildApp;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A fault that fails the stream thread every time (the encoder fails on every call, also on its
 * self-test, so no text is to blame): the thread is replaced with backoff and each replacement is
 * counted; after {@code max.thread.replacements} the instance gives up, {@code /health/live} goes
 * down, and the process exits 3. Nothing is dead-lettered: it was never the record's fault.
 */
@Tag("slow")
class CrashLoopIntegrationTest {

    private static final Pattern PORT = Pattern.compile("Serving .*/metrics.* on port (\\d+)");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void repeatedThreadFailuresAreCountedBackedOffThenStopTheInstance() throws Exception {
        Path dir = Files.createTempDirectory("crash-loop-it");
        try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
            kafka.createTopics(List.of("loop.in"), 1);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("loop.in", "only", "A perfectly good review from Madrid.")).get();
            }
            Map<String, String> settings = new HashMap<>();
            settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
            settings.put(StreamNlpConfig.APPLICATION_ID, "crash-loop");
            settings.put(StreamNlpConfig.INPUT_TOPICS, "loop.in:text");
            settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "loop");
            settings.put(StreamNlpConfig.STATE_DIR, dir.resolve("state").toString());
            settings.put(StreamNlpConfig.MAX_THREAD_REPLACEMENTS, "2");
            settings.put(StreamNlpConfig.THREAD_REPLACEMENT_BACKOFF_MS, "500");
            // A replaced thread rejoins once the dead member's session expires: the broker's minimum, not 45 s.
            settings.put("kafka.consumer.session.timeout.ms", "6000");
            Path log = ChildApp.newLog(dir, "loop");
            ChildApp child = ChildApp.start("run", List.of(), settings, log,
                    List.of("-D" + FaultInjection.ENCODER_PROPERTY + "=true"));

            int port = awaitPort(log, child);
            boolean sawNotReadyWhileReplacing = false;
            double replacementsSeen = 0;
            boolean sawLiveDown = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            while (child.isAlive() && System.nanoTime() < deadline) {
                try {
                    String metrics = get(port, "/metrics").body();
                    replacementsSeen = Math.max(replacementsSeen, value(metrics, "streamnlp_thread_replacements_total"));
                    int ready = get(port, "/health/ready").statusCode();
                    sawNotReadyWhileReplacing |= replacementsSeen > 0 && ready == 503;
                    sawLiveDown |= get(port, "/health/live").statusCode() == 503;
                } catch (IOException closedMeanwhile) {
                    // the endpoint closes as the process ends
                }
                Thread.sleep(50); // poll interval of the probes, like a kubelet's (much faster)
            }
            int exit = child.awaitExit(Duration.ofSeconds(60));
            String output = Files.readString(log);
            assertThat(exit).as("exit code, see %s", log).isEqualTo(3);
            assertThat(replacementsSeen).as("replacements counted before giving up").isEqualTo(2);
            assertThat(sawNotReadyWhileReplacing).as("/health/ready down while a thread was replaced").isTrue();
            assertThat(sawLiveDown).as("/health/live down before the process exited").isTrue();
            assertThat(output).contains("replacing it in 500 ms", "replacing it in 1000 ms",
                    "max.thread.replacements=2");
            assertThat(TopicReader.readAllBytes(kafka.bootstrapServers(), "loop.dlq", 0, Duration.ofSeconds(10)))
                    .as("never the record's fault: nothing dead-lettered").isEmpty();
        }
    }

    private static int awaitPort(Path log, ChildApp child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && child.isAlive()) {
            Matcher m = PORT.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no ops endpoint in " + log);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String prometheusText, String metric) {
        Matcher m = Pattern.compile("^" + metric + "(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(prometheusText);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
