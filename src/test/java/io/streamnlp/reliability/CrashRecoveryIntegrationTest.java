package io.streamnlp.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.samples.SampleReviews;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.testing.ChildApp;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.PipelineProbe;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline in a child JVM, killed with SIGKILL at random moments while it works, restarted each
 * time; then a read_committed consumer checks the output, read to its settled end offsets.
 * Exactly-once: every input id exactly once, on the embeddings and on the enriched topic.
 * At-least-once: every input id at least once
 * (duplicates are allowed there, and counted). Once with distinct texts (every event an encoder
 * pass) on the default cache placement, and once with the sample reviews repeated through the by-text
 * hop (cache hits and same-batch twins under SIGKILL); each exactly-once run must have resumed texts
 * from the pending-batch store after a kill, or it proved nothing.
 */
@Tag("slow")
class CrashRecoveryIntegrationTest {

    // Enough that all three kills land mid-stream: the pipeline now does ~300 texts/s here, and one restart
    // cycle (rebalance, first commit, the random wait) can process a few thousand events.
    private static final int EVENTS = 12000;
    private static final int PARTITIONS = 4;
    private static final int KILLS = 3;

    @TempDir
    Path workDir;

    @Test
    void exactlyOnceHoldsAcrossRepeatedSigkills() throws Exception {
        Outcome outcome = crashAndRecover(StreamsConfig.EXACTLY_ONCE_V2, false);
        assertThat(outcome.missing()).as("lost ids").isZero();
        assertThat(outcome.duplicates()).as("duplicated ids").isZero();
    }

    @Test
    void atLeastOnceLosesNothingAcrossRepeatedSigkills() throws Exception {
        Outcome outcome = crashAndRecover(StreamsConfig.AT_LEAST_ONCE, false);
        assertThat(outcome.missing()).as("lost ids").isZero();
    }

    @Test
    void exactlyOnceHoldsOnRepeatedTextsThroughTheCacheAndTwinPaths() throws Exception {
        Outcome outcome = crashAndRecover(StreamsConfig.EXACTLY_ONCE_V2, true);
        assertThat(outcome.missing()).as("lost ids").isZero();
        assertThat(outcome.duplicates()).as("duplicated ids").isZero();
    }

    record Outcome(int records, int distinct, int missing, int duplicates, int midStreamKills, long resumedTexts) {}

    private static final Pattern RESUMED = Pattern.compile("resuming (\\d+) text\\(s\\) left in the pending-batch store");

    private Outcome crashAndRecover(String guarantee, boolean repeatedTexts) throws Exception {
        String name = guarantee.replace('_', '-') + (repeatedTexts ? "-repeats" : "");
        String input = name + ".in";
        String prefix = name + ".out";
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()))) {
            kafka.createTopics(List.of(input), PARTITIONS);
            kafka.createTopics(List.of(prefix + ".embeddings", prefix + ".sentiment", prefix + ".entities", prefix + ".enriched",
                    prefix + ".dlq"), PARTITIONS);
            produce(kafka.bootstrapServers(), input, repeatedTexts);

            Map<String, String> settings = new HashMap<>();
            settings.put(StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            settings.put(StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());
            settings.put(StreamNlpConfig.APPLICATION_ID, name);
            settings.put(StreamNlpConfig.INPUT_TOPICS, input + ":text");
            settings.put(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefix);
            settings.put(StreamNlpConfig.PROCESSING_GUARANTEE, guarantee);
            settings.put(StreamNlpConfig.METRICS_PORT, "0");
            settings.put(StreamNlpConfig.STATE_DIR, workDir.resolve("state").toString());
            // A killed member must leave the group quickly so the restart does not wait 45 s for it.
            settings.put("kafka.consumer.session.timeout.ms", "6000");
            settings.put("kafka.consumer.heartbeat.interval.ms", "1000");
            // Commit every second in both modes, so kills land between commits with work in flight.
            settings.put("kafka.commit.interval.ms", "1000");
            // Batches close when full (or after 2 s): under exactly-once the pending store only keeps what
            // waits across a commit, and with the 50 ms default the punctuation empties a partial batch
            // before nearly every commit, so the kills would seldom find texts to resume.
            settings.put(StreamNlpConfig.BATCH_MAX_WAIT_MS, "2000");
            // Polls that do not split into whole batches, as on a live stream: the default poll is 4 batches, and
            // a pre-filled input hands every task whole multiples of 32, so a commit would seldom find a partial
            // batch without the by-text hop (whose transactional reads split them).
            settings.put("kafka.consumer.max.poll.records", "100");
            // The default placement (auto: partition on this fresh application id) in the first two cases; the
            // repeated texts take the by-text hop, so both cache paths are killed mid-work.
            if (repeatedTexts) {
                settings.put(StreamNlpConfig.CACHE_PLACEMENT, "by-text");
            }

            Random random = new Random(42);
            List<Path> logs = new ArrayList<>();
            int midStreamKills = 0;
            for (int kill = 1; kill <= KILLS; kill++) {
                ChildApp child = ChildApp.start(settings, ChildApp.newLog(workDir, name + "-" + kill));
                logs.add(child.log());
                child.awaitRunning(Duration.ofSeconds(90));
                // Kill only once this run has committed progress of its own (on a busy machine the first
                // commit can take seconds), then at a random moment: so every kill lands mid-work.
                // (input offsets: they only grow; "processed" nets out the by-text backlog, aborted writes too)
                long before = PipelineProbe.committed(kafka.bootstrapServers(), name, input);
                long progressDeadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (PipelineProbe.committed(kafka.bootstrapServers(), name, input) <= before && before < EVENTS
                        && System.nanoTime() < progressDeadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(300 + random.nextInt(1500));
                long committedBefore = PipelineProbe.processed(kafka.bootstrapServers(), name, input);
                child.kill();
                if (committedBefore < EVENTS) {
                    midStreamKills++;
                }
                System.out.printf("[%s] SIGKILL %d at %d/%d committed input records%n", name, kill, committedBefore, EVENTS);
            }

            ChildApp last = ChildApp.start(settings, ChildApp.newLog(workDir, name + "-final"));
            logs.add(last.log());
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (PipelineProbe.processed(kafka.bootstrapServers(), name, input) < EVENTS && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            // Read while the last instance runs: texts still collecting in a batch are emitted by it, not
            // left in its pending store by the close (the next start would emit them).
            // At-least-once has duplicates, so the count reaches EVENTS before every id has: read again
            // until every id is there (or the deadline), each read going to the settled end offsets.
            List<? extends org.apache.kafka.clients.consumer.ConsumerRecord<byte[], EmbeddingRecord>> records;
            long readDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            do {
                records = TopicReader.readAll(kafka.bootstrapServers(), prefix + ".embeddings",
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), EVENTS,
                        Duration.ofSeconds(120));
            } while (records.stream().map(r -> r.value().getId()).distinct().count() < EVENTS
                    && System.nanoTime() < readDeadline);
            int exit = last.terminate(Duration.ofSeconds(60));
            // A native abort at shutdown (exit 134) leaves its reason only in the child's log, in a temporary
            // directory that is gone after the test: the failure carries its end.
            assertThat(exit).as("exit code after SIGTERM; the last instance's log ends:%n%s", exit == 0 ? "" : tail(last.log()))
                    .isZero();
            Map<String, Integer> counts = new HashMap<>();
            records.forEach(r -> counts.merge(r.value().getId(), 1, Integer::sum));
            int missing = 0;
            for (int i = 0; i < EVENTS; i++) {
                if (!counts.containsKey("id-" + i)) {
                    missing++;
                }
            }
            int duplicates = records.size() - counts.size();
            // The enriched topic commits in the same transactions: the same ids, once each.
            var enriched = TopicReader.readAll(kafka.bootstrapServers(), prefix + ".enriched",
                    AvroSerdes.specific(EnrichedEvent.class, registry, false).deserializer(), EVENTS, Duration.ofSeconds(60));
            Map<String, Integer> enrichedCounts = new HashMap<>();
            enriched.forEach(r -> enrichedCounts.merge(r.value().getId(), 1, Integer::sum));
            for (int i = 0; i < EVENTS; i++) {
                if (!enrichedCounts.containsKey("id-" + i)) {
                    missing++;
                }
            }
            duplicates += enriched.size() - enrichedCounts.size();
            long resumed = 0;
            for (Path log : logs) {
                Matcher m = RESUMED.matcher(Files.readString(log));
                while (m.find()) {
                    resumed += Long.parseLong(m.group(1));
                }
            }
            Outcome outcome = new Outcome(records.size(), counts.size(), missing, duplicates, midStreamKills, resumed);
            System.out.printf("[%s] %d events in, %d SIGKILLs (%d mid-stream): %s%n", name, EVENTS, KILLS, midStreamKills, outcome);
            assertThat(midStreamKills).as("kills that hit the app while it still had input to process").isGreaterThanOrEqualTo(KILLS);
            if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                // Under exactly-once the by-text records become readable one transaction at a time, so a
                // commit often finds a partial batch in the pending store, and a kill after it leaves texts
                // to resume. Under at-least-once they are readable at once: with the backlog the kills meet,
                // every poll fills whole batches and a commit seldom finds one partial (a CI run saw 0 of 3
                // kills do so). There the resume path is not forced; what is asserted is that nothing is lost.
                assertThat(resumed).as("texts resumed from the pending-batch store after the kills").isPositive();
            }
            var dlq = TopicReader.readAllBytes(kafka.bootstrapServers(), prefix + ".dlq", 0, Duration.ofSeconds(1));
            assertThat(dlq).as("no valid input may be dead-lettered").isEmpty();
            return outcome;
        }
    }

    private static void produce(String bootstrap, String topic, boolean repeatedTexts) {
        List<SampleReviews.Review> samples = SampleReviews.load();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                // Repeats: every other event is one of 50 hot texts, so each task's batches hold cache hits
                // and same-batch twins; the rest stay distinct so the run lasts long enough to be killed.
                String text = repeatedTexts && i % 2 == 0 ? samples.get((i / 2) % 50).text()
                        : samples.get(i % samples.size()).text() + " #" + i;
                producer.send(new ProducerRecord<>(topic, "id-" + i, text));
            }
        }
    }

    /** The last lines of a child's log. */
    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
