package io.streamnlp.pii;

import java.util.Locale;

/**
 * What happens to a dead letter's value (and error message) while redaction is on
 * ({@code pii.dead.letters}). A dead letter is the input record as it was consumed: the NER head has
 * not run on it (it failed before, or instead), so only the pattern detectors can look at it.
 */
public enum DeadLetterValues {
    /**
     * The pattern detectors run over the value read as UTF-8 (text, JSON; the strings inside Avro
     * binary too) and each finding is masked; header {@code streamnlp.pii.redacted=patterns}. Names
     * and places are not found there, and an Avro value no longer decodes once a mask changed a
     * string's length.
     */
    REDACT,
    /** The value is dropped (empty); header {@code streamnlp.pii.redacted=dropped}: nothing of the text is kept. */
    DROP,
    /** The original bytes, as without redaction: the operator guards the dead-letter topic instead. */
    KEEP;

    public static DeadLetterValues parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
