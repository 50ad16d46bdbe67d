package io.streamnlp.inference;

/** The encoder could not run a batch (a native error, a malformed input tensor). */
public class InferenceException extends RuntimeException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
