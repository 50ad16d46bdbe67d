package io.streamnlp.topology;

/** Node and store names of the topology; stable, since state stores and their changelogs use them. */
public final class TopologyNames {
    public static final String INGEST_PREFIX = "ingest-";
    public static final String SOURCE_PREFIX = "source-";
    /** A replay's gate between a source and its ingest stage (see replay.ReplayGate). */
    public static final String GATE_PREFIX = "gate-";
    public static final String ROUTE_BY_TEXT = "route-by-text";
    public static final String BY_TEXT_SINK = "by-text-sink";
    public static final String BY_TEXT_SOURCE = "by-text-source";
    public static final String BATCH = "micro-batch";
    public static final String FAN_OUT = "fan-out";
    public static final String EMBEDDINGS_SINK = "embeddings-sink";
    public static final String SENTIMENT_SINK = "sentiment-sink";
    public static final String ENTITIES_SINK = "entities-sink";
    public static final String ENRICHED_SINK = "enriched-sink";
    public static final String LABELS_SINK = "labels-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    /** With pii.redact: between the stages that dead-letter and the sink (see DeadLetterRedactor). */
    public static final String REDACT_DEAD_LETTERS = "redact-dead-letters";
    /** Changelogged store of texts consumed but not yet emitted (see BatchingProcessor). */
    public static final String PENDING_STORE = "pending-batch";
    /** Changelogged store of results by text (see cache.ResultCache), placed by text behind the by-text hop. */
    public static final String RESULT_CACHE_STORE = "result-cache";
    /**
     * The same with {@code cache.placement=partition}: a store of its own, so that its changelog (one
     * partition per input partition) never meets the by-text store's (one per by-text partition).
     */
    public static final String PARTITION_CACHE_STORE = "partition-result-cache";

    private TopologyNames() {}
}
