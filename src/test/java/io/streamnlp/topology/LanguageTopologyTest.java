package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.live.LiveView;
import io.streamnlp.live.TailRecord;
import io.streamnlp.ops.PipelineMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamnlp.model.SentimentScores;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.registry.InternalAvroSerde;
import io.streamnlp.schema.internal.CachedLanguage;
import io.streamnlp.schema.internal.CachedResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Language identification in the topology: every output carries the detected language; under the default policy
 * German, French and Chinese texts get no English sentiment or entities (marked instead), English ones are
 * unchanged; the other policies; the result cache; the live page's feed.
 */
class LanguageTopologyTest {

    static final String GERMAN = "Die Lieferung kam zwei Tage zu spät und der Karton war zerdrückt. Sehr enttäuschend!";
    static final String FRENCH = "Le service client n'a jamais répondu à mes messages, je suis très déçu de Paris.";
    static final String CHINESE = "快递晚了两天才到，而且盒子都被压坏了，客服也不回复。";
    static final String ENGLISH = "Maria from Google loved the pasta at our hotel in Paris. Fantastic service!";

    @TempDir
    Path stateDir;

    private TopologyHarness pipeline;
    private final Map<String, SentimentScores> liveSentiment = new ConcurrentHashMap<>();
    private final Map<String, Integer> liveEntities = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private void start(Map<String, String> settings) {
        LiveFeed live = (id, text, eventTimeMs, cached, sentiment, entities) -> {
            if (sentiment != null) {
                liveSentiment.put(id, sentiment);
            }
            liveEntities.put(id, entities == null ? 0 : entities.size());
        };
        Map<String, String> all = new HashMap<>(Map.of(StreamNlpConfig.ENRICHED_INCLUDE_TEXT, "true"));
        all.putAll(settings);
        pipeline = new TopologyHarness(stateDir, all, live);
    }

    private void json(String id, String text, String producersLanguage) {
        String value = "{\"id\":\"" + id + "\",\"text\":\"" + text + "\""
                + (producersLanguage == null ? "" : ",\"language\":\"" + producersLanguage + "\"") + "}";
        pipeline.input("chat").pipeInput(id.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private void pipeFourLanguages() {
        json("de", GERMAN, "de-DE");
        json("fr", FRENCH, null);
        json("zh", CHINESE, null);
        json("en", ENGLISH, "en");
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
    }

    private static <T> Map<String, T> byId(List<T> records, Function<T, CharSequence> id) {
        return records.stream().collect(Collectors.toMap(r -> id.apply(r).toString(), r -> r));
    }

    @Test
    void underTheDefaultPolicyForeignTextsGetTheirLanguageAndNoEnglishSentimentAndEnglishIsUnchanged() {
        start(Map.of());
        pipeFourLanguages();

        Map<String, EmbeddingRecord> embeddings = byId(pipeline.values(OutputKind.EMBEDDINGS, EmbeddingRecord.class),
                EmbeddingRecord::getId);
        Map<String, SentimentRecord> sentiment = byId(pipeline.values(OutputKind.SENTIMENT, SentimentRecord.class),
                SentimentRecord::getId);
        Map<String, EntitiesRecord> entities = byId(pipeline.values(OutputKind.ENTITIES, EntitiesRecord.class),
                EntitiesRecord::getId);
        Map<String, EnrichedEvent> enriched = byId(pipeline.values(OutputKind.ENRICHED, EnrichedEvent.class),
                EnrichedEvent::getId);
        assertThat(embeddings).as("every text keeps its embedding").containsOnlyKeys("de", "fr", "zh", "en");
        assertThat(pipeline.deadLetters()).isEmpty();

        for (String id : List.of("de", "fr", "zh")) {
            assertThat(embeddings.get(id).getDetectedLanguage()).as(id).isEqualTo(id);
            assertThat(embeddings.get(id).getLanguageConfidence()).as(id).isGreaterThan(0.1f);
            assertThat(embeddings.get(id).getVector()).hasSize(embeddings.get(id).getDimension());
            SentimentRecord s = sentiment.get(id);
            assertThat(s.getDetectedLanguage()).isEqualTo(id);
            assertThat(s.getLabel()).as("no English sentiment for " + id).isNull();
            assertThat(List.of(s.getNegative(), s.getNeutral(), s.getPositive())).containsOnly(0f);
            assertThat(s.getSkipReason()).isEqualTo("language-not-supported");
            EntitiesRecord e = entities.get(id);
            assertThat(e.getEntities()).as(id).isEmpty();
            assertThat(e.getSkipReason()).isEqualTo("language-not-supported");
            assertThat(e.getDetectedLanguage()).isEqualTo(id);
            EnrichedEvent r = enriched.get(id);
            assertThat(r.getSentiment()).isNull();
            assertThat(r.getEntities()).isEmpty();
            assertThat(r.getSkipReason()).isEqualTo("language-not-supported");
            assertThat(r.getDetectedLanguage()).isEqualTo(id);
            assertThat(r.getEmbedding()).isNotEmpty();
            assertThat(liveSentiment).as("the live page shows no sentiment for " + id).doesNotContainKey(id);
            assertThat(liveEntities.get(id)).isZero();
        }
        assertThat(enriched.get("de").getLanguage()).as("the producer's own language is kept beside").isEqualTo("de-DE");
        assertThat(enriched.get("fr").getLanguage()).isNull();

        SentimentRecord english = sentiment.get("en");
        assertThat(english.getLabel()).isNotNull();
        assertThat(english.getPositive() + english.getNegative() + english.getNeutral()).isGreaterThan(0.99f);
        assertThat(english.getSkipReason()).isNull();
        assertThat(english.getDetectedLanguage()).isEqualTo("en");
        assertThat(entities.get("en").getEntities()).extracting(x -> x.getText().toString()).contains("Maria", "Google", "Paris");
        assertThat(entities.get("en").getSkipReason()).isNull();
        assertThat(enriched.get("en").getSentiment()).isNotNull();
        assertThat(enriched.get("en").getLanguage()).isEqualTo("en");
        assertThat(enriched.get("en").getDetectedLanguage()).isEqualTo("en");
        assertThat(liveSentiment).containsKey("en");
    }

    @Test
    void aCachedForeignTextIsSkippedToo() {
        start(Map.of());
        json("de-1", GERMAN, null);
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
        json("de-2", GERMAN, null);
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
        List<SentimentRecord> sentiment = pipeline.values(OutputKind.SENTIMENT, SentimentRecord.class);
        assertThat(sentiment).extracting(r -> r.getId().toString()).containsExactly("de-1", "de-2");
        assertThat(sentiment).extracting(SentimentRecord::getCached).containsExactly(false, true);
        assertThat(sentiment).allSatisfy(r -> {
            assertThat(r.getLabel()).isNull();
            assertThat(r.getSkipReason()).isEqualTo("language-not-supported");
            assertThat(r.getDetectedLanguage()).isEqualTo("de");
        });
    }

    @Test
    void aHitTakesTheLanguageKeptWithItsEntryFromTheSameDetectorOnly() {
        start(Map.of());
        json("de-1", GERMAN, null);
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
        // The entry now says French, as if the detector had found that: a hit that identified its text again
        // would say German.
        String detector = cacheEntry().getValue().getLanguage().getDetector();
        assertThat(detector).startsWith("auto:").contains("de").contains("fr");
        keepLanguage(new CachedLanguage(detector, "fr", 0.5f));
        json("de-2", GERMAN, null);
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
        // Kept by another detector (other candidates or accuracy): not reused.
        keepLanguage(new CachedLanguage("low:en,fr", "fr", 0.5f));
        json("de-3", GERMAN, null);
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));

        List<SentimentRecord> sentiment = pipeline.values(OutputKind.SENTIMENT, SentimentRecord.class);
        assertThat(sentiment).extracting(r -> r.getId().toString()).containsExactly("de-1", "de-2", "de-3");
        assertThat(sentiment).extracting(SentimentRecord::getCached).containsExactly(false, true, true);
        assertThat(sentiment).extracting(r -> r.getDetectedLanguage().toString()).containsExactly("de", "fr", "de");
        assertThat(sentiment.get(1).getLanguageConfidence()).isEqualTo(0.5f);
        assertThat(sentiment).allSatisfy(r -> assertThat(r.getSkipReason()).isEqualTo("language-not-supported"));
    }

    private static final InternalAvroSerde<CachedResult> CACHE_CODEC = new InternalAvroSerde<>(CachedResult.class);

    private KeyValueStore<Bytes, byte[]> cacheStore() {
        return pipeline.driver.getKeyValueStore(TopologyNames.PARTITION_CACHE_STORE);
    }

    /** The cache's one entry, decoded. */
    private Map.Entry<Bytes, CachedResult> cacheEntry() {
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = cacheStore().all()) {
            all.forEachRemaining(entries::add);
        }
        assertThat(entries).hasSize(1);
        return Map.entry(entries.get(0).key, CACHE_CODEC.decode(entries.get(0).value));
    }

    /** Replaces the language kept with the cache's one entry. */
    private void keepLanguage(CachedLanguage language) {
        Map.Entry<Bytes, CachedResult> entry = cacheEntry();
        entry.getValue().setLanguage(language);
        cacheStore().put(entry.getKey(), CACHE_CODEC.encode(entry.getValue()));
    }

    @Test
    void enrichAnalysesEveryTextAsBefore() {
        start(Map.of(StreamNlpConfig.LANGUAGE_UNSUPPORTED_POLICY, "enrich"));
        pipeFourLanguages();
        Map<String, SentimentRecord> sentiment = byId(pipeline.values(OutputKind.SENTIMENT, SentimentRecord.class),
                SentimentRecord::getId);
        assertThat(sentiment).containsOnlyKeys("de", "fr", "zh", "en");
        assertThat(sentiment.values()).allSatisfy(s -> {
            assertThat(s.getLabel()).isNotNull();
            assertThat(s.getSkipReason()).isNull();
        });
        assertThat(sentiment.get("de").getDetectedLanguage()).isEqualTo("de");
    }

    @Test
    void deadLetterSendsForeignTextsToTheDeadLetterTopicWithTheirOriginalBytes() {
        start(Map.of(StreamNlpConfig.LANGUAGE_UNSUPPORTED_POLICY, "dead-letter"));
        pipeFourLanguages();
        assertThat(pipeline.values(OutputKind.EMBEDDINGS, EmbeddingRecord.class)).extracting(r -> r.getId().toString())
                .containsExactly("en");
        List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters();
        assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactlyInAnyOrder("de", "fr", "zh");
        for (TestRecord<byte[], byte[]> letter : dead) {
            assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.REASON))
                    .isEqualTo(RejectReason.UNSUPPORTED_LANGUAGE);
            assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                    .contains("language.unsupported.policy");
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).startsWith("{\"id\":\"" + new String(letter.key(),
                    StandardCharsets.UTF_8) + "\",\"text\":");
        }
        assertThat(pipeline.sessions.textsEncoded()).as("a dead-lettered text costs no encoder pass").isEqualTo(1);
    }

    @Test
    void withIdentificationOffNoLanguageFieldsAndEveryTextAnalysed() {
        start(Map.of(StreamNlpConfig.LANGUAGE_DETECT, "false"));
        pipeFourLanguages();
        List<SentimentRecord> sentiment = pipeline.values(OutputKind.SENTIMENT, SentimentRecord.class);
        assertThat(sentiment).hasSize(4).allSatisfy(s -> {
            assertThat(s.getLabel()).isNotNull();
            assertThat(s.getDetectedLanguage()).isNull();
            assertThat(s.getLanguageConfidence()).isNull();
        });
    }

    @Test
    void theLivePageShowsEachTextsLanguageAndNoSentimentForSkippedOnes() {
        LiveView view = new LiveView(new LiveView.Identity("lang", "m", "1", "s", "n"), new SimpleMeterRegistry(),
                PipelineMeters.none(), () -> "RUNNING");
        try {
            pipeline = new TopologyHarness(stateDir, Map.of(), view);
            pipeFourLanguages();
            Map<String, TailRecord> tail = view.tail(10).records().stream()
                    .collect(Collectors.toMap(TailRecord::id, r -> r));
            assertThat(tail).containsOnlyKeys("de", "fr", "zh", "en");
            for (String id : List.of("de", "fr", "zh")) {
                assertThat(tail.get(id).language()).isEqualTo(id);
                assertThat(tail.get(id).label()).as(id).isNull();
                assertThat(tail.get(id).entities()).isEmpty();
            }
            assertThat(tail.get("en").language()).isEqualTo("en");
            assertThat(tail.get("en").label()).isNotNull();
            assertThat(tail.get("en").entities()).extracting(TailRecord.Span::text).contains("Maria", "Google");
        } finally {
            view.close();
        }
    }

}
