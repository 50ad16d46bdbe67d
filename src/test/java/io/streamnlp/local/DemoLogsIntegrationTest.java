package io.streamnlp.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a newcomer sees: {@code bin/streamnlp demo}, the real launcher on the packaged jar (failsafe
 * runs after {@code package}), stdout and stderr together as on a terminal. It must exit 0, print
 * the live page's address and one line per lifecycle step, and not a single warning or error but
 * those listed in {@link #EXPECTED} (none today: each one found was fixed at its source, see
 * {@code ExpectedKafkaWarnings}, {@code OfflineDjl}, {@code DemoStateDir} and the launcher's JDK
 * flags). {@code --loop} must keep feeding the page until SIGTERM, and then stop cleanly, exit 0.
 */
class DemoLogsIntegrationTest {

    /** Warning or error lines the demo may print, as patterns, each with the reason it is acceptable. Empty. */
    private static final List<Pattern> EXPECTED = List.of();

    /** A log line at WARN or ERROR (text format), a JDK warning, or a stack trace. */
    private static final Pattern TROUBLE = Pattern.compile(
            "^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR) |^WARNING: |^\\s+at [\\w.$]+\\(|^Exception|^Caused by|^SLF4J|^OpenJDK .*[Ww]arning");
    private static final Pattern PAGE = Pattern.compile("Live page: http://localhost:(\\d+)/");
    /** Every lifecycle step the demo logs, once each (besides its own stdout lines). */
    private static final List<String> LIFECYCLE = List.of(
            "i.s.l.LocalKafkaBroker - Local Kafka broker ready at 127.0.0.1:",
            "i.s.a.StreamNlpApplication - Loaded encoder e5-small-q",
            "i.s.a.StreamNlpApplication - Loaded task heads ",
            "i.s.a.StreamNlpApplication - Starting streamnlp-demo on ",
            "i.s.a.StreamNlpApplication - Result cache placed by input partition: cache.placement=auto, and no "
                    + "streamnlp-demo-by-text from an earlier run",
            "i.s.ops.OpsServer - Serving the live page, /metrics, /health/live and /health/ready on port ",
            "Kafka Streams state CREATED -> REBALANCING",
            "Kafka Streams state REBALANCING -> RUNNING",
            "Kafka Streams state RUNNING -> PENDING_SHUTDOWN",
            "Kafka Streams state PENDING_SHUTDOWN -> NOT_RUNNING",
            "i.s.a.StreamNlpApplication - Stopped");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theDemoPrintsWhatANewcomerNeedsAndNoWarning() throws Exception {
        Path log = log("demo");
        Process demo = start(log, "demo", "--rows", "3", "--set", "metrics.port=0");
        assertThat(demo.waitFor(5, TimeUnit.MINUTES)).as("the demo ends by itself, see %s", log).isTrue();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        System.out.println("The demo's first 20 lines:\n" + String.join("\n", lines.subList(0, Math.min(20, lines.size()))));
        assertThat(demo.exitValue()).as("exit code, see %s", log).isZero();

        assertNoUnexpectedTrouble(lines, log);
        assertLifecycleOnce(lines, log);
        assertThat(lines).as("output of %s", log)
                .contains("Starting a local Kafka broker and Apicurio Registry...",
                        "Produced 300 sample reviews to streamnlp.reviews (Avro, Confluent wire format)",
                        "Demo finished; everything stopped.")
                .anyMatch(line -> PAGE.matcher(line).find())
                .anyMatch(line -> line.startsWith("Received 300 embedding, 300 sentiment and 300 entities records in "))
                .noneMatch(line -> line.contains("Building StreamNLP"));
        // Nothing else at INFO: the demo's own lines, the lifecycle and the accounting at shutdown.
        long logLines = lines.stream().filter(line -> line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).count();
        assertThat(logLines).as("log lines in %s", log).isLessThanOrEqualTo(LIFECYCLE.size() + 2);
    }

    @Test
    void loopKeepsFeedingThePageUntilSigtermThenEverythingStopsCleanly() throws Exception {
        Path log = log("demo-loop");
        Process demo = start(log, "demo", "--rows", "1", "--loop", "--loop-rate", "20", "--set", "metrics.port=0");
        try {
            int port = awaitPagePort(demo, log);
            await(Duration.ofMinutes(3), () -> Files.readString(log).contains("under new ids (--loop)"), demo, log);
            // The loop feeds new records: the page's count of enriched records passes the 300 samples.
            await(Duration.ofMinutes(2), () -> recordsOut(port) >= 340, demo, log);
            JsonNode tail = json(port, "/api/tail?n=5");
            assertThat(tail.path("records").get(0).path("id").asText()).as("the newest record is a loop one").matches("r\\d{4}\\.\\d+");
            demo.destroy(); // SIGTERM, as Ctrl-C would
            assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("the demo stops on SIGTERM, see %s", log).isTrue();
            assertThat(demo.exitValue()).as("exit code after SIGTERM, see %s", log).isZero();
        } finally {
            demo.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertNoUnexpectedTrouble(lines, log);
        assertLifecycleOnce(lines, log);
        assertThat(lines).anyMatch(line -> line.matches("Fed \\d+ more reviews\\.")).contains("Demo finished; everything stopped.");
    }

    private static void assertNoUnexpectedTrouble(List<String> lines, Path log) {
        List<String> trouble = new ArrayList<>();
        for (String line : lines) {
            if (TROUBLE.matcher(line).find() && EXPECTED.stream().noneMatch(p -> p.matcher(line).find())) {
                trouble.add(line);
            }
        }
        assertThat(trouble).as("warnings and errors nobody can act on, in %s", log).isEmpty();
    }

    private static void assertLifecycleOnce(List<String> lines, Path log) {
        for (String step : LIFECYCLE) {
            assertThat(lines.stream().filter(line -> line.contains(step)).count()).as("'%s' in %s", step, log).isEqualTo(1);
        }
    }

    /** The real launcher, with a cache home inside target/ (where the demo keeps its state, not in the JVM's temp dir). */
    private static Process start(Path log, String... args) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        List<String> command = new ArrayList<>();
        command.add(root.resolve("bin/streamnlp").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("XDG_CACHE_HOME", root.resolve("target/demo-cache").toString());
        // The demo's JVM gets a temp directory of its own inside target/ too: Kafka Streams warns about a
        // state dir under java.io.tmpdir, and a clone that lives under /tmp would otherwise put
        // target/demo-cache there. A user's ~/.cache is never under it.
        Path tmp = root.resolve("target/demo-tmp");
        Files.createDirectories(tmp);
        builder.environment().put("STREAMNLP_JAVA_OPTS", "-Xmx1g -Djava.io.tmpdir=" + tmp);
        builder.environment().remove("STREAMNLP_LOG_LEVEL");
        builder.environment().remove("STREAMNLP_LOG_FORMAT");
        return builder.start();
    }

    private static Path log(String name) throws IOException {
        Path dir = Path.of("target", "demo-logs");
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        Files.deleteIfExists(log);
        return log;
    }

    private static int awaitPagePort(Process demo, Path log) throws Exception {
        int[] port = {-1};
        await(Duration.ofMinutes(3), () -> {
            Matcher m = PAGE.matcher(Files.readString(log));
            if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
            }
            return port[0] > 0;
        }, demo, log);
        return port[0];
    }

    private long recordsOut(int port) throws IOException, InterruptedException {
        return json(port, "/api/overview").path("totals").path("recordsOut").asLong();
    }

    private JsonNode json(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static void await(Duration timeout, Callable<Boolean> condition, Process demo, Path log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (!demo.isAlive()) {
                throw new AssertionError("the demo exited with " + demo.exitValue() + ", see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout + ", see " + log);
            }
            Thread.sleep(250); // polling interval of the condition
        }
    }
}
