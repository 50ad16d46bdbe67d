package io.streamnlp.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Internal state (a by-text record, a store entry, a changelog record) framed with a writer schema
 * this build does not know: it was written by a newer StreamNLP. Reading on would mean guessing, so
 * the read fails. Seen after a downgrade, and on an instance not yet upgraded during a rolling
 * upgrade (it stops failing once it runs the new version); nothing is skipped or dead-lettered
 * because of it.
 */
public final class UnknownInternalSchemaException extends SerializationException {

    private final String recordName;
    private final long fingerprint;

    UnknownInternalSchemaException(InternalSchemaHistory history, long fingerprint, Throwable cause) {
        super(history.recordName() + " record written with schema fingerprint " + InternalSchemaHistory.hex(fingerprint)
                + " (CRC-64-AVRO), which this StreamNLP version does not know (it knows " + history.describe()
                + "): it was written by a newer version. Run that version (or newer); a downgrade cannot read its state.",
                cause);
        this.recordName = history.recordName();
        this.fingerprint = fingerprint;
    }

    /** The internal record's simple name, e.g. {@code PendingText}. */
    public String recordName() {
        return recordName;
    }

    /** The unknown writer schema's CRC-64-AVRO fingerprint. */
    public long fingerprint() {
        return fingerprint;
    }
}
