package io.streamnlp.heads;

import io.streamnlp.model.HeadProfile;
import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The task heads of one encoder: sentiment over the pooled vector and NER over the token states, both
 * from the same encoder pass. Shipped as classpath resources {@code heads/<model>/sentiment.bin} and
 * {@code heads/<model>/ner.bin} (format: {@link HeadFile}), and for the commercial profile
 * ({@link HeadProfile}) in {@code heads/<model>/commercial/}; heads trained on the fused graph of the encoder
 * ({@code model.graph}) in a {@code fused/} sub-folder of either; built by {@code streamnlp train}.
 * Immutable and thread-safe: load once, share across stream threads.
 */
public final class Heads {

    /** Classpath folder of the heads; one sub-folder per encoder name. */
    public static final String RESOURCE_ROOT = "heads";
    public static final String SENTIMENT_FILE = "sentiment.bin";
    public static final String NER_FILE = "ner.bin";
    /** Beside a profile's heads, those trained on the fused graph ({@code train --model-graph fused}). */
    public static final String FUSED_SUBFOLDER = "fused/";

    /** The languages the packaged heads were trained for (resources/heads/MODEL_CARD.md): English data only. */
    public static final java.util.Set<String> PACKAGED_LANGUAGES = java.util.Set.of("en");

    /** The languages the heads of this encoder judge: the model card's for a catalogue encoder, else heads.languages. */
    public static java.util.Set<String> languagesOf(EncoderSpec spec) {
        return spec.directory() == null ? PACKAGED_LANGUAGES : CustomModel.headsLanguages(spec);
    }

    private final String model;
    private final SentimentHead sentiment;
    private final NerHead ner;

    Heads(String model, SentimentHead sentiment, NerHead ner) {
        this.model = model;
        this.sentiment = sentiment;
        this.ner = ner;
    }

    /**
     * The heads of a catalogue encoder from the classpath.
     *
     * @throws MissingHeadsException when the classpath has no heads for it (the message says which
     *     encoders have some and how to train them)
     */
    public static Heads load(String model) {
        return load(model, HeadProfile.RESEARCH);
    }

    /** The heads of a catalogue encoder from the classpath, of one profile ({@code heads.profile}). */
    public static Heads load(String model, HeadProfile profile) {
        return load(model, profile, Heads.class.getClassLoader());
    }

    static Heads load(String model, ClassLoader loader) {
        return load(model, HeadProfile.RESEARCH, loader);
    }

    static Heads load(String model, HeadProfile profile, ClassLoader loader) {
        EncoderSpec spec = ModelCatalogue.byName(model);
        HeadFile sentiment = readResource(loader, resource(model, profile, SENTIMENT_FILE));
        HeadFile ner = readResource(loader, resource(model, profile, NER_FILE));
        if (sentiment == null || ner == null) {
            List<String> available = availableModels(profile, loader);
            String which = profile == HeadProfile.RESEARCH ? "" : profile.settingName() + "-profile ";
            String alternatives = profile == HeadProfile.RESEARCH ? ""
                    : " Set model to one of those, or heads.profile=" + HeadProfile.RESEARCH.settingName() + ", or";
            throw new MissingHeadsException("No " + which + "task heads for encoder '" + model + "' on the classpath "
                    + "(looked for " + resource(model, profile, sentiment == null ? SENTIMENT_FILE : NER_FILE)
                    + "). Encoders with " + which + "heads: " + (available.isEmpty() ? "none" : String.join(", ", available))
                    + "." + alternatives + (alternatives.isEmpty() ? " Train them with: " : " train them with: ")
                    + "streamnlp train --model " + model + " --data ../shared/data"
                    + (profile == HeadProfile.RESEARCH ? "" : " --profile " + profile.settingName()));
        }
        return of(spec, sentiment, ner);
    }

    /**
     * The heads of a catalogue encoder for the graph that runs ({@code model.graph}): those trained on the fused
     * graph where the classpath has them ({@code heads/<model>/[commercial/]fused/}), else the packaged graph's,
     * which serve both (the model card has their figures on each graph).
     */
    public static Heads load(String model, HeadProfile profile, EncoderGraph graph) {
        ClassLoader loader = Heads.class.getClassLoader();
        if (graph == EncoderGraph.FUSED && loader.getResource(resource(model, profile, FUSED_SUBFOLDER + SENTIMENT_FILE)) != null
                && loader.getResource(resource(model, profile, FUSED_SUBFOLDER + NER_FILE)) != null) {
            return of(ModelCatalogue.byName(model), readResource(loader, resource(model, profile, FUSED_SUBFOLDER + SENTIMENT_FILE)),
                    readResource(loader, resource(model, profile, FUSED_SUBFOLDER + NER_FILE)));
        }
        return load(model, profile, loader);
    }

    /** As {@link #load(EncoderSpec, HeadProfile)}, for the graph that runs: see {@link #load(String, HeadProfile, EncoderGraph)}. */
    public static Heads load(EncoderSpec spec, HeadProfile profile, EncoderGraph graph) {
        return spec.custom() ? load(spec, profile) : load(spec.name(), profile, graph);
    }

    /** The heads of an encoder from {@code dir/<model>/} (what {@code train --out dir} writes). */
    public static Heads load(String model, Path dir) {
        return load(model, dir, HeadProfile.RESEARCH);
    }

    /** The heads of one profile of an encoder from {@code dir/<model>/} or {@code dir/<model>/commercial/}. */
    public static Heads load(String model, Path dir, HeadProfile profile) {
        Path folder = dir.resolve(model).resolve(profile.subfolder());
        if (!complete(folder)) {
            throw new MissingHeadsException("No task heads for encoder '" + model + "' in " + folder
                    + " (expected " + SENTIMENT_FILE + " and " + NER_FILE + "). Train them with: streamnlp train --model "
                    + model + " --data ../shared/data --out " + dir
                    + (profile == HeadProfile.RESEARCH ? "" : " --profile " + profile.settingName()));
        }
        return read(ModelCatalogue.byName(model), folder);
    }

    /**
     * The heads of an encoder: from the classpath for a catalogue one; from {@code <model.path>/heads/}
     * for a custom one, or null when it has none (it then serves embeddings only).
     *
     * @throws MissingHeadsException for a catalogue encoder without heads, or a custom one with only one
     * @throws IllegalStateException when the heads were trained for another encoder or hidden size
     */
    public static Heads load(EncoderSpec spec) {
        return load(spec, HeadProfile.RESEARCH);
    }

    /**
     * As {@link #load(EncoderSpec)}, with the profile of a catalogue encoder's packaged heads.
     *
     * @throws IllegalArgumentException for a custom encoder with a profile other than research: its heads are
     *     the user's own, whatever data they were trained on
     */
    public static Heads load(EncoderSpec spec, HeadProfile profile) {
        if (!spec.custom()) {
            return load(spec.name(), profile);
        }
        if (profile != HeadProfile.RESEARCH) {
            throw new IllegalArgumentException("heads.profile=" + profile.settingName() + " picks among the packaged "
                    + "heads of a catalogue encoder, but " + spec.name() + " (model.path " + spec.directory() + ") runs "
                    + "its own heads from " + CustomModel.headsOf(spec) + ": remove heads.profile (default "
                    + HeadProfile.RESEARCH.settingName() + "); to train those heads only on commercially licensed data, "
                    + "use streamnlp train --model-path " + spec.directory() + " --data ../shared/data --profile "
                    + profile.settingName());
        }
        Path folder = CustomModel.headsOf(spec);
        boolean sentiment = Files.isRegularFile(folder.resolve(SENTIMENT_FILE));
        boolean ner = Files.isRegularFile(folder.resolve(NER_FILE));
        if (!sentiment && !ner) {
            return null;
        }
        if (!sentiment || !ner) {
            throw new MissingHeadsException(folder + " has " + (sentiment ? SENTIMENT_FILE : NER_FILE) + " but no "
                    + (sentiment ? NER_FILE : SENTIMENT_FILE) + ": train both with: streamnlp train --model-path "
                    + spec.directory() + " --data ../shared/data");
        }
        return read(spec, folder);
    }

    private static boolean complete(Path folder) {
        return Files.isRegularFile(folder.resolve(SENTIMENT_FILE)) && Files.isRegularFile(folder.resolve(NER_FILE));
    }

    private static Heads read(EncoderSpec spec, Path folder) {
        try (InputStream s = new BufferedInputStream(Files.newInputStream(folder.resolve(SENTIMENT_FILE)));
                InputStream n = new BufferedInputStream(Files.newInputStream(folder.resolve(NER_FILE)))) {
            return of(spec, HeadFile.read(s), HeadFile.read(n));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read heads of " + spec.name() + " from " + folder, e);
        }
    }

    static Heads of(EncoderSpec spec, HeadFile sentiment, HeadFile ner) {
        for (HeadFile f : List.of(sentiment, ner)) {
            if (!spec.name().equals(f.encoder())) {
                throw new IllegalStateException("Head " + f.version() + " was trained on encoder '" + f.encoder()
                        + "', not '" + spec.name() + "'" + (spec.custom() ? " (name in its model.properties): retrain with "
                        + "streamnlp train --model-path " + spec.directory() : ""));
            }
        }
        SentimentHead s = SentimentHead.from(sentiment);
        NerHead n = NerHead.from(ner);
        String hidden = spec.custom() ? " (hidden.size in its model.properties)" : "";
        if (s.dimension() != spec.dimension()) {
            throw new IllegalStateException("Sentiment head " + s.version() + " expects " + s.dimension()
                    + "-d vectors; " + spec.name() + " gives " + spec.dimension() + hidden);
        }
        if (n.dimension() != spec.dimension()) {
            throw new IllegalStateException("NER head " + n.version() + " expects " + n.dimension()
                    + "-d token states; " + spec.name() + " gives " + spec.dimension() + hidden);
        }
        if (n.states().needsIntermediate() && spec.intermediateOutput() == null) {
            throw new IllegalStateException("NER head " + n.version() + " reads an intermediate layer of the encoder ("
                    + n.states().settingName() + "), which " + spec.name() + " does not expose: retrain it with "
                    + "streamnlp train --ner-states last");
        }
        if (s.input().needsIntermediate() && spec.intermediateOutput() == null) {
            throw new IllegalStateException("Sentiment head " + s.version() + " reads an intermediate layer of the "
                    + "encoder (" + s.input().settingName() + "), which " + spec.name() + " does not expose: retrain it "
                    + "with streamnlp train --sentiment-input vector");
        }
        return new Heads(spec.name(), s, n);
    }

    /** Is there a complete set of heads for this encoder on the classpath? */
    public static boolean available(String model) {
        return available(model, HeadProfile.RESEARCH, Heads.class.getClassLoader());
    }

    private static boolean available(String model, HeadProfile profile, ClassLoader loader) {
        return loader.getResource(resource(model, profile, SENTIMENT_FILE)) != null
                && loader.getResource(resource(model, profile, NER_FILE)) != null;
    }

    /** Catalogue encoders that have heads on the classpath, in catalogue order. */
    public static List<String> availableModels() {
        return availableModels(HeadProfile.RESEARCH);
    }

    /** Catalogue encoders that have heads of this profile on the classpath, in catalogue order. */
    public static List<String> availableModels(HeadProfile profile) {
        return availableModels(profile, Heads.class.getClassLoader());
    }

    private static List<String> availableModels(HeadProfile profile, ClassLoader loader) {
        List<String> names = new ArrayList<>();
        for (EncoderSpec spec : ModelCatalogue.inOrder()) {
            if (available(spec.name(), profile, loader)) {
                names.add(spec.name());
            }
        }
        return names;
    }

    /** The classpath name of a bundled head file of a catalogue encoder (the research profile). */
    public static String resource(String model, String file) {
        return resource(model, HeadProfile.RESEARCH, file);
    }

    /** The classpath name of a bundled head file of a catalogue encoder, of one profile. */
    public static String resource(String model, HeadProfile profile, String file) {
        return RESOURCE_ROOT + "/" + model + "/" + profile.subfolder() + file;
    }

    private static HeadFile readResource(ClassLoader loader, String resource) {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            return null;
        }
        try (InputStream buffered = new BufferedInputStream(in)) {
            return HeadFile.read(buffered);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    /** Encoder name these heads belong to. */
    public String model() {
        return model;
    }

    public SentimentHead sentiment() {
        return sentiment;
    }

    public NerHead ner() {
        return ner;
    }

    /** Both versions, for logs: {@code sentiment-v1-xxxxxxxx, ner-v1-yyyyyyyy}. */
    public String versions() {
        return sentiment.version() + ", " + ner.version();
    }
}
