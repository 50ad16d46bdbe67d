package io.streamnlp.ingest;

import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.deadletter.RejectReason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamnlp.schema.TextEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link InputFormat#JSON}: {@code {"id": "...", "text": "...", "source": ..., "eventTime": epochMs
 * or ISO-8601, "language": ..., "attributes": {...}}}. Only id and text are required; every other
 * top-level field goes into the attributes as a string (see {@link #extras}).
 */
public final class JsonTextEventParser implements TextEventParser {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The fields of a TextEvent; any other top-level field becomes an attribute. */
    public static final Set<String> KNOWN_FIELDS = Set.of("id", "text", "source", "eventTime", "language", "attributes");

    @Override
    public TextEvent parse(String topic, byte[] key, byte[] value) throws RejectedInputException {
        // Decode strictly first: Jackson would otherwise accept some malformed UTF-8 inside strings.
        String json = Utf8.decode(value, "JSON value");
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RejectedInputException(RejectReason.BAD_JSON, "value is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new RejectedInputException(RejectReason.BAD_JSON, "value is JSON but not an object");
        }
        JsonNode id = root.get("id");
        if (id == null || id.isNull() || !id.isValueNode()) {
            throw new RejectedInputException(RejectReason.MISSING_ID, "JSON object has no \"id\"");
        }
        JsonNode text = root.get("text");
        if (text == null || text.isNull() || !text.isTextual()) {
            throw new RejectedInputException(RejectReason.MISSING_TEXT, "JSON object has no string \"text\"");
        }
        Map<String, String> attributes = extras(root);
        attributes.putAll(attributes(root.get("attributes"))); // an attribute wins over an extra of its name
        TextEvent event = TextEvent.newBuilder()
                .setId(id.asText())
                .setText(text.asText())
                .setSource(optionalText(root, "source"))
                .setLanguage(optionalText(root, "language"))
                .setEventTime(eventTime(root.get("eventTime")))
                .setAttributes(attributes)
                .build();
        unicode("id", event.getId());
        unicode("text", event.getText());
        unicode("source", event.getSource());
        unicode("language", event.getLanguage());
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            unicode("an attribute name", attribute.getKey());
            unicode("attribute \"" + attribute.getKey() + "\"", attribute.getValue());
        }
        return event;
    }

    /**
     * Rejects a string with an unpaired surrogate. The bytes are valid UTF-8, but JSON's {@code \\uD800}
     * escapes can spell half a character, which no UTF-8 (the by-text record, every Avro output) can
     * hold: the text would reach the outputs with a {@code ?} in its place, and entity offsets would
     * not match the input's text.
     */
    private static void unicode(String field, String value) throws RejectedInputException {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new RejectedInputException(RejectReason.BAD_JSON, String.format(
                        "%s holds an unpaired surrogate \\u%04x at index %d (a JSON escape of half a character):"
                                + " not Unicode text", field, (int) c, i));
            }
        }
    }

    /**
     * Every top-level field other than the known ones, as a string: scalars as their text, objects
     * and arrays as their JSON; null values are left out. So {@code {"id":..,"text":..,"rating":4}}
     * keeps its rating as the attribute {@code rating=4}.
     */
    private static Map<String, String> extras(JsonNode root) {
        Map<String, String> extras = new HashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            JsonNode value = field.getValue();
            if (KNOWN_FIELDS.contains(field.getKey()) || value.isNull()) {
                continue;
            }
            extras.put(field.getKey(), value.isValueNode() ? value.asText() : value.toString());
        }
        return extras;
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Instant eventTime(JsonNode node) throws RejectedInputException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new RejectedInputException(RejectReason.BAD_JSON,
                        "\"eventTime\" " + node.asText() + " is outside the range of epoch milliseconds");
            }
            return Instant.ofEpochMilli(node.asLong());
        }
        Instant time;
        try {
            time = Instant.parse(node.asText());
        } catch (RuntimeException e) {
            throw new RejectedInputException(RejectReason.BAD_JSON,
                    "\"eventTime\" is neither epoch milliseconds nor ISO-8601: " + node.asText(), e);
        }
        // Instant reaches the year 1,000,000,000; the event time travels on as epoch milliseconds.
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw new RejectedInputException(RejectReason.BAD_JSON,
                    "\"eventTime\" " + node.asText() + " is outside the range of epoch milliseconds");
        }
        return time;
    }

    private static final Instant EARLIEST = Instant.ofEpochMilli(Long.MIN_VALUE);
    private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

    private static Map<String, String> attributes(JsonNode node) throws RejectedInputException {
        Map<String, String> attributes = new HashMap<>();
        if (node == null || node.isNull()) {
            return attributes;
        }
        if (!node.isObject()) {
            throw new RejectedInputException(RejectReason.BAD_JSON, "\"attributes\" is not an object");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            attributes.put(entry.getKey(), entry.getValue().asText());
        }
        return attributes;
    }
}
