package io.streamnlp.guard;

import java.io.Serial;

/** The output prefix holds vectors of another encoder and {@code model.change} is not {@code allow}. */
public final class ModelChangeRefusedException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public ModelChangeRefusedException(String message) {
        super(message);
    }
}
