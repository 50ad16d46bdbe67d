package io.streamnlp.deadletter;

/**
 * A failure that is not the fault of the record being processed: the encoder broken, a dependency
 * down. It must fail the stream thread (its transaction aborts, the thread resumes from the last
 * commit) and never dead-letter the record.
 */
public final class NotTheRecordsFault extends RuntimeException {

    public NotTheRecordsFault(String message, Throwable cause) {
        super(message, cause);
    }
}
