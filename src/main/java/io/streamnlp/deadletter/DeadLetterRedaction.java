package io.streamnlp.deadletter;

import io.streamnlp.budget.RecordBudget;
import io.streamnlp.pii.DeadLetterValues;
import io.streamnlp.pii.PiiScanner;
import io.streamnlp.pii.PiiSettings;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A dead letter's value (and error message) under {@code pii.redact}: a dead letter is the input record
 * as it was consumed, often a record that could not even be parsed, and the NER head never ran on it,
 * so only the pattern detectors can look at it ({@code pii.dead.letters=redact}, over the value read as
 * UTF-8: text, JSON, and the strings inside Avro binary), or nothing of it is kept ({@code drop}).
 * Header {@value #HEADER} says which was done. Keys and the input's own headers are passed on as they came.
 */
public final class DeadLetterRedaction {

    /** Header on a redacted dead letter: {@code patterns} or {@code dropped}. */
    public static final String HEADER = "streamnlp.pii.redacted";
    /** Config key under which the application passes the redaction to the processing exception handler. */
    public static final String CONFIG = "streamnlp.dead.letter.redaction";

    private final PiiScanner scanner;
    private final DeadLetterValues mode;

    private DeadLetterRedaction(PiiScanner scanner, DeadLetterValues mode) {
        this.scanner = scanner;
        this.mode = mode;
    }

    /** The redaction the settings ask for, or null when dead letters keep their bytes (no redaction, or keep). */
    public static DeadLetterRedaction of(PiiSettings settings) {
        if (!settings.redact() || settings.deadLetters() == DeadLetterValues.KEEP) {
            return null;
        }
        return new DeadLetterRedaction(new PiiScanner(settings), settings.deadLetters());
    }

    /**
     * The dead letter's value redacted, its error message header too, and {@value #HEADER} set; then
     * fitted to the budget again (a mask can be longer than what it hides).
     */
    public DeadLetterHeaders.Fitted apply(RecordBudget budget, byte[] key, byte[] value, Headers headers) {
        Header message = headers.lastHeader(DeadLetterHeaders.ERROR_MESSAGE);
        if (message != null && message.value() != null) {
            String redacted = scanner.redactPatterns(new String(message.value(), StandardCharsets.UTF_8));
            headers.remove(DeadLetterHeaders.ERROR_MESSAGE);
            headers.add(DeadLetterHeaders.ERROR_MESSAGE, redacted.getBytes(StandardCharsets.UTF_8));
        }
        headers.remove(HEADER);
        byte[] out;
        if (mode == DeadLetterValues.DROP) {
            out = value == null ? null : new byte[0];
            headers.add(HEADER, "dropped".getBytes(StandardCharsets.UTF_8));
        } else {
            // Bytes that are not UTF-8 become U+FFFD: the value is a redacted view, not the original.
            out = value == null ? null
                    : scanner.redactPatterns(new String(value, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            headers.add(HEADER, "patterns".getBytes(StandardCharsets.UTF_8));
        }
        return DeadLetterHeaders.fit(budget, key, out, headers);
    }
}
