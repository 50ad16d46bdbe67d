package io.streamnlp.inference;

/**
 * A text as the encoder sees it: word-piece ids with special tokens, before padding.
 *
 * @param ids word-piece ids, [CLS] ... [SEP]
 * @param charStarts per token, start offset into the original text, counted in Unicode code points
 *     as the Rust tokenizer reports them (-1 for special and prefix tokens); {@code heads.Words}
 *     maps them to Java's UTF-16 indices, so emoji and other supplementary characters stay right
 * @param charEnds per token, end offset (exclusive; -1 for special and prefix tokens)
 * @param wordIds per token, index of the word it belongs to (-1 for special tokens): the word-pieces
 *     of one word share it
 * @param truncated true when the text had more tokens than the max length and its tail was cut
 */
public record TokenizedText(long[] ids, int[] charStarts, int[] charEnds, long[] wordIds, boolean truncated) {

    /** Tokens the encoder will attend to (special tokens included). */
    public int length() {
        return ids.length;
    }
}
