package io.streamnlp.testing;

import io.streamnlp.inference.EncoderSessions;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.model.HeadProfile;

/** The real default encoder, loaded once per test JVM (loading costs about a second). */
public final class TestEncoder {

    private static Encoder encoder;
    private static final java.util.Map<HeadProfile, Heads> HEADS = new java.util.EnumMap<>(HeadProfile.class);
    private static final java.util.Map<EncoderGraph, Encoder> BY_GRAPH = new java.util.EnumMap<>(EncoderGraph.class);

    private TestEncoder() {}

    public static synchronized Encoder get() {
        if (encoder == null) {
            encoder = Encoder.load(ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL), 256, 1, true);
        }
        return encoder;
    }

    /** The default encoder running {@code graph} ({@code model.graph}), loaded once per test JVM. */
    public static synchronized Encoder get(EncoderGraph graph) {
        return graph == EncoderGraph.PACKAGED ? get() : BY_GRAPH.computeIfAbsent(graph,
                g -> Encoder.load(ModelCatalogue.byName(ModelCatalogue.DEFAULT_MODEL), 256, 1, true, g));
    }

    /** The shipped task heads of the default encoder. */
    public static Heads heads() {
        return heads(HeadProfile.RESEARCH);
    }

    /** The shipped task heads of the default encoder, of one {@code heads.profile}. */
    public static synchronized Heads heads(HeadProfile profile) {
        return HEADS.computeIfAbsent(profile, p -> Heads.load(ModelCatalogue.DEFAULT_MODEL, p));
    }

    private static final java.util.Map<String, Heads> HEADS_BY_GRAPH = new java.util.HashMap<>();

    /** The shipped task heads of the default encoder for {@code graph}, as the application takes them. */
    public static synchronized Heads heads(HeadProfile profile, EncoderGraph graph) {
        return graph == EncoderGraph.PACKAGED ? heads(profile) : HEADS_BY_GRAPH.computeIfAbsent(profile + "/" + graph,
                k -> Heads.load(ModelCatalogue.DEFAULT_MODEL, profile, graph));
    }

    /** Fresh per-thread sessions over the shared encoder (each test counts its own encodes). */
    public static EncoderSessions sessions() {
        return new EncoderSessions(get());
    }

    /** As above, over the default encoder running {@code graph}. */
    public static EncoderSessions sessions(EncoderGraph graph) {
        return new EncoderSessions(get(graph));
    }
}
