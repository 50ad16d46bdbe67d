package io.streamnlp.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class RecordBudgetTest {

    /** Kafka's own upper bound, the one its producer compares with max.request.size (an internal class: tests only). */
    private static int kafkas(byte[] key, byte[] value, RecordHeaders headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key,
                value, headers.toArray());
    }

    @Test
    void theSizeIsKafkasUpperBoundForAnyKeyValueAndHeaders() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] key = random.nextInt(5) == 0 ? null : new byte[random.nextInt(300)];
            byte[] value = random.nextInt(7) == 0 ? null : new byte[random.nextInt(i % 50 == 0 ? 2_000_000 : 3_000)];
            RecordHeaders headers = new RecordHeaders();
            for (int h = random.nextInt(6); h > 0; h--) {
                headers.add("h" + "é".repeat(random.nextInt(4)), random.nextBoolean() ? null : new byte[random.nextInt(200)]);
            }
            assertThat(RecordBudget.sizeOf(key, value, headers)).as("record %d", i)
                    .isGreaterThanOrEqualTo(kafkas(key, value, headers))
                    .isLessThanOrEqualTo(kafkas(key, value, headers) + 64);
        }
    }

    @Test
    void aRecordFitsUpToTheLimitAndNotOneByteMore() {
        RecordBudget budget = RecordBudget.of(10_000);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[20]);
        int room = budget.valueRoom(new byte[8], headers);
        assertThat(budget.fits(new byte[8], new byte[room], headers)).isTrue();
        assertThat(budget.fits(new byte[8], new byte[room + 1], headers)).isFalse();
    }

    @Test
    void theBudgetIsTheProducersMaxRequestSizeOfAStreamsConfiguration() {
        assertThat(RecordBudget.ofStreamsConfig(Map.of()).limit()).isEqualTo(1_048_576);
        assertThat(RecordBudget.ofStreamsConfig(Map.of("max.request.size", "2000000")).limit()).isEqualTo(2_000_000);
        assertThat(RecordBudget.ofStreamsConfig(Map.of("max.request.size", "2000000", "producer.max.request.size", 3_000_000))
                .limit()).as("the producer's own setting wins").isEqualTo(3_000_000);
        assertThatThrownBy(() -> RecordBudget.of(50)).hasMessageContaining("max.request.size=50");
    }

    @Test
    void headersCountTheirKeysInUtf8() {
        RecordHeaders headers = new RecordHeaders();
        Header header = new org.apache.kafka.common.header.internals.RecordHeader("ü", new byte[3]);
        headers.add(header);
        assertThat(RecordBudget.headersSize(headers)).isEqualTo(1 + 2 + 1 + 3);
    }

    /** Per header Kafka counts a few bytes of lengths: the budget counts them exactly, however many. */
    @Test
    void manyHeadersCountAsKafkaCountsThem() {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < 200_000; i++) {
            headers.add("h", i % 2 == 0 ? null : new byte[i % 300]);
        }
        byte[] key = new byte[10];
        byte[] value = new byte[1_000];
        assertThat(RecordBudget.sizeOf(key, value, headers)).isGreaterThanOrEqualTo(kafkas(key, value, headers))
                .isLessThanOrEqualTo(kafkas(key, value, headers) + 64);
    }
}
