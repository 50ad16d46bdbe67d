package io.streamnlp.ingest;

import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.schema.TextEvent;

/** Turns the raw bytes of one input record into a TextEvent, or says why it cannot. */
public interface TextEventParser {

    /**
     * @param topic the input topic (the Avro parser needs it for the subject name)
     * @param key the raw record key, possibly null
     * @param value the raw record value, never null (null values are rejected before)
     */
    TextEvent parse(String topic, byte[] key, byte[] value) throws RejectedInputException;

    /**
     * True when the value is the text's UTF-8 bytes and nothing else (plain text, decoded strictly), so
     * the original value need not be carried beside the text: it is the text's UTF-8 encoding again.
     */
    default boolean valueIsText() {
        return false;
    }
}
