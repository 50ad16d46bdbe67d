package io.streamnlp.ingest;

import java.util.Locale;

/** How the values of one input topic are encoded. */
public enum InputFormat {
    /** A TextEvent in the Confluent wire format (magic byte, schema id, Avro binary). */
    AVRO,
    /** A JSON object with at least "id" and "text"; the other TextEvent fields are optional. */
    JSON,
    /** The value is the text (UTF-8) and the key is the id: what kcat or a log shipper sends. */
    TEXT;

    public static InputFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown input format '" + name + "': use avro, json or text");
        }
    }
}
