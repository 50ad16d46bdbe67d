package io.streamnlp.topology;

import io.streamnlp.model.EntitySpan;
import io.streamnlp.pii.PiiScanner;
import io.streamnlp.pii.PiiSpan;
import io.streamnlp.pii.Redaction;
import io.streamnlp.schema.Entity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What PII detection and redaction make of one text for its outputs, computed once per text in the
 * fan-out (after the encoder and the heads ran on the original text, in memory): the spans, and with
 * redaction the redacted text and the masked surface text of entities.
 */
final class PiiOutputs {

    /** The outputs of an instance without PII detection: nothing found, nothing masked. */
    static final PiiOutputs OFF = new PiiOutputs(null);

    private final PiiScanner scanner;

    PiiOutputs(PiiScanner scanner) {
        this.scanner = scanner;
    }

    boolean redacts() {
        return scanner != null && scanner.settings().redact();
    }

    /** The findings in one text; {@link Findings#NONE} when detection is off. */
    Findings of(String text, List<EntitySpan> entities) {
        if (scanner == null) {
            return Findings.NONE;
        }
        List<PiiSpan> spans = scanner.find(text, entities);
        return new Findings(spans, redacts() ? scanner.redact(text, spans) : null, redacts() ? scanner : null);
    }

    /**
     * @param spans the personal data in the original text
     * @param redaction the redacted text, or null without redaction
     */
    record Findings(List<PiiSpan> spans, Redaction redaction, PiiScanner masker) {

        static final Findings NONE = new Findings(List.of(), null, null);

        boolean redacted() {
            return redaction != null;
        }

        /**
         * A field passed through from the event (its source, an attribute: a JSON event's extra fields
         * land there), through the pattern detectors when redacting; the NER head never saw it.
         */
        String redactedField(String value) {
            return redacted() && value != null ? masker.redactPatterns(value) : value;
        }

        /** The event's attributes, each value as {@link #redactedField}. */
        Map<String, String> redactedFields(Map<String, String> attributes) {
            Map<String, String> out = new HashMap<>(attributes);
            if (redacted()) {
                out.replaceAll((name, value) -> redactedField(value));
            }
            return out;
        }

        /** The entities' records, each surface text masked where it is personal data. */
        List<Entity> entities(String text, List<Entity> entities) {
            if (!redacted() || spans.isEmpty()) {
                return entities;
            }
            List<Entity> masked = new ArrayList<>(entities.size());
            for (Entity entity : entities) {
                masked.add(Entity.newBuilder(entity).setText(masker.maskPart(text, entity.getStart(), entity.getEnd(), spans))
                        .build());
            }
            return masked;
        }

        /** The spans as records, with code point offsets and, redacted, where each mask is. */
        List<io.streamnlp.schema.PiiSpan> records(String text) {
            CodePoints codePoints = CodePoints.of(text);
            List<io.streamnlp.schema.PiiSpan> records = new ArrayList<>(spans.size());
            for (int i = 0; i < spans.size(); i++) {
                PiiSpan span = spans.get(i);
                Redaction.Placed placed = redacted() ? redaction.spans().get(i) : null;
                records.add(io.streamnlp.schema.PiiSpan.newBuilder()
                        .setType(span.type().name())
                        .setStart(span.start())
                        .setEnd(span.end())
                        .setStartCodePoint(codePoints.of(span.start()))
                        .setEndCodePoint(codePoints.of(span.end()))
                        .setRedactedStart(placed == null ? -1 : placed.redactedStart())
                        .setRedactedEnd(placed == null ? -1 : placed.redactedEnd())
                        .build());
            }
            return records;
        }

        /** What the live page may show of the text: the redacted text when redacting. */
        String shownText(String text) {
            return redacted() ? redaction.text() : text;
        }

        /** The entities as the live page may show them: offsets into {@link #shownText}, surface text masked. */
        List<EntitySpan> shownEntities(String text, List<EntitySpan> entities) {
            if (!redacted() || entities == null) {
                return entities;
            }
            List<EntitySpan> shown = new ArrayList<>(entities.size());
            for (EntitySpan e : entities) {
                shown.add(new EntitySpan(e.type(), redaction.map(e.start(), false), redaction.map(e.end(), true),
                        masker.maskPart(text, e.start(), e.end(), spans), e.confidence()));
            }
            return shown;
        }
    }
}
