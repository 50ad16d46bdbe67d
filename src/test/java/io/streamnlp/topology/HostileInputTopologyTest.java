package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.budget.RecordBudget;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deadletter.DeadLetterHeaders;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.SentimentRecord;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.schema.internal.PendingText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a producer can send that the pipeline did not ask for: records at and around every size limit,
 * records whose outputs would not fit, and a live page that fails. Each must leave the other events
 * flowing, and go to the dead-letter topic with its reason and its own bytes.
 */
class HostileInputTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyHarness pipeline;

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String reason(TestRecord<byte[], byte[]> deadLetter) {
        return DeadLetterHeaders.read(deadLetter.headers(), DeadLetterHeaders.REASON);
    }

    /** A JSON event of exactly {@code bytes} bytes (key "k" + value): the text is padded to reach it. */
    private static byte[] jsonOf(String id, int bytes) {
        String head = "{\"id\":\"" + id + "\",\"text\":\"Fine coffee";
        String tail = "\"}";
        return utf8(head + " ".repeat(bytes - 1 - head.length() - tail.length()) + tail);
    }

    /** An Avro event of exactly {@code bytes} bytes with key "k" (lengths are varints: padding is found, not computed). */
    private byte[] avroOf(String id, int bytes) {
        int base = pipeline.avro(TextEvent.newBuilder().setId(id).setText("Fine cake").build()).length + 1;
        for (int pad = bytes - base; pad >= 0; pad--) {
            byte[] value = pipeline.avro(TextEvent.newBuilder().setId(id).setText("Fine cake" + " ".repeat(pad)).build());
            if (value.length + 1 == bytes) {
                return value;
            }
        }
        throw new IllegalArgumentException("no Avro event of " + bytes + " bytes");
    }

    @Test
    void aRecordOverMaxRecordBytesIsDeadLetteredTooLargeInEveryFormatAndTheEventsAroundItComeOutOnce() {
        int limit = 2_000;
        pipeline = new TopologyHarness(stateDir, Map.of(StreamNlpConfig.MAX_RECORD_BYTES, Integer.toString(limit)), LiveFeed.NONE);
        byte[] k = utf8("k");
        // At the limit (key + value), then one byte over, per format; an ordinary event before and after each.
        pipeline.input("chat").pipeInput(k, jsonOf("j-before", 60));
        pipeline.input("chat").pipeInput(k, jsonOf("j-at", limit));
        byte[] jsonOver = jsonOf("j-over", limit + 1);
        pipeline.input("chat").pipeInput(k, jsonOver);
        pipeline.input("logs").pipeInput(utf8("t-at"), utf8("Fine tea" + " ".repeat(limit - 4 - 8)));
        byte[] textOver = utf8("Fine tea" + " ".repeat(limit - 4 - 8 + 1));
        pipeline.input("logs").pipeInput(utf8("t-ov"), textOver);
        byte[] avroAt = avroOf("a-at", limit);
        pipeline.input("reviews").pipeInput(k, avroAt);
        byte[] avroOver = avroOf("a-over", limit + 1);
        pipeline.input("reviews").pipeInput(k, avroOver);
        // Empty and one-byte values.
        pipeline.input("logs").pipeInput(utf8("t-0"), new byte[0]);
        pipeline.input("logs").pipeInput(utf8("t-1"), utf8("a"));
        pipeline.input("chat").pipeInput(k, new byte[0]);
        pipeline.input("chat").pipeInput(k, utf8("1"));
        pipeline.input("reviews").pipeInput(k, new byte[0]);
        pipeline.input("reviews").pipeInput(k, new byte[] {0});
        pipeline.input("chat").pipeInput(k, jsonOf("j-after", 60));
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(pipeline.values(OutputKind.EMBEDDINGS, EmbeddingRecord.class)).extracting(EmbeddingRecord::getId)
                .containsExactlyInAnyOrder("j-before", "j-at", "t-at", "a-at", "t-1", "j-after");
        List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters();
        assertThat(dead).extracting(HostileInputTopologyTest::reason).containsExactly(
                RejectReason.TOO_LARGE, RejectReason.TOO_LARGE, RejectReason.TOO_LARGE,
                RejectReason.EMPTY_TEXT, RejectReason.BAD_JSON, RejectReason.BAD_JSON, RejectReason.BAD_AVRO, RejectReason.BAD_AVRO);
        assertThat(dead.get(0).value()).as("the original bytes, whole: they fit").isEqualTo(jsonOver);
        assertThat(dead.get(1).value()).isEqualTo(textOver);
        assertThat(dead.get(2).value()).isEqualTo(avroOver);
        assertThat(DeadLetterHeaders.read(dead.get(0).headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .contains("max.record.bytes=" + limit).contains(Integer.toString(limit + 1));
        assertThat(DeadLetterHeaders.read(dead.get(0).headers(), DeadLetterHeaders.VALUE_TRUNCATED)).isNull();
        // Four distinct texts in normal form (padding is whitespace): "Fine coffee", "Fine tea", "Fine cake", "a".
        assertThat(pipeline.sessions.textsEncoded()).as("a rejected record costs no encoder pass").isEqualTo(4);
    }

    @Test
    void aValueTheBrokerAcceptedButNoDeadLetterCouldCarryIsCutToFitAndSaysItsSize() {
        pipeline = new TopologyHarness(stateDir, Map.of(), LiveFeed.NONE);
        byte[] value = new byte[1_048_400];
        Arrays.fill(value, (byte) 'a');
        pipeline.input("logs").pipeInput(utf8("huge"), value);
        pipeline.input("logs").pipeInput(utf8("next"), utf8("An ordinary review right after it."));
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));

        List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(reason(dead.get(0))).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(DeadLetterHeaders.read(dead.get(0).headers(), DeadLetterHeaders.VALUE_TRUNCATED)).isEqualTo("1048400");
        assertThat(RecordBudget.of(RecordBudget.KAFKA_DEFAULT_MAX_REQUEST_SIZE).fits(dead.get(0).key(), dead.get(0).value(),
                dead.get(0).headers())).as("the dead letter is within max.request.size").isTrue();
        assertThat(dead.get(0).value()).isEqualTo(Arrays.copyOf(value, dead.get(0).value().length));
        assertThat(pipeline.values(OutputKind.EMBEDDINGS, EmbeddingRecord.class)).extracting(EmbeddingRecord::getId)
                .containsExactly("next");
    }

    /**
     * An output that would pass the producer's max.request.size: its text alone is dead-lettered (reason
     * too-large, stage fan-out, its own original bytes), none of its outputs is written, its batch mates
     * come out, and it leaves the pending store. The budget is set between the sizes of two embedding
     * records that differ only by their ids' length.
     */
    @Test
    void aTextWhoseOutputWouldNotFitIsDeadLetteredAloneAndItsBatchMatesComeOut() {
        pipeline = new TopologyHarness(stateDir, Map.of(StreamNlpConfig.OUTPUTS, "embeddings"), LiveFeed.NONE);
        pipeline.input("logs").pipeInput(utf8("s"), utf8("Lovely staff."));
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));
        int shortRecord = RecordBudget.sizeOf(utf8("s"), pipeline.raw(OutputKind.EMBEDDINGS).get(0).value(), null);
        pipeline.close();

        String longId = "x".repeat(150);
        int maxRequestSize = shortRecord + 60;
        pipeline = new TopologyHarness(stateDir.resolve("second"), Map.of(
                StreamNlpConfig.OUTPUTS, "embeddings,sentiment",
                StreamNlpConfig.MAX_RECORD_BYTES, "200",
                StreamNlpConfig.CACHE_ENABLED, "false",
                "kafka.producer.max.request.size", Integer.toString(maxRequestSize)), LiveFeed.NONE);
        byte[] oversized = utf8("{\"id\":\"" + longId + "\",\"text\":\"Lovely staff.\"}");
        pipeline.input("chat").pipeInput(utf8("a"), utf8("{\"id\":\"a\",\"text\":\"Lovely staff.\"}"));
        pipeline.input("chat").pipeInput(utf8("b"), oversized);
        pipeline.input("chat").pipeInput(utf8("c"), utf8("{\"id\":\"c\",\"text\":\"Rude staff.\"}"));
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(pipeline.values(OutputKind.EMBEDDINGS, EmbeddingRecord.class)).extracting(EmbeddingRecord::getId)
                .containsExactly("a", "c");
        assertThat(pipeline.values(OutputKind.SENTIMENT, SentimentRecord.class)).as("all of an event's outputs or none")
                .extracting(SentimentRecord::getId).containsExactly("a", "c");
        List<TestRecord<byte[], byte[]>> dead = pipeline.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(reason(dead.get(0))).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(DeadLetterHeaders.read(dead.get(0).headers(), DeadLetterHeaders.STAGE)).isEqualTo(FanOutProcessor.STAGE);
        assertThat(DeadLetterHeaders.read(dead.get(0).headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .contains("embeddings").contains("max.request.size=" + maxRequestSize);
        assertThat(dead.get(0).value()).as("its own original bytes").isEqualTo(oversized);
        assertThat(dead.get(0).key()).isEqualTo(utf8("b"));
        KeyValueStore<Long, PendingText> pending = pipeline.driver.getKeyValueStore(TopologyNames.PENDING_STORE);
        try (var all = pending.all()) {
            assertThat(all.hasNext()).as("nothing left behind in the pending store").isFalse();
        }
    }

    @Test
    void aLivePageThatFailsNeverCostsARecord() {
        List<String> shown = new ArrayList<>();
        LiveFeed failing = (id, text, eventTimeMs, cached, sentiment, entities) -> {
            if (id.equals("boom")) {
                throw new IllegalStateException("the page broke on " + id);
            }
            shown.add(id);
        };
        pipeline = new TopologyHarness(stateDir, Map.of(), failing);
        for (String id : List.of("one", "boom", "two")) {
            pipeline.input("logs").pipeInput(utf8(id), utf8("Review " + id + " of a quiet hotel."));
        }
        pipeline.driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(pipeline.values(OutputKind.EMBEDDINGS, EmbeddingRecord.class)).extracting(EmbeddingRecord::getId)
                .containsExactly("one", "boom", "two");
        assertThat(pipeline.deadLetters()).isEmpty();
        assertThat(shown).containsExactly("one", "two");
    }
}
