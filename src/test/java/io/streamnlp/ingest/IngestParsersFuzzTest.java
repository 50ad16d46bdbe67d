package io.streamnlp.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamnlp.deadletter.RejectReason;
import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.registry.ConfluentAvroDeserializer;
import io.streamnlp.registry.FixedSchemaLookup;
import io.streamnlp.registry.InternalAvroSerde;
import io.streamnlp.schema.TextEvent;
import io.streamnlp.schema.internal.PendingText;
import io.streamnlp.testing.Allocations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Coverage-guided fuzzing of the ingest parsers and the validator: whatever bytes arrive, a parser
 * returns an event or throws {@link RejectedInputException} with one of the reasons its format
 * documents (so the record is dead-lettered with the right reason), never anything else (no
 * {@link Error}, no other exception); it allocates in proportion to the record, whatever a length
 * prefix inside claims; and an event that passes {@link EventValidator} becomes a {@link PendingText}
 * (what ingest forwards) that the internal serde writes and reads back unchanged.
 *
 * <p>Without {@code JAZZER_FUZZ} each method replays its corpus, {@code
 * src/test/resources/io/streamnlp/ingest/IngestParsersFuzzTestInputs/<method>/} (README, "Fuzz tests").
 */
class IngestParsersFuzzTest {

    private static final String TOPIC = "reviews";
    /** {@code max.text.bytes} as small as the fuzzer's inputs, so that the limit is exercised too. */
    private static final EventValidator VALIDATOR = new EventValidator(256);
    private static final InternalAvroSerde<PendingText> PENDING = new InternalAvroSerde<>(PendingText.class);
    private static final TextEventParser AVRO = new AvroTextEventParser(
            new ConfluentAvroDeserializer<>(TextEvent.class, new FixedSchemaLookup(), 100));
    private static final TextEventParser JSON = new JsonTextEventParser();
    private static final TextEventParser TEXT = new PlainTextParser();
    private static final Set<String> VALIDATION = Set.of(RejectReason.MISSING_ID, RejectReason.EMPTY_TEXT,
            RejectReason.TEXT_TOO_LARGE);
    /** Per input byte: Jackson's tree and the event's strings take tens of bytes per byte of JSON. */
    private static final int PER_BYTE = 128;
    private static final long SLACK = 2 << 20;

    static {
        // Class loading and the first schema resolution allocate once; not the inputs' doing.
        for (int id = 1; id <= 4; id++) {
            accept(AVRO, null, FixedSchemaLookup.frame(id, new byte[] {2, 'a', 2, 'b', 0, 0, 0, 0, 0}));
        }
        accept(JSON, null, "{\"id\":\"1\",\"text\":\"hi\",\"eventTime\":\"2024-01-01T00:00:00Z\",\"x\":[1]}"
                .getBytes(StandardCharsets.UTF_8));
        accept(TEXT, new byte[] {'k'}, new byte[] {'v'});
    }

    /** The Confluent wire format: magic byte, schema id (see {@link FixedSchemaLookup}), Avro body. */
    @FuzzTest(maxDuration = "5s")
    void avro(byte[] value) {
        check(AVRO, null, value, Set.of(RejectReason.BAD_AVRO));
    }

    /** A JSON object with id, text and the optional fields. */
    @FuzzTest(maxDuration = "5s")
    void json(byte[] value) {
        check(JSON, null, value, Set.of(RejectReason.BAD_UTF8, RejectReason.BAD_JSON, RejectReason.MISSING_ID,
                RejectReason.MISSING_TEXT));
    }

    /**
     * The key is the id, the value the text. Input layout (so that seeds can be written by hand): the
     * first byte is the key's length (255: no key), then the key, then the value.
     */
    @FuzzTest(maxDuration = "5s")
    void plainText(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int keyLength = input[0] & 0xFF;
        byte[] key = keyLength == 255 ? null : Arrays.copyOfRange(input, 1, Math.min(input.length, 1 + keyLength));
        int valueFrom = Math.min(input.length, key == null ? 1 : 1 + key.length);
        check(TEXT, key, Arrays.copyOfRange(input, valueFrom, input.length),
                Set.of(RejectReason.MISSING_ID, RejectReason.BAD_UTF8));
    }

    private static void check(TextEventParser parser, byte[] key, byte[] value, Set<String> parserReasons) {
        Allocations.Action parse = () -> parser.parse(TOPIC, key, value);
        long before = Allocations.ofThisThread();
        TextEvent event;
        try {
            event = parser.parse(TOPIC, key, value);
        } catch (RejectedInputException rejected) {
            assertThat(rejected.reason()).as("reason of %s", rejected).isIn(parserReasons);
            Allocations.assertProportional(Allocations.ofThisThread() - before, parse, size(key, value), PER_BYTE, SLACK,
                    "a rejected parse");
            return;
        }
        Allocations.assertProportional(Allocations.ofThisThread() - before, parse, size(key, value), PER_BYTE, SLACK,
                "parsing");
        assertThat(event).isNotNull();
        try {
            VALIDATOR.validate(event);
        } catch (RejectedInputException rejected) {
            assertThat(rejected.reason()).as("reason of %s", rejected).isIn(VALIDATION);
            return;
        }
        // What ingest forwards: it must be writable and read back as it was.
        PendingText pending = IngestProcessor.pending(
                new Record<>(key, value, 1_700_000_000_000L, new RecordHeaders()), event, SOURCE, parser.valueIsText());
        assertThat(PENDING.decode(PENDING.encode(pending))).isEqualTo(pending);
    }

    private static TextEvent accept(TextEventParser parser, byte[] key, byte[] value) {
        try {
            return parser.parse(TOPIC, key, value);
        } catch (RejectedInputException e) {
            return null;
        }
    }

    private static int size(byte[] key, byte[] value) {
        return (key == null ? 0 : key.length) + value.length;
    }

    private static final RecordMetadata SOURCE = new RecordMetadata() {
        @Override
        public String topic() {
            return TOPIC;
        }

        @Override
        public int partition() {
            return 0;
        }

        @Override
        public long offset() {
            return 42;
        }
    };
}
