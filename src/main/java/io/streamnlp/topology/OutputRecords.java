package io.streamnlp.topology;

import io.streamnlp.batching.Enrichment;
import io.streamnlp.heads.Classifiers;
import io.streamnlp.heads.Heads;
import io.streamnlp.model.ClassLabel;
import io.streamnlp.schema.LabelsRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.language.LanguageVerdict;
import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.SentimentScores;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.Entity;
import io.streamnlp.schema.EntityType;
import io.streamnlp.schema.Sentiment;
import io.streamnlp.schema.SentimentLabel;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.internal.PendingText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The output records of one {@link Enrichment}, each with the model and head versions: what the
 * fan-out serializes, measures and forwards. No Kafka in here, so the record shapes read apart from
 * the forwarding rules.
 *
 * <p>Every record carries the language found before the encoder ({@code detectedLanguage},
 * {@code languageConfidence}); for a text outside the heads' languages under {@code language.unsupported.policy=skip}
 * the sentiment and the entities are left out and marked ({@code skipReason}), the embedding is kept.
 */
final class OutputRecords {

    private final EncoderSpec model;
    private final Heads heads;
    private final Classifiers classifiers;
    private final FanOutProcessor.EnrichedShape enrichedShape;

    OutputRecords(EncoderSpec model, Heads heads, Classifiers classifiers, FanOutProcessor.EnrichedShape enrichedShape) {
        this.model = model;
        this.heads = heads;
        this.classifiers = classifiers;
        this.enrichedShape = enrichedShape;
    }

    /**
     * Every classifier's answer from the text's vector (empty without classifiers). Computed here, after
     * the result cache, from the vector a hit keeps bit for bit: a hit gets the labels a fresh pass gives,
     * and the cache entries need no field of their own.
     */
    Map<String, ClassLabel> classify(Enrichment enrichment) {
        return classifiers.isEmpty() ? Map.of() : classifiers.classify(enrichment.analysis().vector());
    }

    LabelsRecord labels(Enrichment enrichment, Map<String, ClassLabel> labels) {
        PendingText event = enrichment.event();
        return LabelsRecord.newBuilder()
                .setId(event.getId())
                .setModel(model.name())
                .setModelVersion(model.version())
                .setLabels(labelRecords(labels))
                .setTruncated(enrichment.analysis().truncated())
                .setWindows(enrichment.analysis().windows())
                .setEventTime(Instant.ofEpochMilli(event.getEventTime()))
                .setCached(enrichment.cached())
                .build();
    }

    private static Map<String, io.streamnlp.schema.ClassLabel> labelRecords(Map<String, ClassLabel> labels) {
        Map<String, io.streamnlp.schema.ClassLabel> out = new LinkedHashMap<>();
        labels.forEach((name, result) -> out.put(name, io.streamnlp.schema.ClassLabel.newBuilder()
                .setLabel(result.label())
                .setProbabilities(new LinkedHashMap<>(result.probabilities()))
                .setHeadVersion(result.headVersion())
                .build()));
        return out;
    }

    EmbeddingRecord embedding(Enrichment enrichment) {
        PendingText event = enrichment.event();
        float[] vector = enrichment.analysis().vector();
        List<Float> values = floats(vector);
        return EmbeddingRecord.newBuilder()
                .setId(event.getId())
                .setModel(model.name())
                .setModelVersion(model.version())
                .setDimension(vector.length)
                .setVector(values)
                .setTokenCount(enrichment.analysis().tokenCount())
                .setTruncated(enrichment.analysis().truncated())
                .setWindows(enrichment.analysis().windows())
                .setEventTime(Instant.ofEpochMilli(event.getEventTime()))
                .setCached(enrichment.cached())
                .setDetectedLanguage(enrichment.language().code())
                .setLanguageConfidence(enrichment.language().confidence())
                .build();
    }

    SentimentRecord sentiment(Enrichment enrichment) {
        PendingText event = enrichment.event();
        SentimentScores sentiment = enrichment.analysis().sentiment();
        boolean skipped = enrichment.language().skipsHeads();
        return SentimentRecord.newBuilder()
                .setId(event.getId())
                .setModel(model.name())
                .setModelVersion(model.version())
                .setHeadVersion(heads.sentiment().version())
                .setLabel(skipped ? null : SentimentLabel.valueOf(sentiment.label().name()))
                .setNegative(skipped ? 0f : sentiment.negative())
                .setNeutral(skipped ? 0f : sentiment.neutral())
                .setPositive(skipped ? 0f : sentiment.positive())
                .setTruncated(enrichment.analysis().truncated())
                .setWindows(enrichment.analysis().windows())
                .setEventTime(Instant.ofEpochMilli(event.getEventTime()))
                .setCached(enrichment.cached())
                .setDetectedLanguage(enrichment.language().code())
                .setLanguageConfidence(enrichment.language().confidence())
                .setSkipReason(skipReason(enrichment))
                .build();
    }

    /** Null when the heads' results are kept; else why they are not. */
    private static String skipReason(Enrichment enrichment) {
        return enrichment.language().skipsHeads() ? LanguageVerdict.NOT_SUPPORTED : null;
    }

    /** The spans the records carry: none for a text whose heads' results are skipped. */
    private static List<EntitySpan> keptEntities(Enrichment enrichment) {
        return enrichment.language().skipsHeads() ? List.of() : enrichment.analysis().entities();
    }

    EntitiesRecord entities(Enrichment enrichment, PiiOutputs.Findings pii) {
        PendingText event = enrichment.event();
        List<Entity> entities = pii.entities(event.getText(), entityList(event.getText(), keptEntities(enrichment)));
        return EntitiesRecord.newBuilder()
                .setId(event.getId())
                .setModel(model.name())
                .setModelVersion(model.version())
                .setHeadVersion(heads.ner().version())
                .setEntities(entities)
                .setTruncated(enrichment.analysis().truncated())
                .setWindows(enrichment.analysis().windows())
                .setEventTime(Instant.ofEpochMilli(event.getEventTime()))
                .setCached(enrichment.cached())
                .setDetectedLanguage(enrichment.language().code())
                .setLanguageConfidence(enrichment.language().confidence())
                .setSkipReason(skipReason(enrichment))
                .build();
    }

    /**
     * The event's own fields with everything derived for it, in one record. Redacted, the text goes out
     * only as {@code redactedText}: never the original, whatever {@code enriched.include.text} says.
     */
    EnrichedEvent enriched(Enrichment enrichment, Map<String, ClassLabel> labels, PiiOutputs.Findings pii) {
        PendingText event = enrichment.event();
        TextAnalysis analysis = enrichment.analysis();
        EventFields.Fields fields = enrichedShape.fields().of(event);
        SentimentScores scores = analysis.sentiment();
        return EnrichedEvent.newBuilder()
                .setId(event.getId())
                .setSource(pii.redactedField(fields.source()))
                .setEventTime(Instant.ofEpochMilli(event.getEventTime()))
                .setLanguage(fields.language())
                .setDetectedLanguage(enrichment.language().code())
                .setLanguageConfidence(enrichment.language().confidence())
                .setAttributes(pii.redactedFields(fields.attributes()))
                .setText(enrichedShape.text() && !pii.redacted() ? event.getText() : null)
                .setSentiment(enrichment.language().skipsHeads() ? null : Sentiment.newBuilder()
                        .setLabel(SentimentLabel.valueOf(scores.label().name()))
                        .setNegative(scores.negative())
                        .setNeutral(scores.neutral())
                        .setPositive(scores.positive())
                        .build())
                .setEntities(pii.entities(event.getText(), entityList(event.getText(), keptEntities(enrichment))))
                .setSkipReason(skipReason(enrichment))
                .setEmbedding(enrichedShape.embedding() ? floats(analysis.vector()) : null)
                .setModel(model.name())
                .setModelVersion(model.version())
                .setSentimentHeadVersion(heads.sentiment().version())
                .setNerHeadVersion(heads.ner().version())
                .setTokenCount(analysis.tokenCount())
                .setTruncated(analysis.truncated())
                .setWindows(analysis.windows())
                .setCached(enrichment.cached())
                .setLabels(labelRecords(labels))
                .setPii(pii.records(event.getText()))
                .setRedactedText(pii.redacted() ? pii.redaction().text() : null)
                .build();
    }

    private static List<Float> floats(float[] vector) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        return values;
    }

    /** The spans as records, offsets in UTF-16 units and in code points (both into the event's text). */
    static List<Entity> entityList(String text, List<EntitySpan> found) {
        CodePoints codePoints = CodePoints.of(text);
        List<Entity> entities = new ArrayList<>(found.size());
        for (EntitySpan e : found) {
            entities.add(Entity.newBuilder()
                    .setText(e.text())
                    .setType(EntityType.valueOf(e.type().name()))
                    .setStart(e.start())
                    .setEnd(e.end())
                    .setStartCodePoint(codePoints.of(e.start()))
                    .setEndCodePoint(codePoints.of(e.end()))
                    .setConfidence(e.confidence())
                    .build());
        }
        return entities;
    }
}
