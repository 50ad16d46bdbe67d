package io.streamnlp.training;

import io.streamnlp.heads.features.NerStates;
import io.streamnlp.heads.features.SentimentInput;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.TokenizedText;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Encodes data sets with the frozen encoder and keeps the outputs on disk (by default under
 * {@code /tmp/streamnlp-features/<model>/}), so re-running training or evaluation does not encode
 * again. A file's name carries a hash of the encoder, its max length, the batch size and every text,
 * so a changed data set or setting never reads stale features. Texts are encoded in batches of texts
 * of similar length (sorted), always the same way, so the (int8) outputs are reproducible.
 */
public final class FeatureCache {

    /** One data set through the encoder. */
    public record Encoded(List<TokenizedText> tokens, EncodedText[] encoded) {}

    private final Encoder encoder;
    private final Path root;
    private final int batchSize;
    private final PrintStream log;
    private final NerStates nerStates;

    /** @param root cache folder, or null to encode every time */
    public FeatureCache(Encoder encoder, Path root, int batchSize, PrintStream log) {
        this(encoder, root == null ? null : root.resolve(encoder.spec().name()), batchSize, log, NerStates.LAST);
    }

    private FeatureCache(Encoder encoder, Path root, int batchSize, PrintStream log, NerStates nerStates) {
        this.encoder = encoder;
        this.root = root;
        this.batchSize = batchSize;
        this.log = log;
        this.nerStates = nerStates;
    }

    /**
     * This cache, with {@link #tokenStates} giving the states a NER head reading {@code states} reads.
     * Only that mix is kept, in memory and on disk (one layer's size, not two); its {@link EncodedText}
     * carries the one array as both layers, which {@link NerStates#of} hands back unchanged.
     */
    public FeatureCache withNerStates(NerStates states) {
        if (states.needsIntermediate() && encoder.spec().intermediateOutput() == null) {
            throw new IllegalArgumentException("Encoder " + encoder.spec().name() + " exposes no intermediate layer "
                    + "for NER states " + states.settingName() + ": use last");
        }
        return new FeatureCache(encoder, root, batchSize, log, states);
    }

    public Encoder encoder() {
        return encoder;
    }

    /** Pooled sentence vectors of the texts, in order. */
    public float[][] sentenceVectors(String name, List<String> texts) {
        Path file = file(name, "vec", texts);
        if (file != null && Files.isRegularFile(file)) {
            return readVectors(file, texts.size());
        }
        Path pool = file(name, "pool", texts);
        if (pool != null && Files.isRegularFile(pool)) {
            float[][] all = readVectors(pool, texts.size());
            float[][] vectors = new float[all.length][];
            int dim = encoder.spec().dimension();
            for (int i = 0; i < all.length; i++) {
                vectors[i] = java.util.Arrays.copyOf(all[i], dim);
            }
            return vectors;
        }
        return encodePooled(name, texts, file, pool)[0];
    }

    /**
     * Per text {@code [sentence vector | max over the token states | first token's state]}
     * ({@code 3 x dim}): richer inputs for a sentiment head that may read the token states.
     */
    public float[][] pooledFeatures(String name, List<String> texts) {
        Path pool = file(name, "pool", texts);
        if (pool != null && Files.isRegularFile(pool)) {
            return readVectors(pool, texts.size());
        }
        return encodePooled(name, texts, file(name, "vec", texts), pool)[1];
    }

    /**
     * The row a sentiment head reading {@code input} reads of each text, in order ({@link SentimentInput#of}).
     */
    public float[][] sentimentInputs(SentimentInput input, String name, List<String> texts) {
        return switch (input) {
            case VECTOR -> sentenceVectors(name, texts);
            case POOLED3 -> pooledFeatures(name, texts);
            default -> {
                float[][] layers = pooledLayers(name, texts);
                int dim = encoder.spec().dimension();
                float[][] rows = new float[layers.length][];
                for (int i = 0; i < layers.length; i++) {
                    rows[i] = input.fromPooledLayers(layers[i], dim);
                }
                yield rows;
            }
        };
    }

    /** Per text {@link SentimentInput#pooledLayers} (needs an encoder that exposes an intermediate layer). */
    private float[][] pooledLayers(String name, List<String> texts) {
        if (encoder.spec().intermediateOutput() == null) {
            throw new IllegalArgumentException("Encoder " + encoder.spec().name() + " exposes no intermediate layer "
                    + "for the sentiment input: use vector");
        }
        Path layers = file(name, "layers", texts);
        if (layers != null && Files.isRegularFile(layers)) {
            return readVectors(layers, texts.size());
        }
        return encodePooled(name, texts, file(name, "vec", texts), file(name, "pool", texts))[2];
    }

    /**
     * Encodes once and writes the vector, the pooled-features and (where the encoder exposes an
     * intermediate layer) the pooled-layers file; returns the three (the last null without the layer).
     */
    private float[][][] encodePooled(String name, List<String> texts, Path vecFile, Path poolFile) {
        List<TokenizedText> tokens = tokenize(texts);
        boolean layers = encoder.spec().intermediateOutput() != null;
        // Pooled as each batch comes out: a whole set's token states (two layers) would not fit in memory.
        List<float[][]> rows = encode(name, tokens, e -> new float[][] {e.sentenceVector(), pooled(e),
                layers ? SentimentInput.pooledLayers(e) : null});
        int n = rows.size();
        float[][] vectors = new float[n][];
        float[][] pooled = new float[n][];
        float[][] pooledLayers = layers ? new float[n][] : null;
        for (int i = 0; i < n; i++) {
            vectors[i] = rows.get(i)[0];
            pooled[i] = rows.get(i)[1];
            if (layers) {
                pooledLayers[i] = rows.get(i)[2];
            }
        }
        if (vecFile != null) {
            writeVectors(vecFile, vectors);
            writeVectors(poolFile, pooled);
            if (layers) {
                writeVectors(file(name, "layers", texts), pooledLayers);
            }
        }
        return new float[][][] {vectors, pooled, pooledLayers};
    }

    /** {@code [sentence vector | max over the token states | first token's state]}. */
    public static float[] pooled(EncodedText e) {
        return io.streamnlp.heads.features.PooledFeatures.of(e);
    }

    /**
     * Tokenization and encoder output of the texts, in order: the sentence vector and the token states a
     * NER head reads ({@link #withNerStates}; the last layer by default).
     */
    public Encoded tokenStates(String name, List<String> texts) {
        List<TokenizedText> tokens = tokenize(texts);
        Path file = file(name, nerStates == NerStates.LAST ? "tok" : "tok-" + nerStates.settingName(), texts);
        if (file != null && Files.isRegularFile(file)) {
            return new Encoded(tokens, readStates(file, tokens));
        }
        EncodedText[] encoded = encode(name, tokens, this::kept).toArray(new EncodedText[0]);
        if (file != null) {
            writeStates(file, encoded);
        }
        return new Encoded(tokens, encoded);
    }

    private List<TokenizedText> tokenize(List<String> texts) {
        List<TokenizedText> tokens = new ArrayList<>(texts.size());
        for (String t : texts) {
            tokens.add(encoder.tokenizer().tokenize(t));
        }
        return tokens;
    }

    /** Encodes in length-sorted batches, keeping {@code keep} of each output (not both layers of a whole set). */
    private <T> List<T> encode(String name, List<TokenizedText> tokens, Function<EncodedText, T> keep) {
        int n = tokens.size();
        List<T> out = new ArrayList<>(Collections.nCopies(n, null));
        int[] order = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> tokens.get(i).length()).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        long started = System.nanoTime();
        long lastLog = started;
        try (EncoderSession session = encoder.newSession()) {
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                List<TokenizedText> batch = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    batch.add(tokens.get(order[i]));
                }
                EncodedText[] encoded = session.encode(batch);
                for (int i = from; i < to; i++) {
                    out.set(order[i], keep.apply(encoded[i - from]));
                }
                long now = System.nanoTime();
                if (log != null && (now - lastLog > 10_000_000_000L || to == n)) {
                    double secs = (now - started) / 1e9;
                    log.printf("[encode %s %s] %d/%d texts, %.0f texts/s%n", encoder.spec().name(), name, to, n,
                            to / Math.max(secs, 1e-9));
                    lastLog = now;
                }
            }
        }
        return out;
    }

    private Path file(String name, String kind, List<String> texts) {
        if (root == null) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // A custom model's name and version are whatever its model.properties says: its files decide. So does a
            // derived graph's fingerprint (model.graph=fused): another graph, other features.
            boolean byFingerprint = encoder.spec().custom() || encoder.graph() != EncoderGraph.PACKAGED;
            sha.update((encoder.spec().name() + "|" + encoder.spec().version() + "|" + encoder.tokenizer().maxLength()
                    + (byFingerprint ? "|" + encoder.fingerprint() : "")
                    + "|" + batchSize + "|" + kind + "|").getBytes(StandardCharsets.UTF_8));
            for (String t : texts) {
                sha.update(t.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            return root.resolve(name + "-" + hash + "." + kind);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeVectors(Path file, float[][] vectors) {
        atomicWrite(file, data -> {
            data.writeInt(vectors.length);
            for (float[] v : vectors) {
                writeFloats(data, v);
            }
        });
    }

    private static float[][] readVectors(Path file, int n) {
        try (DataInputStream data = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            int count = data.readInt();
            if (count != n) {
                throw new IOException("expected " + n + " vectors, found " + count);
            }
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) {
                out[i] = readFloats(data);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Corrupt feature cache " + file + " (delete it)", e);
        }
    }

    private static EncodedText lastLayer(EncodedText e) {
        return new EncodedText(e.sentenceVector(), e.tokenStates(), e.dimension());
    }

    /** What the cache keeps of one output for NER: the last layer, or the mix (in both slots); never two layers. */
    private EncodedText kept(EncodedText e) {
        if (nerStates == NerStates.LAST) {
            return lastLayer(e);
        }
        float[] mixed = nerStates.of(e);
        return new EncodedText(e.sentenceVector(), mixed, e.dimension(), mixed);
    }

    private static void writeStates(Path file, EncodedText[] encoded) {
        atomicWrite(file, data -> {
            data.writeInt(encoded.length);
            for (EncodedText e : encoded) {
                data.writeInt(e.dimension());
                writeFloats(data, e.sentenceVector());
                writeFloats(data, e.tokenStates());
            }
        });
    }

    private EncodedText[] readStates(Path file, List<TokenizedText> tokens) {
        try (DataInputStream data = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            int count = data.readInt();
            if (count != tokens.size()) {
                throw new IOException("expected " + tokens.size() + " texts, found " + count);
            }
            EncodedText[] out = new EncodedText[count];
            for (int i = 0; i < count; i++) {
                int dim = data.readInt();
                float[] sentence = readFloats(data);
                float[] states = readFloats(data);
                if (states.length != tokens.get(i).length() * dim) {
                    throw new IOException("text " + i + ": token states do not match its tokenization");
                }
                out[i] = nerStates == NerStates.LAST ? new EncodedText(sentence, states, dim)
                        : new EncodedText(sentence, states, dim, states);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Corrupt feature cache " + file + " (delete it)", e);
        }
    }

    private interface Writer {
        void write(DataOutputStream data) throws IOException;
    }

    private static void atomicWrite(Path file, Writer writer) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
            try (OutputStream os = Files.newOutputStream(tmp);
                    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(os, 1 << 20))) {
                writer.write(data);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write feature cache " + file, e);
        }
    }

    private static void writeFloats(DataOutputStream data, float[] v) throws IOException {
        data.writeInt(v.length);
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        data.write(buf.array());
    }

    private static float[] readFloats(DataInputStream data) throws IOException {
        int n = data.readInt();
        byte[] bytes = new byte[n * 4];
        data.readFully(bytes);
        float[] v = new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
