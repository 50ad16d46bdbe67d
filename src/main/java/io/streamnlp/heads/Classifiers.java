package io.streamnlp.heads;

import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.model.ClassLabel;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The classifier heads a run loads ({@code classifiers=NAME[,NAME]}), each from
 * {@code classifier-<NAME>.bin}: under {@code classifier.path} (in {@code <classifier.path>/<encoder>/},
 * where {@code train --out <classifier.path>} writes it, or directly in {@code <classifier.path>/}); without
 * it, beside the encoder's other heads (the classpath's {@code heads/<encoder>/}, or {@code <model.path>/heads/}
 * for your own encoder). Immutable and thread-safe.
 */
public final class Classifiers {

    /** The settings named in the messages (defined in {@code config}, which this package may not import). */
    static final String NAMES_SETTING = "classifiers";
    static final String PATH_SETTING = "classifier.path";

    public static final Classifiers NONE = new Classifiers(List.of(), List.of());

    private final List<ClassifierHead> heads;
    private final List<String> sources;

    private Classifiers(List<ClassifierHead> heads, List<String> sources) {
        this.heads = List.copyOf(heads);
        this.sources = List.copyOf(sources);
    }

    /** Already loaded heads (tests, the benchmark). */
    public static Classifiers of(List<ClassifierHead> heads) {
        return new Classifiers(heads, heads.stream().map(ClassifierHead::version).toList());
    }

    /**
     * Reads and checks the named classifiers for encoder {@code spec}: each file must exist, be a classifier
     * named as asked, for this encoder name and vector size. The fingerprint is checked once the encoder is
     * loaded ({@link #checkFingerprint}).
     *
     * @param dir {@code classifier.path}, or null for the encoder's own heads folder
     * @throws MissingHeadsException when a file is missing (naming where it looked and the settings)
     * @throws IllegalStateException when a head belongs to another encoder or is not what its name says
     */
    public static Classifiers load(List<String> names, Path dir, EncoderSpec spec) {
        List<ClassifierHead> heads = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (String name : names) {
            String file = ClassifierHead.fileName(name);
            HeadFile read;
            String source;
            if (dir != null || spec.custom()) {
                List<Path> candidates = dir != null ? List.of(dir.resolve(spec.name()).resolve(file), dir.resolve(file))
                        : List.of(CustomModel.headsOf(spec).resolve(file));
                Path found = candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                        new MissingHeadsException("No classifier '" + name + "' for encoder " + spec.name() + ": looked for "
                                + String.join(" and ", candidates.stream().map(Path::toString).toList()) + " (" + NAMES_SETTING
                                + ", " + PATH_SETTING + "). Train it with: streamnlp train " + trainTarget(spec)
                                + " --classifier " + name + " --classifier-data FILE" + (dir != null ? " --out " + dir : "")));
                read = readFile(found);
                source = found.toString();
            } else {
                String resource = Heads.resource(spec.name(), file);
                read = readResource(resource);
                if (read == null) {
                    throw new MissingHeadsException("No classifier '" + name + "' for encoder " + spec.name()
                            + " on the classpath (" + resource + "): set " + PATH_SETTING + " to the folder it was trained "
                            + "into (train --out), or train it with: streamnlp train --model " + spec.name()
                            + " --classifier " + name + " --classifier-data FILE --out DIR, then " + PATH_SETTING + "=DIR");
                }
                source = "classpath " + resource;
            }
            heads.add(check(name, read, source, spec));
            sources.add(source);
        }
        return new Classifiers(heads, sources);
    }

    private static String trainTarget(EncoderSpec spec) {
        return spec.custom() ? "--model-path " + spec.directory() : "--model " + spec.name();
    }

    private static ClassifierHead check(String name, HeadFile file, String source, EncoderSpec spec) {
        if (!ClassifierHead.KIND.equals(file.kind())) {
            throw new IllegalStateException(source + " is a " + file.kind() + " head, not a classifier (" + NAMES_SETTING
                    + ")");
        }
        ClassifierHead head = new ClassifierHead(file);
        if (!head.name().equals(name)) {
            throw new IllegalStateException(source + " holds classifier '" + head.name() + "', not '" + name + "' ("
                    + NAMES_SETTING + ")");
        }
        if (!spec.name().equals(head.encoder())) {
            throw new IllegalStateException("Classifier '" + name + "' (" + head.version() + ", " + source
                    + ") was trained on encoder " + head.encoder() + " (fingerprint " + head.encoderFingerprint()
                    + "), not on " + spec.name() + ": retrain it with streamnlp train " + trainTarget(spec) + " --classifier "
                    + name + " --classifier-data FILE, or leave it out of " + NAMES_SETTING);
        }
        if (head.dimension() != spec.dimension()) {
            throw new IllegalStateException("Classifier '" + name + "' (" + head.version() + ") expects " + head.dimension()
                    + "-d vectors; " + spec.name() + " gives " + spec.dimension());
        }
        return head;
    }

    /**
     * Refuses heads trained on another encoder of the same name (other weights, tokenizer, pooling or prefix):
     * their vectors live in another space, and the labels would be meaningless.
     *
     * @param fingerprint {@code Encoder#fingerprint()} of the encoder this run loaded
     * @throws IllegalStateException naming both fingerprints and the settings
     */
    public void checkFingerprint(String encoderName, String fingerprint) {
        for (int i = 0; i < heads.size(); i++) {
            ClassifierHead head = heads.get(i);
            if (!head.encoderFingerprint().equals(fingerprint)) {
                throw new IllegalStateException("Classifier '" + head.name() + "' (" + head.version() + ", " + sources.get(i)
                        + ") was trained on encoder fingerprint " + head.encoderFingerprint() + ", but encoder "
                        + encoderName + " loaded here has fingerprint " + fingerprint + ": its vectors are another space. "
                        + "Retrain it on this encoder (streamnlp train --classifier " + head.name()
                        + " --classifier-data FILE), or leave it out of " + NAMES_SETTING + " (or point " + PATH_SETTING
                        + " at heads trained for this encoder)");
            }
        }
    }

    /** Whether every classifier here was trained on the encoder with {@code fingerprint} (true when there is none). */
    public boolean allTrainedOn(String fingerprint) {
        return heads.stream().allMatch(head -> head.encoderFingerprint().equals(fingerprint));
    }

    public boolean isEmpty() {
        return heads.isEmpty();
    }

    public List<ClassifierHead> heads() {
        return heads;
    }

    /** Every classifier's answer for one sentence vector, by classifier name, in {@code classifiers} order. */
    public Map<String, ClassLabel> classify(float[] vector) {
        Map<String, ClassLabel> out = new LinkedHashMap<>();
        for (ClassifierHead head : heads) {
            out.put(head.name(), head.classify(vector));
        }
        return out;
    }

    /** The versions, for logs: {@code classifier-tickets-v1-3fa2b1c0, ...}, or {@code none}. */
    public String versions() {
        return heads.isEmpty() ? "none" : String.join(", ", heads.stream().map(ClassifierHead::version).toList());
    }

    private static HeadFile readFile(Path path) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            return HeadFile.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read classifier head " + path, e);
        }
    }

    private static HeadFile readResource(String resource) {
        InputStream in = Classifiers.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            return null;
        }
        try (InputStream buffered = new BufferedInputStream(in)) {
            return HeadFile.read(buffered);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }
}
