package io.streamnlp.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Map;

/**
 * A loaded encoder: the ONNX Runtime session (through DJL) and its tokenizer. Shared by all stream
 * threads; each thread runs it through its own {@link EncoderSession}, because a DJL predictor is
 * not thread-safe while the model is.
 */
public final class Encoder implements AutoCloseable {

    static final String ENGINE = "OnnxRuntime";

    private final EncoderSpec spec;
    private final Model model;
    private final TextTokenizer tokenizer;
    private final boolean bucketing;

    private final String fingerprint;

    private final boolean tokenTypes;
    private final EncoderGraph graph;

    private Encoder(EncoderSpec spec, Model model, TextTokenizer tokenizer, boolean bucketing, boolean tokenTypes,
            String fingerprint, EncoderGraph graph) {
        this.graph = graph;
        this.spec = spec;
        this.model = model;
        this.tokenizer = tokenizer;
        this.bucketing = bucketing;
        this.tokenTypes = tokenTypes;
        this.fingerprint = fingerprint;
    }

    /** Whether the graph takes {@code token_type_ids} (BERT-style) or not (RoBERTa/DistilBERT-style). */
    public boolean takesTokenTypes() {
        return tokenTypes;
    }

    /**
     * What decides the vector space, as 32 hex digits: SHA-256 over the ONNX graph's bytes, the
     * tokenizer.json's bytes, the pooling and the text prefix (and the graph, where it is not the packaged one:
     * {@code model.graph}). Two encoders with the same fingerprint
     * give the same vectors; the max length and the long-text policy only decide how much of a text
     * is seen, not the space.
     */
    public String fingerprint() {
        return fingerprint;
    }

    /** Which graph of the encoder runs ({@code model.graph}). */
    public EncoderGraph graph() {
        return graph;
    }

    /**
     * The {@link #fingerprint()} an encoder of {@code spec} running {@code graph} has, from its files alone: nothing
     * is loaded. How {@code model.graph=auto} recognises an output prefix that holds the packaged graph's vectors.
     */
    public static String fingerprintOf(EncoderSpec spec, EncoderGraph graph) {
        try (InputStream onnx = ModelResources.open(spec, spec.onnxResource());
                InputStream tokenizer = ModelResources.open(spec, spec.tokenizerResource())) {
            MessageDigest graphDigest = Fingerprint.sha256();
            onnx.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), graphDigest));
            return Fingerprint.of(graphDigest.digest(), Fingerprint.sha256().digest(tokenizer.readAllBytes()),
                    spec.pooling().name(), spec.textPrefix(), graph);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read model " + spec.onnxResource(), e);
        }
    }

    /**
     * Loads an encoder: from the classpath for the catalogue, from its directory for a custom one
     * (checked before by {@link CustomModel#load}).
     *
     * @param maxLength tokens per text after truncation, special tokens included (at most 512)
     * @param intraOpThreads ONNX Runtime threads inside one call; keep {@code threads x this <= cores}
     * @param bucketing sort each batch by length and pad sub-batches separately
     */
    public static Encoder load(EncoderSpec spec, int maxLength, int intraOpThreads, boolean bucketing) {
        return load(spec, maxLength, intraOpThreads, bucketing, EncoderGraph.PACKAGED);
    }

    /** As above, running {@code graph}: the packaged file, or its {@link AttentionFusion fused} form. */
    public static Encoder load(EncoderSpec spec, int maxLength, int intraOpThreads, boolean bucketing, EncoderGraph graph) {
        // ONNX Runtime's CPU build, on the CPU: nothing asks it about CUDA (see OfflineDjl).
        Engine engine = OfflineDjl.cpuEngine(ENGINE);
        TextTokenizer tokenizer = new TextTokenizer(spec, maxLength);
        Model model = Model.newInstance(spec.name(), Device.cpu(), engine.getEngineName());
        byte[] graphDigest;
        try (DigestInputStream onnx = new DigestInputStream(ModelResources.open(spec, spec.onnxResource()),
                Fingerprint.sha256())) {
            if (spec.intermediateOutput() == null && graph == EncoderGraph.PACKAGED) {
                model.load(onnx, Map.of("sessionOptions", sessionOptions(intraOpThreads)));
                onnx.transferTo(OutputStream.nullOutputStream()); // the digest covers the whole file, read or not
                graphDigest = onnx.getMessageDigest().digest();
            } else {
                // The file's own bytes make the fingerprint (the fused graph adds its name to it, below); an added
                // output changes no result of the graph.
                byte[] bytes = onnx.readAllBytes();
                graphDigest = onnx.getMessageDigest().digest();
                if (graph == EncoderGraph.FUSED) {
                    bytes = AttentionFusion.fuse(bytes, graphDigest);
                }
                if (spec.intermediateOutput() != null) {
                    bytes = GraphOutputs.withOutput(bytes, spec.intermediateOutput());
                }
                model.load(new ByteArrayInputStream(bytes), Map.of("sessionOptions", sessionOptions(intraOpThreads)));
            }
        } catch (OrtException e) {
            tokenizer.close();
            model.close();
            throw new IllegalStateException("Cannot configure ONNX Runtime", e);
        } catch (IOException e) {
            tokenizer.close();
            model.close();
            throw new UncheckedIOException("Cannot read model " + spec.onnxResource(), e);
        } catch (MalformedModelException e) {
            tokenizer.close();
            model.close();
            throw new IllegalStateException("Cannot load model " + spec.onnxResource(), e);
        }
        // The inputs are the graph's: BERT-style exports take token_type_ids, RoBERTa/DistilBERT-style ones do not.
        boolean tokenTypes = model.describeInput().keys().contains(CustomModel.TOKEN_TYPE_IDS);
        return new Encoder(spec, model, tokenizer, bucketing, tokenTypes,
                Fingerprint.of(graphDigest, tokenizer.fileDigest(), spec.pooling().name(), spec.textPrefix(), graph), graph);
    }

    /**
     * One graph call at a time per session, its work split over {@code intraOpThreads}. Spin-waiting
     * is off: ONNX Runtime's threads would otherwise keep the cores busy between calls, starving
     * the Kafka client threads that share them. Public so that the benchmark runs its own graphs
     * (the int8 ceiling, the operator profile) exactly as the encoder runs.
     */
    public static OrtSession.SessionOptions sessionOptions(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setInterOpNumThreads(1);
        options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    public EncoderSpec spec() {
        return spec;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** A session for the calling thread; close it when the thread is done. */
    public EncoderSession newSession() {
        return new EncoderSession(spec, model, bucketing, tokenTypes);
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
