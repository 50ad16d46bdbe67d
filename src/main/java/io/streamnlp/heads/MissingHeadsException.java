package io.streamnlp.heads;

/** An encoder has no trained heads on the classpath (or in the directory asked for). */
public final class MissingHeadsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MissingHeadsException(String message) {
        super(message);
    }
}
