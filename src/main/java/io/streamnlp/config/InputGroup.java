package io.streamnlp.config;

import static io.streamnlp.config.StreamNlpConfig.BY_TEXT_GROWTH;
import static io.streamnlp.config.StreamNlpConfig.GROUP_INPUT;
import static io.streamnlp.config.StreamNlpConfig.INPUT_FORMAT;
import static io.streamnlp.config.StreamNlpConfig.INPUT_TOPICS;
import static io.streamnlp.config.StreamNlpConfig.MAX_RECORD_BYTES;
import static io.streamnlp.config.StreamNlpConfig.MAX_TEXT_BYTES;

import io.streamnlp.ingest.InputFormat;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The {@value StreamNlpConfig#GROUP_INPUT} settings: the input topics, their formats and the limits on what an input record may weigh.
 */
final class InputGroup {

    /**
     * The default {@code max.record.bytes}: {@code 2.2 x 450,000 + 1 KiB} is within Kafka's default
     * {@code max.request.size} of 1,048,576 (see {@link StreamNlpConfig#BY_TEXT_GROWTH}).
     */
    static final int DEFAULT_MAX_RECORD_BYTES = 450_000;

    private InputGroup() {
    }

    static void define(ConfigDefinitions definitions) {
        definitions.group(GROUP_INPUT);
        definitions.define(INPUT_TOPICS, Type.LIST, "streamnlp.text", null, Importance.HIGH, Width.LONG, "Input topics",
                "Input topics, each 'topic' or 'topic:format' with format avro, json or text; a topic without one uses input.format.");
        definitions.define(INPUT_FORMAT, Type.STRING, "avro", ValidString.in(inputFormatNames()), Importance.MEDIUM,
                Width.SHORT, "Input format",
                "Default input format: avro (TextEvent, Confluent wire format), json ({\"id\":..,\"text\":..}) or text (key = id, value = text).");
        definitions.define(MAX_TEXT_BYTES, Type.INT, 100_000, Range.atLeast(1), Importance.MEDIUM, Width.SHORT, "Max text bytes",
                "Texts larger than this many UTF-8 bytes are dead-lettered instead of tokenized.");
        definitions.define(MAX_RECORD_BYTES, Type.INT, DEFAULT_MAX_RECORD_BYTES, Range.atLeast(1), Importance.MEDIUM, Width.SHORT,
                "Max record bytes",
                "Input records larger than this (key, value and headers, as Kafka counts them) are dead-lettered "
                        + "(reason too-large) before they are parsed. The by-text record built from one is at most "
                        + "about 2.2 times its size, so the default keeps it within Kafka's default max.request.size "
                        + "(1,048,576); a larger value needs kafka.producer.max.request.size (and the topics' "
                        + "max.message.bytes) raised to match, or the start is refused.");
    }

    /** The lower-case names of {@link InputFormat}, as {@code input.format} and {@code topic:format} take them. */
    private static String[] inputFormatNames() {
        return Arrays.stream(InputFormat.values())
                .map(format -> format.name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
    }
}
