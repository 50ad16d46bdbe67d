package io.streamnlp.topology;

/** Node and store names of the topology; stable, since state stores and their changelogs use them. */
public final class TopologyNames {
    public static final String INGEST_PREFIX = "ingest-";
    public static final String SOURCE_PREFIX = "source-";
    public static final String BATCH = "micro-batch";
    public static final String FAN_OUT = "fan-out";
    public static final String EMBEDDINGS_SINK = "embeddings-sink";
    public static final String SENTIMENT_SINK = "sentiment-sink";
    public static final String ENTITIES_SINK = "entities-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    /** Changelogged store of texts consumed but not yet emitted (see BatchingProcessor). */
    public static final String PENDING_STORE = "pending-batch";

    private TopologyNames() {}
}
