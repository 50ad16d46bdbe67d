package io.streamnlp.guard;

import java.io.Serial;

/** The output prefix holds records of the other {@code output.format} and {@code output.format.change} is not {@code allow}. */
public final class OutputFormatChangeRefusedException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public OutputFormatChangeRefusedException(String message) {
        super(message);
    }
}
