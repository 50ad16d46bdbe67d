package io.streamnlp.inference;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * Opens encoder files: from the jars on the classpath (never downloaded) for the catalogue, from the
 * model's directory for a custom one.
 */
final class ModelResources {

    private ModelResources() {}

    /** One of {@code spec}'s files ({@code spec.onnxResource()} or {@code spec.tokenizerResource()}). */
    static InputStream open(EncoderSpec spec, String resource) throws IOException {
        if (spec.custom()) {
            return Files.newInputStream(spec.directory().resolve(resource));
        }
        return open(resource);
    }

    static InputStream open(String resource) throws IOException {
        InputStream in = ModelResources.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new FileNotFoundException("Model file '" + resource + "' is not on the classpath: "
                    + "the langchain4j embeddings jar that ships it is missing (see pom.xml)");
        }
        return in;
    }
}
