package io.streamnlp.cache;

import io.streamnlp.model.EntitySpan;
import io.streamnlp.model.EntityKind;
import io.streamnlp.model.HeadPlan;
import io.streamnlp.model.SentimentScores;
import io.streamnlp.model.TextAnalysis;
import io.streamnlp.model.Polarity;
import io.streamnlp.schema.internal.CachedEntity;
import io.streamnlp.schema.internal.CachedResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Between a fresh {@link TextAnalysis} and the {@link CachedResult} kept in the store, both ways. */
public final class CachedResults {

    /** Stored where the sentiment head did not run (never served: see {@link #serve}). */
    private static final SentimentScores NOT_COMPUTED = new SentimentScores(Polarity.NEUTRAL, 0f, 0f, 0f);

    private CachedResults() {}

    /**
     * The cache entry for a fresh result, entity offsets moved to normal-form coordinates; null if an
     * entity cannot be mapped (then the result is simply not cached).
     */
    public static CachedResult toEntry(TextAnalysis fresh, NormalizedText text, long now) {
        List<EntitySpan> spans = fresh.entities() == null ? List.of() : fresh.entities();
        List<CachedEntity> entities = new ArrayList<>(spans.size());
        for (EntitySpan entity : spans) {
            int[] span = text.toNormal(entity.start(), entity.end());
            if (span == null) {
                return null;
            }
            entities.add(new CachedEntity(entity.type().name(), span[0], span[1], entity.confidence()));
        }
        ByteBuffer vector = ByteBuffer.allocate(4 * fresh.vector().length).order(ByteOrder.LITTLE_ENDIAN);
        vector.asFloatBuffer().put(fresh.vector());
        // A head that did not run leaves neutral placeholders: the key says what was computed (see
        // CacheKeys), so the entry is only ever served where that head does not run either.
        SentimentScores sentiment = fresh.sentiment() == null ? NOT_COMPUTED : fresh.sentiment();
        return CachedResult.newBuilder()
                .setVector(vector)
                .setTokenCount(fresh.tokenCount())
                .setTruncated(fresh.truncated())
                .setLabel(sentiment.label().name())
                .setNegative(sentiment.negative())
                .setNeutral(sentiment.neutral())
                .setPositive(sentiment.positive())
                .setEntities(entities)
                .setStoredAt(now)
                .build();
    }

    /**
     * The entry served for {@code original}, a text with the entry's normal form ({@code text}):
     * entity offsets mapped onto this spelling, each span's text cut from it. Null if a span cannot be
     * mapped. Only what {@code plan} computes is served (the rest is null, as it was when computed).
     *
     * @param windowsOfTokenCount the windows a text of that many encoded tokens takes (the long-text policy)
     */
    public static TextAnalysis serve(CachedResult entry, String original, NormalizedText text, HeadPlan plan,
            IntUnaryOperator windowsOfTokenCount) {
        List<EntitySpan> entities = null;
        if (plan.entities()) {
            entities = new ArrayList<>(entry.getEntities().size());
            for (CachedEntity cached : entry.getEntities()) {
                int[] span = text.toOriginal(cached.getStart(), cached.getEnd());
                if (span == null) {
                    return null;
                }
                entities.add(new EntitySpan(EntityKind.valueOf(cached.getType()), span[0], span[1],
                        original.substring(span[0], span[1]), cached.getConfidence()));
            }
        }
        ByteBuffer bytes = entry.getVector().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(vector);
        SentimentScores sentiment = plan.sentiment() ? new SentimentScores(Polarity.valueOf(entry.getLabel()),
                entry.getNegative(), entry.getNeutral(), entry.getPositive()) : null;
        // The entry keeps the token count, not the windows: they follow from it (the key covers the policy).
        return new TextAnalysis(vector, entry.getTokenCount(), entry.getTruncated(),
                windowsOfTokenCount.applyAsInt(entry.getTokenCount()), sentiment, entities);
    }
}
