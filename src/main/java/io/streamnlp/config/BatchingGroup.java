package io.streamnlp.config;

import static io.streamnlp.config.StreamNlpConfig.BATCH_BUCKETING;
import static io.streamnlp.config.StreamNlpConfig.BATCH_MAX_RECORDS;
import static io.streamnlp.config.StreamNlpConfig.BATCH_MAX_TOKENS;
import static io.streamnlp.config.StreamNlpConfig.BATCH_MAX_WAIT_MS;
import static io.streamnlp.config.StreamNlpConfig.BATCH_OVERLAP;
import static io.streamnlp.config.StreamNlpConfig.GROUP_BATCHING;
import static io.streamnlp.config.StreamNlpConfig.INFERENCE_BATCH_INVARIANT;

import io.streamnlp.inference.TextTokenizer;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The {@value StreamNlpConfig#GROUP_BATCHING} settings: when a micro-batch closes and how its texts meet the encoder.
 */
final class BatchingGroup {

    private BatchingGroup() {
    }

    static void define(ConfigDefinitions definitions) {
        definitions.group(GROUP_BATCHING);
        definitions.define(BATCH_MAX_RECORDS, Type.INT, 32, Range.between(1, 4096), Importance.MEDIUM, Width.SHORT,
                "Max records per batch",
                "A micro-batch closes when it holds this many texts. 1 turns batching off.");
        definitions.define(BATCH_MAX_TOKENS, Type.INT, 8192, Range.atLeast(TextTokenizer.HARD_MAX_LENGTH), Importance.MEDIUM,
                Width.SHORT, "Max tokens per batch",
                "A micro-batch closes before its padded size (texts x longest text, in tokens) would pass this budget; bounds encoder memory.");
        definitions.define(BATCH_MAX_WAIT_MS, Type.LONG, 20L, Range.atLeast(0), Importance.MEDIUM, Width.SHORT, "Max batch wait (ms)",
                "A micro-batch closes this long (wall clock) after its first text arrived, full or not. 20 ms: under load batches fill up first; at half load a longer wait only adds latency (bench --levers).");
        definitions.define(BATCH_BUCKETING, Type.BOOLEAN, true, null, Importance.LOW, Width.SHORT, "Length bucketing",
                "Sort each batch by length and pad length buckets separately: less padding. fp32 results are unchanged; int8 encoders quantize per tensor, so batch composition moves their vectors slightly (cosine ~0.99).");
        definitions.define(BATCH_OVERLAP, Type.BOOLEAN, true, null, Importance.LOW, Width.SHORT, "Overlap batches",
                "Run a closed batch on an encoder thread while the stream thread polls, deserializes, writes state and commits, and fills the next batch; its results are forwarded at the stream thread's next record or punctuation. A task hands over up to two batches at once (the next one queued while the last one's results are forwarded), and waits when a third closes. Texts consumed but not yet emitted stay in the pending-batch store, so a crash or a task move loses and doubles nothing either way. false: each batch runs on the stream thread before it reads on.");
        definitions.define(INFERENCE_BATCH_INVARIANT, Type.BOOLEAN, false, null, Importance.LOW, Width.SHORT, "Batch invariant",
                "Run each text through the encoder in its own call, so its outputs never depend on its batch mates: int8 encoders quantize activations per tensor, so batched, a vector moves by cosine ~0.006 with the other texts (fp32 ones by < 1e-4). Costs ~20% of encoder throughput with e5-small-q on 2 cores; Kafka, state-store and head work stay batched. The replay command turns it on.");
    }
}
