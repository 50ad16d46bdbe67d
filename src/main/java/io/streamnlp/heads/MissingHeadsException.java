package io.streamnlp.heads;

/** An encoder has no trained heads on the classpath (or in the directory asked for). */
public final class MissingHeadsException extends RuntimeException {

    public MissingHeadsException(String message) {
        super(message);
    }
}
