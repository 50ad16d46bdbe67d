package io.streamnlp.inference;

import java.io.Serial;
import java.nio.file.Path;
import java.util.List;

/**
 * A custom model directory ({@code model.path}) that cannot be used: every problem found, one
 * sentence each (a missing file, a bad {@code model.properties} entry, an input or output of the
 * graph StreamNLP cannot feed or read, a hidden size, max length or pooling that the trial inference
 * at start does not bear out).
 */
public final class ModelDirectoryException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public ModelDirectoryException(Path directory, List<String> problems) {
        super("model.path " + directory + " cannot be used: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, as a sentence. */
    public List<String> problems() {
        return problems;
    }
}
