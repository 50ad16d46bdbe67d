package io.streamnlp.testing;

import io.streamnlp.inference.CustomModel;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A catalogue encoder's files unpacked into a directory, as a user's own encoder ({@code model.path}) would be. */
public final class UnpackedModel {

    private UnpackedModel() {}

    /**
     * minilm-l6-q's graph and tokenizer in {@code dir}, with a {@code model.properties} naming it {@code name}
     * (mean pooling, 384 dimensions): a valid custom encoder without heads.
     */
    public static Path miniLm(Path dir, String name) throws IOException {
        EncoderSpec spec = ModelCatalogue.byName("minilm-l6-q");
        Files.createDirectories(dir);
        copy(spec.onnxResource(), dir.resolve(CustomModel.GRAPH));
        copy(spec.tokenizerResource(), dir.resolve(CustomModel.TOKENIZER));
        Files.writeString(dir.resolve(CustomModel.PROPERTIES),
                "name=" + name + "\nversion=1\npooling=mean\nhidden.size=384\n");
        return dir;
    }

    /** Copies a classpath resource to a file. */
    public static void copy(String resource, Path to) throws IOException {
        try (InputStream in = UnpackedModel.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("No resource " + resource);
            }
            Files.copy(in, to);
        }
    }
}
