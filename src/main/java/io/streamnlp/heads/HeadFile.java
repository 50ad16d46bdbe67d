package io.streamnlp.heads;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;

/**
 * The weight file of one head: a small self-describing binary format (big-endian, via
 * {@link DataOutputStream}), no JSON and no extra dependency.
 *
 * <pre>
 * magic          8 bytes  "SNLPHEAD"
 * format         int      {@link #FORMAT_VERSION}
 * kind           UTF      "sentiment" | "ner"
 * version        UTF      head version string, e.g. "ner-v1-3fa2b1c0" (the hex is a hash of the body)
 * encoder        UTF      encoder name the head was trained on (ModelCatalogue name)
 * encoderVersion UTF      encoder artifact version
 * -- body (hashed) --
 * labels         int n, n x UTF
 * meta           int n, n x (UTF key, UTF value), sorted by key
 * tensors        int n, n x (UTF name, byte dtype [0 = f32, 1 = f16], int rank, rank x int, data)
 * </pre>
 *
 * Readers reject a format version they do not know. The same content always produces the same bytes.
 */
public final class HeadFile {

    public static final String MAGIC = "SNLPHEAD";
    public static final int FORMAT_VERSION = 1;

    /** A named float tensor; {@code half} stores it as IEEE binary16 (the values are rounded on write). */
    public record Tensor(String name, int[] shape, float[] data, boolean half) {
        public Tensor {
            long size = 1;
            for (int d : shape) {
                size *= d;
            }
            if (size != data.length) {
                throw new IllegalArgumentException("Tensor " + name + ": shape " + Arrays.toString(shape)
                        + " does not match " + data.length + " values");
            }
        }

        public int dim(int i) {
            return shape[i];
        }
    }

    private final String kind;
    private final String version;
    private final String encoder;
    private final String encoderVersion;
    private final List<String> labels;
    private final Map<String, String> meta;
    private final SequencedMap<String, Tensor> tensors;

    private HeadFile(String kind, String version, String encoder, String encoderVersion, List<String> labels,
            Map<String, String> meta, SequencedMap<String, Tensor> tensors) {
        this.kind = kind;
        this.version = version;
        this.encoder = encoder;
        this.encoderVersion = encoderVersion;
        this.labels = List.copyOf(labels);
        this.meta = new TreeMap<>(meta);
        this.tensors = tensors;
    }

    /**
     * A new file; its version is {@code <kind>-v<release>-<8 hex of the SHA-256 of the body>}, so a
     * retrained head with other weights always gets another version.
     */
    public static HeadFile create(String kind, String release, String encoder, String encoderVersion,
            List<String> labels, Map<String, String> meta, List<Tensor> tensors) {
        SequencedMap<String, Tensor> map = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            // Round now, so the in-memory copy equals what a reader will see.
            map.put(t.name(), t.half() ? new Tensor(t.name(), t.shape(), roundToHalf(t.data()), true) : t);
        }
        HeadFile draft = new HeadFile(kind, "", encoder, encoderVersion, labels, meta, map);
        byte[] body = draft.body();
        String hash = sha256(body).substring(0, 8);
        return new HeadFile(kind, kind + "-v" + release + "-" + hash, encoder, encoderVersion, labels, meta, map);
    }

    /**
     * As {@link #create}, with a version stem of its own instead of the kind: a classifier head's version
     * is {@code classifier-<name>-v<release>-<hash>}, so two classifiers never share one.
     */
    public static HeadFile createNamed(String kind, String versionStem, String release, String encoder,
            String encoderVersion, List<String> labels, Map<String, String> meta, List<Tensor> tensors) {
        HeadFile file = create(kind, release, encoder, encoderVersion, labels, meta, tensors);
        String hash = file.version.substring(file.version.lastIndexOf('-') + 1);
        return new HeadFile(kind, versionStem + "-v" + release + "-" + hash, encoder, encoderVersion, file.labels,
                file.meta, file.tensors);
    }

    public String kind() {
        return kind;
    }

    public String version() {
        return version;
    }

    public String encoder() {
        return encoder;
    }

    public String encoderVersion() {
        return encoderVersion;
    }

    public List<String> labels() {
        return labels;
    }

    public Map<String, String> meta() {
        return meta;
    }

    public String meta(String key) {
        String value = meta.get(key);
        if (value == null) {
            throw new IllegalStateException("Head file " + version + " lacks meta key '" + key + "'");
        }
        return value;
    }

    public int metaInt(String key) {
        return Integer.parseInt(meta(key));
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalStateException("Head file " + version + " lacks tensor '" + name + "'");
        }
        return t;
    }

    public boolean hasTensor(String name) {
        return tensors.containsKey(name);
    }

    /** The tensors' names, in file order. */
    public List<String> tensorNames() {
        return List.copyOf(tensors.keySet());
    }

    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        data.writeInt(FORMAT_VERSION);
        data.writeUTF(kind);
        data.writeUTF(version);
        data.writeUTF(encoder);
        data.writeUTF(encoderVersion);
        data.write(body());
        data.flush();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private byte[] body() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeInt(labels.size());
            for (String label : labels) {
                data.writeUTF(label);
            }
            data.writeInt(meta.size());
            for (Map.Entry<String, String> e : meta.entrySet()) {
                data.writeUTF(e.getKey());
                data.writeUTF(e.getValue());
            }
            data.writeInt(tensors.size());
            for (Tensor t : tensors.values()) {
                data.writeUTF(t.name());
                data.writeByte(t.half() ? 1 : 0);
                data.writeInt(t.shape().length);
                for (int d : t.shape()) {
                    data.writeInt(d);
                }
                for (float v : t.data()) {
                    if (t.half()) {
                        data.writeShort(Float.floatToFloat16(v));
                    } else {
                        data.writeFloat(v);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public static HeadFile read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length()];
        data.readFully(magic);
        if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new IOException("Not a StreamNLP head file (bad magic)");
        }
        int format = data.readInt();
        if (format != FORMAT_VERSION) {
            throw new IOException("Head file format " + format + " is not supported (this build reads "
                    + FORMAT_VERSION + "); retrain the heads with this build's train command");
        }
        String kind = data.readUTF();
        String version = data.readUTF();
        String encoder = data.readUTF();
        String encoderVersion = data.readUTF();
        int nLabels = data.readInt();
        List<String> labels = new ArrayList<>(nLabels);
        for (int i = 0; i < nLabels; i++) {
            labels.add(data.readUTF());
        }
        int nMeta = data.readInt();
        Map<String, String> meta = new TreeMap<>();
        for (int i = 0; i < nMeta; i++) {
            meta.put(data.readUTF(), data.readUTF());
        }
        int nTensors = data.readInt();
        SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < nTensors; i++) {
            String name = data.readUTF();
            boolean half = data.readByte() == 1;
            int rank = data.readInt();
            int[] shape = new int[rank];
            long size = 1;
            for (int r = 0; r < rank; r++) {
                shape[r] = data.readInt();
                size *= shape[r];
            }
            if (size > 50_000_000L) {
                throw new IOException("Tensor " + name + " too large: " + size);
            }
            float[] values = new float[(int) size];
            for (int k = 0; k < values.length; k++) {
                values[k] = half ? Float.float16ToFloat(data.readShort()) : data.readFloat();
            }
            tensors.put(name, new Tensor(name, shape, values, half));
        }
        return new HeadFile(kind, version, encoder, encoderVersion, labels, meta, tensors);
    }

    static float[] roundToHalf(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.float16ToFloat(Float.floatToFloat16(values[i]));
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
