package io.streamnlp.config;

import static io.streamnlp.config.StreamNlpConfig.APPLICATION_ID;
import static io.streamnlp.config.StreamNlpConfig.BOOTSTRAP_SERVERS;
import static io.streamnlp.config.StreamNlpConfig.GROUP_KAFKA;
import static io.streamnlp.config.StreamNlpConfig.NUM_STREAM_THREADS;
import static io.streamnlp.config.StreamNlpConfig.PROCESSING_GUARANTEE;
import static io.streamnlp.config.StreamNlpConfig.STATE_DIR;
import static io.streamnlp.config.StreamNlpConfig.STATE_MEMORY_BYTES;

import io.streamnlp.state.BoundedRocksDbMemory;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The {@value StreamNlpConfig#GROUP_KAFKA} settings: the cluster, the application id, threads, guarantee and state.
 */
final class KafkaGroup {

    private KafkaGroup() {
    }

    static void define(ConfigDefinitions definitions) {
        definitions.group(GROUP_KAFKA);
        definitions.define(APPLICATION_ID, Type.STRING, "streamnlp", null, Importance.HIGH, Width.MEDIUM, "Application id",
                "Kafka Streams application id: consumer group, prefix of internal topics. Instances with the same id share the work.");
        definitions.define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", null, Importance.HIGH, Width.LONG, "Bootstrap servers",
                "Kafka bootstrap servers.");
        definitions.define(NUM_STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM, Width.SHORT, "Stream threads",
                "Kafka Streams threads in this instance; each has its own encoder session.");
        definitions.define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                Width.MEDIUM, "Processing guarantee",
                "exactly_once_v2 (default) or at_least_once.");
        definitions.define(STATE_DIR, Type.STRING, Path.of(System.getProperty("java.io.tmpdir"), "streamnlp-state").toString(),
                null, Importance.MEDIUM, Width.LONG, "State directory",
                "Directory of the RocksDB state stores (pending batches, result cache).");
        definitions.define(STATE_MEMORY_BYTES, Type.LONG, BoundedRocksDbMemory.DEFAULT_MEMORY_BYTES,
                Range.atLeast(BoundedRocksDbMemory.MIN_MEMORY_BYTES), Importance.MEDIUM, Width.SHORT, "State memory (bytes)",
                "Off-heap bytes for all RocksDB state stores of this instance together, whatever its number of tasks: one "
                        + "shared block cache with a strict limit, holding index and filter blocks too, to which the memtables "
                        + "are charged (at most a quarter of it). The default, 512 MiB, fits the shipped 4 GiB pod: 2 GiB heap "
                        + "(-Xmx2g) + about 1 GiB ONNX Runtime and JVM native memory + this leaves about 0.5 GiB headroom. "
                        + "Result-cache entries beyond it stay on disk.");
    }
}
