package io.streamnlp.topics;

/**
 * The topics a run needs are missing and cannot be created. The message names every such topic and
 * the setting to change; it is meant to be printed as it is, on one line.
 */
public final class TopicsUnavailableException extends RuntimeException {

    public TopicsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
