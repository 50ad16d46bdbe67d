package io.streamnlp.language;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.app.StreamNlpApplication;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.inference.Pooling;
import io.streamnlp.registry.AvroSerdes;
import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.EnrichedEvent;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.Entity;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.testing.KafkaTestCluster;
import io.streamnlp.testing.TestRegistry;
import io.streamnlp.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23's "done when" for languages, on a real broker and registry: a German, a French and a Chinese text get
 * their language and no English sentiment under the default policy (their embedding is still written), an English
 * one comes out as it does with identification off; under {@code dead-letter} the three go to the dead-letter
 * topic with their original bytes.
 */
class LanguageIntegrationTest {

    private static final String INPUT = "lang.chat";
    /** fp32: vectors do not depend on batch composition, so two runs compare exactly. */
    private static final String MODEL = "minilm-l6";

    private static final Map<String, String> TEXTS = new LinkedHashMap<>();

    static {
        TEXTS.put("de", "Die Lieferung kam zwei Tage zu spät und der Karton war zerdrückt. Sehr enttäuschend!");
        TEXTS.put("fr", "Le service client n'a jamais répondu à mes messages, je suis très déçu de cette boutique.");
        TEXTS.put("zh", "快递晚了两天才到，而且盒子都被压坏了，客服也不回复。");
        TEXTS.put("en", "Maria from Google loved the pasta at our hotel in Paris. Fantastic service!");
    }

    @TempDir
    Path stateDir;

    @Test
    void foreignTextsGetTheirLanguageAndNoEnglishSentimentAndEnglishIsUnchanged() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start();
                SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()))) {
            kafka.createTopics(List.of(INPUT), 2);
            for (String prefix : List.of("on", "off", "dl")) {
                kafka.createTopics(List.of(prefix + ".embeddings", prefix + ".sentiment", prefix + ".entities",
                        prefix + ".enriched", prefix + ".dlq"), 2);
            }
            Map<String, String> valueById = new HashMap<>();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (Map.Entry<String, String> text : TEXTS.entrySet()) {
                    String value = "{\"id\":\"" + text.getKey() + "\",\"text\":\"" + text.getValue() + "\",\"language\":\"given-"
                            + text.getKey() + "\"}";
                    valueById.put(text.getKey(), value);
                    producer.send(new ProducerRecord<>(INPUT, text.getKey(), value));
                }
            }

            Run on;
            try (StreamNlpApplication app = new StreamNlpApplication(config(kafka, "lang-on", "on", Map.of()))) {
                app.start();
                on = Run.read(kafka, registry, "on", TEXTS.size());
            }
            Run off;
            try (StreamNlpApplication app = new StreamNlpApplication(config(kafka, "lang-off", "off",
                    Map.of(StreamNlpConfig.LANGUAGE_DETECT, "false")))) {
                app.start();
                off = Run.read(kafka, registry, "off", TEXTS.size());
            }

            for (String id : List.of("de", "fr", "zh")) {
                assertThat(on.embeddings().get(id).getDetectedLanguage()).as(id).isEqualTo(id);
                assertThat(on.embeddings().get(id).getLanguageConfidence()).as(id).isGreaterThanOrEqualTo(0.1f);
                assertThat(on.embeddings().get(id).getVector()).as("the embedding is still written").hasSize(384);
                assertThat(on.sentiment().get(id).getLabel()).as("no English sentiment for " + id).isNull();
                assertThat(on.sentiment().get(id).getSkipReason()).isEqualTo("language-not-supported");
                assertThat(on.sentiment().get(id).getDetectedLanguage()).isEqualTo(id);
                assertThat(on.entities().get(id).getEntities()).isEmpty();
                assertThat(on.entities().get(id).getSkipReason()).isEqualTo("language-not-supported");
                assertThat(on.enriched().get(id).getSentiment()).isNull();
                assertThat(on.enriched().get(id).getDetectedLanguage()).isEqualTo(id);
                assertThat(on.enriched().get(id).getLanguage()).as("the producer's own field").isEqualTo("given-" + id);
                assertThat(off.sentiment().get(id).getLabel()).as("identification off: guessed as before").isNotNull();
            }

            // English: the same outputs as with identification off, plus its language.
            SentimentRecord en = on.sentiment().get("en");
            SentimentRecord enBefore = off.sentiment().get("en");
            assertThat(en.getLabel()).isNotNull().isEqualTo(enBefore.getLabel());
            assertThat(en.getPositive()).isEqualTo(enBefore.getPositive());
            assertThat(en.getNegative()).isEqualTo(enBefore.getNegative());
            assertThat(en.getSkipReason()).isNull();
            assertThat(en.getDetectedLanguage()).isEqualTo("en");
            assertThat(enBefore.getDetectedLanguage()).isNull();
            assertThat(spans(on.entities().get("en"))).isEqualTo(spans(off.entities().get("en"))).contains("Maria", "Google", "Paris");
            assertThat(on.entities().get("en").getSkipReason()).isNull();
            assertThat(Pooling.cosine(vector(on.embeddings().get("en")), vector(off.embeddings().get("en")))).isGreaterThan(0.9999);
            assertThat(on.enriched().get("en").getSentiment().getLabel()).isEqualTo(enBefore.getLabel());
            assertThat(on.enriched().get("en").getLanguage()).isEqualTo("given-en");

            // dead-letter: the three leave through the dead-letter topic, with their original bytes; English is out.
            try (StreamNlpApplication app = new StreamNlpApplication(config(kafka, "lang-dl", "dl",
                    Map.of(StreamNlpConfig.LANGUAGE_UNSUPPORTED_POLICY, "dead-letter")))) {
                app.start();
                var dead = TopicReader.readAllBytes(kafka.bootstrapServers(), "dl.dlq", 3, Duration.ofSeconds(60));
                assertThat(dead).hasSize(3);
                for (ConsumerRecord<byte[], byte[]> letter : dead) {
                    String id = new String(letter.key(), StandardCharsets.UTF_8);
                    assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(valueById.get(id));
                    assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.UNSUPPORTED_LANGUAGE);
                }
                var embeddings = TopicReader.readAll(kafka.bootstrapServers(), "dl.embeddings",
                        AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), 1, Duration.ofSeconds(60));
                assertThat(embeddings).extracting(r -> r.value().getId().toString()).containsExactly("en");
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private StreamNlpConfig config(KafkaTestCluster kafka, String applicationId, String prefix, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                StreamNlpConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                StreamNlpConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                StreamNlpConfig.APPLICATION_ID, applicationId,
                StreamNlpConfig.INPUT_TOPICS, INPUT + ":json",
                StreamNlpConfig.OUTPUT_TOPIC_PREFIX, prefix,
                StreamNlpConfig.MODEL_NAME, MODEL,
                StreamNlpConfig.METRICS_PORT, "0",
                StreamNlpConfig.STATE_DIR, stateDir.resolve(applicationId).toString()));
        settings.putAll(extra);
        return ConfigLoader.load(null, Map.of(), settings);
    }

    private static List<String> spans(EntitiesRecord record) {
        return record.getEntities().stream().map(Entity::getText).map(CharSequence::toString).toList();
    }

    private static float[] vector(EmbeddingRecord record) {
        float[] v = new float[record.getVector().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = record.getVector().get(i);
        }
        return v;
    }

    /** The four output topics of one run, by event id. */
    record Run(Map<String, EmbeddingRecord> embeddings, Map<String, SentimentRecord> sentiment,
            Map<String, EntitiesRecord> entities, Map<String, EnrichedEvent> enriched) {

        static Run read(KafkaTestCluster kafka, SchemaRegistryClient registry, String prefix, int expected) {
            Duration timeout = Duration.ofSeconds(90);
            return new Run(
                    byId(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".embeddings",
                            AvroSerdes.specific(EmbeddingRecord.class, registry, false).deserializer(), expected, timeout),
                            r -> r.getId().toString()),
                    byId(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".sentiment",
                            AvroSerdes.specific(SentimentRecord.class, registry, false).deserializer(), expected, timeout),
                            r -> r.getId().toString()),
                    byId(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".entities",
                            AvroSerdes.specific(EntitiesRecord.class, registry, false).deserializer(), expected, timeout),
                            r -> r.getId().toString()),
                    byId(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".enriched",
                            AvroSerdes.specific(EnrichedEvent.class, registry, false).deserializer(), expected, timeout),
                            r -> r.getId().toString()));
        }

        private static <V> Map<String, V> byId(List<ConsumerRecord<byte[], V>> records, Function<V, String> id) {
            Map<String, V> byId = new HashMap<>();
            for (ConsumerRecord<byte[], V> record : records) {
                assertThat(byId.put(id.apply(record.value()), record.value())).as("duplicate").isNull();
            }
            assertThat(byId).containsOnlyKeys(TEXTS.keySet());
            return byId;
        }
    }
}
