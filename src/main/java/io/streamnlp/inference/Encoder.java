package io.streamnlp.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

    private Encoder(EncoderSpec spec, Model model, TextTokenizer tokenizer, boolean bucketing) {
        this.spec = spec;
        this.model = model;
        this.tokenizer = tokenizer;
        this.bucketing = bucketing;
    }

    /**
     * Loads a catalogue encoder from the classpath.
     *
     * @param maxLength tokens per text after truncation, special tokens included (at most 512)
     * @param intraOpThreads ONNX Runtime threads inside one call; keep {@code threads x this <= cores}
     * @param bucketing sort each batch by length and pad sub-batches separately
     */
    public static Encoder load(EncoderSpec spec, int maxLength, int intraOpThreads, boolean bucketing) {
        // ONNX Runtime's CPU build, on the CPU: nothing asks it about CUDA (see OfflineDjl).
        Engine engine = OfflineDjl.cpuEngine(ENGINE);
        TextTokenizer tokenizer = new TextTokenizer(spec, maxLength);
        Model model = Model.newInstance(spec.name(), Device.cpu(), engine.getEngineName());
        try (InputStream onnx = ModelResources.open(spec.onnxResource())) {
            model.load(onnx, Map.of("sessionOptions", sessionOptions(intraOpThreads)));
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
        return new Encoder(spec, model, tokenizer, bucketing);
    }

    /**
     * One graph call at a time per session, its work split over {@code intraOpThreads}. Spin-waiting
     * is off: ONNX Runtime's threads would otherwise keep the cores busy between calls, starving
     * the Kafka client threads that share them.
     */
    private static OrtSession.SessionOptions sessionOptions(int intraOpThreads) throws OrtException {
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
        return new EncoderSession(spec, model, bucketing);
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
