package io.streamnlp.inference;

import ai.djl.MalformedModelException;
import ai.djl.Model;
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
     * @param intraOpThreads ONNX Runtime threads inside one call; keep threads x this <= cores
     * @param bucketing sort each batch by length and pad sub-batches separately
     */
    public static Encoder load(EncoderSpec spec, int maxLength, int intraOpThreads, boolean bucketing) {
        OfflineDjl.configure();
        TextTokenizer tokenizer = new TextTokenizer(spec, maxLength);
        Model model = Model.newInstance(spec.name(), "OnnxRuntime");
        // DJL applies intraOpNumThreads only when interOpNumThreads is set too.
        Map<String, String> options = Map.of(
                "interOpNumThreads", "1",
                "intraOpNumThreads", Integer.toString(Math.max(1, intraOpThreads)),
                "executionMode", "SEQUENTIAL",
                "optLevel", "ALL_OPT");
        try (InputStream onnx = ModelResources.open(spec.onnxResource())) {
            model.load(onnx, options);
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
