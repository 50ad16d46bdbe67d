package io.streamnlp.ingest;

import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.schema.TextEvent;

/** {@link InputFormat#TEXT}: the key is the id, the value is the text, both UTF-8. */
public final class PlainTextParser implements TextEventParser {

    @Override
    public TextEvent parse(String topic, byte[] key, byte[] value) throws RejectedInputException {
        if (key == null) {
            throw new RejectedInputException(RejectReason.MISSING_ID, "plain-text record has no key (the key is the id)");
        }
        return TextEvent.newBuilder()
                .setId(Utf8.decode(key, "key"))
                .setText(Utf8.decode(value, "value"))
                .build();
    }

    /** Strict decoding (no replacement, a BOM kept as U+FEFF) makes encoding the text give the value back. */
    @Override
    public boolean valueIsText() {
        return true;
    }
}
