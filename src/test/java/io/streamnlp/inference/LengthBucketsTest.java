package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

    @Test
    void similarLengthsStayInOneBucket() {
        List<int[]> ranges = LengthBuckets.split(new int[] {20, 20, 21, 21, 22, 22}, 0.10, 4);
        assertThat(ranges).hasSize(1);
        assertThat(ranges.get(0)).containsExactly(0, 6);
    }

    @Test
    void aLongTailGetsItsOwnBucket() {
        int[] lengths = {10, 10, 11, 12, 12, 13, 14, 200, 210};
        List<int[]> ranges = LengthBuckets.split(lengths, 0.10, 4);
        assertThat(ranges).hasSizeGreaterThan(1);
        assertThat(ranges.getFirst()[0]).isZero();
        assertThat(ranges.getLast()[1]).isEqualTo(lengths.length);
        long padded = 0;
        long real = 0;
        for (int[] r : ranges) {
            padded += (long) (r[1] - r[0]) * lengths[r[1] - 1];
            for (int i = r[0]; i < r[1]; i++) {
                real += lengths[i];
            }
        }
        // One tensor would pad everything to 210 tokens: 9 x 210 = 1890 for 492 real tokens.
        assertThat((double) padded / real).isLessThan(1.25);
    }

    @Test
    void rangesCoverEveryIndexOnceInOrder() {
        int[] lengths = {3, 5, 8, 13, 21, 34, 55, 89, 144, 233};
        List<int[]> ranges = LengthBuckets.split(lengths, 0.10, 2);
        int expectedStart = 0;
        for (int[] r : ranges) {
            assertThat(r[0]).isEqualTo(expectedStart);
            assertThat(r[1]).isGreaterThan(r[0]);
            expectedStart = r[1];
        }
        assertThat(expectedStart).isEqualTo(lengths.length);
    }
}
