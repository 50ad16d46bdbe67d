package io.streamnlp.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a batch, sorted by token length, into sub-batches that are each padded to their own
 * longest text. One 300-token review in a batch of 20-token ones would otherwise make every row
 * 300 tokens long. A sub-batch grows while its padding stays under {@code maxWasteRatio} of its
 * real tokens, or while it is smaller than {@code minRows} (tiny ONNX calls cost more per row than
 * a little padding does) unless the next text is more than twice as long as the bucket's longest.
 */
public final class LengthBuckets {

    private LengthBuckets() {}

    /**
     * @param sortedLengths token lengths in ascending order
     * @return [start, end) index ranges over {@code sortedLengths}, covering it in order
     */
    public static List<int[]> split(int[] sortedLengths, double maxWasteRatio, int minRows) {
        List<int[]> ranges = new ArrayList<>();
        int start = 0;
        long real = 0;
        for (int i = 0; i < sortedLengths.length; i++) {
            int rows = i - start + 1;
            long padded = (long) rows * sortedLengths[i];
            long realWithThis = real + sortedLengths[i];
            boolean tooWasteful = padded - realWithThis > maxWasteRatio * realWithThis;
            boolean bigJump = rows > 1 && sortedLengths[i] > 2 * sortedLengths[i - 1];
            if (tooWasteful && (rows > minRows || bigJump)) {
                ranges.add(new int[] {start, i});
                start = i;
                real = sortedLengths[i];
            } else {
                real = realWithThis;
            }
        }
        if (start < sortedLengths.length) {
            ranges.add(new int[] {start, sortedLengths.length});
        }
        return ranges;
    }
}
