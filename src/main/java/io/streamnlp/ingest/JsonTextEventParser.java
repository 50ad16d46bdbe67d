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

/**
 * {@link InputFormat#JSON}: {@code {"id": "...", "text": "...", "source": ..., "eventTime": epochMs
 * or ISO-8601, "language": ..., "attributes": {...}}}. Only id and text are required.
 */
public final class JsonTextEventParser implements TextEventParser {

    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        return TextEvent.newBuilder()
                .setId(id.asText())
                .setText(text.asText())
                .setSource(optionalText(root, "source"))
                .setLanguage(optionalText(root, "language"))
                .setEventTime(eventTime(root.get("eventTime")))
                .setAttributes(attributes(root.get("attributes")))
                .build();
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
            return Instant.ofEpochMilli(node.asLong());
        }
        try {
            return Instant.parse(node.asText());
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
