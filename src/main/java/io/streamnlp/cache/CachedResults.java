package io.streamnlp.cache;

import io.streamnlp.batching.Enrichment;
import io.streamnlp.heads.Entity;
import io.streamnlp.heads.EntityType;
import io.streamnlp.heads.Sentiment;
import io.streamnlp.heads.SentimentLabel;
import io.streamnlp.schema.internal.CachedEntity;
import io.streamnlp.schema.internal.CachedResult;
import io.streamnlp.schema.internal.PendingText;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Between a fresh {@link Enrichment} and the {@link CachedResult} kept in the store, both ways. */
public final class CachedResults {

    private CachedResults() {}

    /**
     * The cache entry for a fresh result, entity offsets moved to normal-form coordinates; null if an
     * entity cannot be mapped (then the result is simply not cached).
     */
    public static CachedResult toEntry(Enrichment fresh, NormalizedText text, long now) {
        List<CachedEntity> entities = new ArrayList<>(fresh.entities().size());
        for (Entity entity : fresh.entities()) {
            int[] span = text.toNormal(entity.start(), entity.end());
            if (span == null) {
                return null;
            }
            entities.add(new CachedEntity(entity.type().name(), span[0], span[1], entity.confidence()));
        }
        ByteBuffer vector = ByteBuffer.allocate(4 * fresh.vector().length).order(ByteOrder.LITTLE_ENDIAN);
        vector.asFloatBuffer().put(fresh.vector());
        Sentiment sentiment = fresh.sentiment();
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
     * The entry served for {@code event}, whose text has the entry's normal form: entity offsets
     * mapped onto this text, each span's text cut from it. Null if a span cannot be mapped.
     */
    public static Enrichment serve(CachedResult entry, PendingText event, NormalizedText text) {
        List<Entity> entities = new ArrayList<>(entry.getEntities().size());
        for (CachedEntity cached : entry.getEntities()) {
            int[] span = text.toOriginal(cached.getStart(), cached.getEnd());
            if (span == null) {
                return null;
            }
            entities.add(new Entity(EntityType.valueOf(cached.getType()), span[0], span[1],
                    event.getText().substring(span[0], span[1]), cached.getConfidence()));
        }
        ByteBuffer bytes = entry.getVector().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(vector);
        Sentiment sentiment = new Sentiment(SentimentLabel.valueOf(entry.getLabel()), entry.getNegative(),
                entry.getNeutral(), entry.getPositive());
        return new Enrichment(event, vector, entry.getTokenCount(), entry.getTruncated(), sentiment, entities, true);
    }
}
