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
        return TextEvent.newBuilder()
                .setId(id.asText())
                .setText(text.asText())
                .setSource(optionalText(root, "source"))
                .setLanguage(optionalText(root, "language"))
                .setEventTime(eventTime(root.get("eventTime")))
                .setAttributes(attributes)
                .build();
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
                        "\"eventTime\" is outside the range of epoch milliseconds: " + node.asText());
            }
            return Instant.ofEpochMilli(node.asLong());
        }
        try {
            Instant parsed = Instant.parse(node.asText());
            parsed.toEpochMilli(); // an ISO time the pipeline cannot carry (epoch ms in a long) is the event's fault
            return parsed;
        } catch (RuntimeException e) {
            throw new RejectedInputException(RejectReason.BAD_JSON,
                    "\"eventTime\" is neither epoch milliseconds nor ISO-8601: " + node.asText(), e);
        }
    }

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
