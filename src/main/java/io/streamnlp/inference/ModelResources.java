package io.streamnlp.inference;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** Opens encoder files that ship inside jars on the classpath (never downloaded). */
final class ModelResources {

    private ModelResources() {}

    static InputStream open(String resource) throws IOException {
        InputStream in = ModelResources.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new FileNotFoundException("Model file '" + resource + "' is not on the classpath: "
                    + "the langchain4j embeddings jar that ships it is missing (see pom.xml)");
        }
        return in;
    }
}
