package io.streamnlp.ingest;

import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.schema.TextEvent;
import java.nio.charset.StandardCharsets;

/** The rules every parsed event must pass before it may cost an encoder pass. */
public final class EventValidator {

    private final int maxTextBytes;

    public EventValidator(int maxTextBytes) {
        this.maxTextBytes = maxTextBytes;
    }

    public void validate(TextEvent event) throws RejectedInputException {
        if (event.getId() == null || event.getId().isBlank()) {
            throw new RejectedInputException(RejectReason.MISSING_ID, "event has an empty id");
        }
        String text = event.getText();
        if (text == null || text.isBlank()) {
            throw new RejectedInputException(RejectReason.EMPTY_TEXT, "event " + event.getId() + " has an empty text");
        }
        // Cheap bound first: a UTF-8 byte count is at most 3 bytes per UTF-16 unit.
        if ((long) text.length() * 3 > maxTextBytes) {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxTextBytes) {
                throw new RejectedInputException(RejectReason.TEXT_TOO_LARGE, "text of event " + event.getId()
                        + " is " + bytes + " bytes, over max.text.bytes=" + maxTextBytes);
            }
        }
    }
}
