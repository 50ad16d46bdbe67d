package io.streamnlp.config;

import java.util.Locale;

/** How the output records are written ({@code output.format}); dead letters are the same in both. */
public enum OutputFormat {
    /** Avro in the Confluent wire format, each schema registered under {@code <topic>-value}. */
    AVRO,
    /** A UTF-8 JSON object per record, with the Avro record's field names; nothing registered. */
    JSON;

    /** The value in {@code output.format}. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@code name} (any case, surrounding blanks ignored). */
    public static OutputFormat of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
