package io.streamnlp.inference;

import java.io.Serial;

/** The encoder could not run a batch (a native error, a malformed input tensor). */
public class InferenceException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
