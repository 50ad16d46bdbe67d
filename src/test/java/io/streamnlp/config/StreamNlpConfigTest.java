package io.streamnlp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.batching.BatchSettings;
import io.streamnlp.cache.CacheSettings;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.LongTextPolicy;
import io.streamnlp.ingest.InputFormat;
import io.streamnlp.model.HeadPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class StreamNlpConfigTest {

    @Test
    void everyKeyIsInOneOfTheGroupsInOrder() {
        assertThat(StreamNlpConfig.DEFINITION.groups()).containsExactly(
                StreamNlpConfig.GROUP_KAFKA, StreamNlpConfig.GROUP_INPUT, StreamNlpConfig.GROUP_MODEL,
                StreamNlpConfig.GROUP_BATCHING, StreamNlpConfig.GROUP_CACHE, StreamNlpConfig.GROUP_REGISTRY,
                StreamNlpConfig.GROUP_OUTPUT, StreamNlpConfig.GROUP_OPERATIONS, StreamNlpConfig.GROUP_PRIVACY);
        for (ConfigDef.ConfigKey key : StreamNlpConfig.DEFINITION.configKeys().values()) {
            assertThat(key.group).as(key.name).isNotNull();
            assertThat(key.orderInGroup).as(key.name).isPositive();
            assertThat(key.displayName).as(key.name).isNotBlank();
            assertThat(key.documentation).as(key.name).isNotBlank();
        }
    }

    @Test
    void inputFormatsAreTheEnumsNames() {
        List<String> names = Arrays.stream(InputFormat.values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList();
        for (String name : names) {
            new StreamNlpConfig(Map.of(StreamNlpConfig.INPUT_FORMAT, name));
        }
        assertThat(StreamNlpConfig.DEFINITION.configKeys().get(StreamNlpConfig.INPUT_FORMAT).validator.toString())
                .isEqualTo(names.toString());
        assertThatThrownBy(() -> new StreamNlpConfig(Map.of(StreamNlpConfig.INPUT_FORMAT, "protobuf")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void typedAccessorsReadTheDefaults() {
        StreamNlpConfig config = new StreamNlpConfig(Map.of());
        assertThat(config.applicationId()).isEqualTo("streamnlp");
        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(config.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "streamnlp-state"));
        assertThat(config.modelName()).isEqualTo("e5-small-q");
        assertThat(config.maxLength()).isEqualTo(256);
        assertThat(config.maxTextBytes()).isEqualTo(100_000);
        assertThat(config.bucketing()).isTrue();
        assertThat(config.batchInvariant()).isFalse();
        assertThat(config.batchSettings()).isEqualTo(new BatchSettings(32, 8192, 20L, false, new LongTextPolicy(LongTextPolicy.Mode.WINDOW, 0, 32), true));
        assertThat(config.cacheEnabled()).isTrue();
        assertThat(config.cacheSettings()).isEqualTo(new CacheSettings(100_000L, 256L * 1024 * 1024, 7L * 24 * 3600 * 1000));
        assertThat(config.outputTopicPrefix()).isEqualTo("streamnlp");
        assertThat(config.metricsPort()).isEqualTo(9464);
        assertThat(config.metricsBindAddress()).as("all interfaces: Kubernetes probes the pod's IP").isEqualTo("0.0.0.0");
        assertThat(config.accountingLogInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.byTextTopic()).isEqualTo("streamnlp-by-text");
        assertThat(config.cachePlacement()).isEqualTo(CachePlacement.AUTO);
        assertThat(config.modelGraphAuto()).isTrue();
    }

    @Test
    void modelGraphAutoIsResolvedBeforeTheEncoderLoads() {
        StreamNlpConfig auto = new StreamNlpConfig(Map.of());
        assertThatThrownBy(auto::modelGraph).as("unresolved: no encoder may load from it")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("model.graph=auto");
        StreamNlpConfig resolved = auto.withModelGraphResolved(EncoderGraph.FUSED);
        assertThat(resolved.modelGraphAuto()).isFalse();
        assertThat(resolved.modelGraph()).isEqualTo(EncoderGraph.FUSED);
        assertThat(resolved.applicationId()).as("every other setting kept").isEqualTo(auto.applicationId());
        StreamNlpConfig pinned = new StreamNlpConfig(Map.of(StreamNlpConfig.MODEL_GRAPH, "packaged"));
        assertThat(pinned.withModelGraphResolved(EncoderGraph.FUSED).modelGraph()).as("a named graph is not changed")
                .isEqualTo(EncoderGraph.PACKAGED);
        assertThatThrownBy(() -> new StreamNlpConfig(Map.of(StreamNlpConfig.MODEL_GRAPH, "quick")))
                .hasMessageContaining("model.graph").hasMessageContaining("auto");
    }

    @Test
    void cachePlacementAutoKeepsTheHopOnlyWhereItsTopicExists() {
        StreamNlpConfig auto = new StreamNlpConfig(Map.of());
        assertThatThrownBy(auto::byTextHop).as("unresolved: no topology may be built from it")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cache.placement=auto");
        StreamNlpConfig upgraded = auto.withCachePlacementResolved(true);
        assertThat(upgraded.cachePlacement()).as("an application that ran with the hop").isEqualTo(CachePlacement.BY_TEXT);
        assertThat(upgraded.byTextHop()).isTrue();
        StreamNlpConfig fresh = auto.withCachePlacementResolved(false);
        assertThat(fresh.cachePlacement()).as("a fresh application id").isEqualTo(CachePlacement.PARTITION);
        assertThat(fresh.byTextHop()).isFalse();
        assertThat(fresh.applicationId()).as("every other setting kept").isEqualTo(auto.applicationId());

        StreamNlpConfig pinned = new StreamNlpConfig(Map.of(StreamNlpConfig.CACHE_PLACEMENT, "partition"));
        assertThat(pinned.withCachePlacementResolved(true).byTextHop()).as("an explicit placement is not changed").isFalse();
        StreamNlpConfig off = new StreamNlpConfig(Map.of(StreamNlpConfig.CACHE_ENABLED, "false"));
        assertThat(off.byTextHop()).as("no cache, no hop, nothing to resolve").isFalse();
        assertThatThrownBy(() -> new StreamNlpConfig(Map.of(StreamNlpConfig.CACHE_PLACEMENT, "nearby")))
                .hasMessageContaining("cache.placement").hasMessageContaining("auto");
    }

    @Test
    void typedAccessorsReadTheSettings() {
        StreamNlpConfig config = new StreamNlpConfig(Map.of(
                StreamNlpConfig.BATCH_MAX_RECORDS, "8",
                StreamNlpConfig.BATCH_MAX_TOKENS, "4096",
                StreamNlpConfig.BATCH_MAX_WAIT_MS, "5",
                StreamNlpConfig.INFERENCE_BATCH_INVARIANT, "true",
                StreamNlpConfig.CACHE_MAX_ENTRIES, "10",
                StreamNlpConfig.CACHE_MAX_BYTES, "2048",
                StreamNlpConfig.CACHE_TTL_MS, "1000",
                StreamNlpConfig.ACCOUNTING_LOG_INTERVAL_S, "5",
                StreamNlpConfig.METRICS_BIND_ADDRESS, " 127.0.0.1 ",
                StreamNlpConfig.STATE_DIR, "/var/lib/streamnlp"));
        assertThat(config.metricsBindAddress()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> new StreamNlpConfig(Map.of(StreamNlpConfig.METRICS_BIND_ADDRESS, " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(StreamNlpConfig.METRICS_BIND_ADDRESS);
        assertThat(config.batchSettings()).isEqualTo(new BatchSettings(8, 4096, 5L, true, new LongTextPolicy(LongTextPolicy.Mode.WINDOW, 0, 16), true));
        assertThat(new StreamNlpConfig(Map.of(StreamNlpConfig.BATCH_OVERLAP, "false")).batchSettings().overlap()).isFalse();
        assertThat(config.cacheSettings()).isEqualTo(new CacheSettings(10, 2048, 1000));
        assertThat(config.accountingLogInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/streamnlp"));
        assertThat(config.streamsProperties().getProperty("state.dir")).isEqualTo("/var/lib/streamnlp");
    }

    @Test
    void outputsSelectTheTopicsAndTheHeadsThatRun() {
        StreamNlpConfig all = new StreamNlpConfig(Map.of(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "p"));
        assertThat(all.outputs()).containsExactly(OutputKind.EMBEDDINGS, OutputKind.SENTIMENT, OutputKind.ENTITIES,
                OutputKind.ENRICHED);
        assertThat(all.headPlan()).isEqualTo(HeadPlan.ALL);
        assertThat(all.outputTopics().all()).containsExactly("p.embeddings", "p.sentiment", "p.entities", "p.enriched",
                "p.dlq");
        assertThat(all.writesVectors()).isTrue();

        StreamNlpConfig vectors = new StreamNlpConfig(Map.of(StreamNlpConfig.OUTPUT_TOPIC_PREFIX, "p",
                StreamNlpConfig.OUTPUTS, "embeddings"));
        assertThat(vectors.headPlan()).isEqualTo(HeadPlan.NONE);
        assertThat(vectors.outputTopics().all()).containsExactly("p.embeddings", "p.dlq");
        assertThat(new StreamNlpConfig(Map.of(StreamNlpConfig.OUTPUTS, " Entities ,sentiment")).headPlan())
                .isEqualTo(HeadPlan.ALL);
        assertThat(new StreamNlpConfig(Map.of(StreamNlpConfig.OUTPUTS, "entities")).headPlan())
                .isEqualTo(new HeadPlan(false, true));
        assertThat(new StreamNlpConfig(Map.of(StreamNlpConfig.OUTPUTS, "enriched")).headPlan()).isEqualTo(HeadPlan.ALL);
        assertThat(new StreamNlpConfig(Map.of(StreamNlpConfig.OUTPUTS, "enriched")).writesVectors()).isTrue();
        assertThat(new StreamNlpConfig(Map.of(StreamNlpConfig.OUTPUTS, "enriched,sentiment",
                StreamNlpConfig.ENRICHED_INCLUDE_EMBEDDING, "false")).writesVectors()).isFalse();
    }

    @Test
    void outputsMustNameKnownOutputsOnce() {
        assertThatThrownBy(() -> new StreamNlpConfig(Map.of(StreamNlpConfig.OUTPUTS, "embeddings,vectors")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Unknown output 'vectors'");
        assertThatThrownBy(() -> new StreamNlpConfig(Map.of(StreamNlpConfig.OUTPUTS, "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new StreamNlpConfig(Map.of(StreamNlpConfig.OUTPUTS, "sentiment,sentiment")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("twice");
    }

    @Test
    void encoderThreadsDefaultToOneSingleThreadedCallPerCoreOfEachStreamThread() {
        int cores = Runtime.getRuntime().availableProcessors();
        StreamNlpConfig defaults = new StreamNlpConfig(Map.of());
        assertThat(defaults.intraOpThreads()).isEqualTo(1);
        assertThat(defaults.parallelCalls()).isEqualTo(cores);
        assertThat(defaults.coresPerStreamThread()).isEqualTo(cores);

        StreamNlpConfig oneCall = new StreamNlpConfig(Map.of(StreamNlpConfig.INFERENCE_PARALLEL_CALLS, "1"));
        assertThat(oneCall.intraOpThreads()).isEqualTo(cores);
        assertThat(oneCall.parallelCalls()).isEqualTo(1);

        StreamNlpConfig twoThreads = new StreamNlpConfig(Map.of(StreamNlpConfig.NUM_STREAM_THREADS, Integer.toString(cores)));
        assertThat(twoThreads.parallelCalls()).isEqualTo(1);
        assertThat(twoThreads.intraOpThreads()).isEqualTo(1);

        StreamNlpConfig explicit = new StreamNlpConfig(Map.of(StreamNlpConfig.INFERENCE_INTRA_OP_THREADS, "3",
                StreamNlpConfig.INFERENCE_PARALLEL_CALLS, "2"));
        assertThat(explicit.intraOpThreads()).isEqualTo(3);
        assertThat(explicit.parallelCalls()).isEqualTo(2);
        assertThat(explicit.coresPerStreamThread()).isEqualTo(6);
    }

    @Test
    void latencyDefaultsShortenKafkasWaitsAndKafkaSettingsWin() {
        var eos = new StreamNlpConfig(Map.of()).streamsProperties();
        assertThat(eos.get("poll.ms")).isEqualTo(10L);
        assertThat(eos.get("consumer.fetch.max.wait.ms")).isEqualTo(10);
        assertThat(eos.get("commit.interval.ms")).isEqualTo(50L);

        var alos = new StreamNlpConfig(Map.of(StreamNlpConfig.PROCESSING_GUARANTEE, "at_least_once")).streamsProperties();
        assertThat(alos).doesNotContainKey("commit.interval.ms"); // Kafka's own at-least-once default stays

        var overridden = new StreamNlpConfig(Map.of("kafka.poll.ms", "100", "kafka.commit.interval.ms", "100",
                "kafka.consumer.fetch.max.wait.ms", "500")).streamsProperties();
        assertThat(overridden.get("poll.ms")).isEqualTo("100");
        assertThat(overridden.get("commit.interval.ms")).isEqualTo("100");
        assertThat(overridden.get("consumer.fetch.max.wait.ms")).isEqualTo("500");
    }

    @Test
    void aMaxRecordBytesWhoseByTextRecordCouldPassMaxRequestSizeIsRefusedNamingBoth() {
        assertThat(new StreamNlpConfig(Map.of()).inputLimits().maxRecordBytes()).isEqualTo(450_000);
        assertThat(new StreamNlpConfig(Map.of()).recordBudget().limit()).isEqualTo(1_048_576);
        assertThatThrownBy(() -> new StreamNlpConfig(Map.of(StreamNlpConfig.MAX_RECORD_BYTES, "600000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.record.bytes").hasMessageContaining("max.request.size=1048576")
                .hasMessageContaining("kafka.producer.max.request.size");
        StreamNlpConfig raised = new StreamNlpConfig(Map.of(StreamNlpConfig.MAX_RECORD_BYTES, "600000",
                "kafka.producer.max.request.size", "2000000"));
        assertThat(raised.recordBudget().limit()).isEqualTo(2_000_000);
        assertThat(raised.streamsProperties().get("producer.max.request.size")).isEqualTo("2000000");
    }
}
