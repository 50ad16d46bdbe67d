package io.streamnlp.app;

/**
 * The instance cannot start: a topic is missing, the registry refuses our credentials, ... The
 * message says what and which setting to change, on one line; commands print it and exit non-zero.
 */
public final class StartupFailedException extends RuntimeException {

    public StartupFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
