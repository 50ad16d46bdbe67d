package io.streamnlp.deadletter;

import java.io.Serial;

/**
 * An input record that cannot be enriched. The reason is a stable, machine-readable code that goes
 * on the dead-letter record's headers and into the metrics; the message explains it to a person.
 */
public final class RejectedInputException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String reason;

    public RejectedInputException(String reason, String message) {
        this(reason, message, null);
    }

    public RejectedInputException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** The class of the underlying error, or of this rejection when there was none. */
    public String errorClass() {
        return getCause() != null ? getCause().getClass().getName() : getClass().getName();
    }
}
