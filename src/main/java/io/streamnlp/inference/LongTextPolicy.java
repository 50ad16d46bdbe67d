package io.streamnlp.inference;

/**
 * What happens to a text longer than the max length ({@code long.text.*}).
 *
 * @param mode {@link Mode#WINDOW}: encode it in overlapping windows; {@link Mode#TRUNCATE}: encode its head
 * @param overlap tokens of text two neighbouring windows share ({@code long.text.stride}); 0 means a
 *     quarter of the max length
 * @param maxWindows most windows per text; a text that needs more is encoded in this many and flagged
 *     truncated
 */
public record LongTextPolicy(Mode mode, int overlap, int maxWindows) {

    /** Windows or truncation. */
    public enum Mode {
        WINDOW,
        TRUNCATE
    }

    /** What StreamNLP did before windows: the head of the text only. */
    public static final LongTextPolicy TRUNCATE_ONLY = new LongTextPolicy(Mode.TRUNCATE, 0, 1);

    public LongTextPolicy {
        if (overlap < 0 || maxWindows < 1) {
            throw new IllegalArgumentException("long.text.stride must be >= 0 and long.text.max.windows >= 1, were "
                    + overlap + " and " + maxWindows);
        }
    }

    /** The overlap in tokens for this max length: the setting, or a quarter of the max length for 0. */
    public int overlapFor(int maxLength) {
        return overlap > 0 ? overlap : maxLength / 4;
    }

    /** For the cache identity: everything of the policy that changes a result. */
    public String identity(int maxLength) {
        return mode == Mode.TRUNCATE ? "truncate" : "window:" + overlapFor(maxLength) + ":" + maxWindows;
    }
}
