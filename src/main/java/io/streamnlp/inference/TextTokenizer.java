package io.streamnlp.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.util.Map;

/**
 * The encoder's HuggingFace tokenizer with our own length policy. The shipped tokenizer.json files
 * disagree (MiniLM's pads and truncates at 128, bge's and e5's set no limit), so padding is turned
 * off here (the encoder pads each sub-batch to its own longest text) and truncation is set to the
 * configured max length. Thread-safe: the native tokenizer holds no per-call state.
 */
public final class TextTokenizer implements AutoCloseable {

    /** BERT-style encoders have 512 learned positions; past that the graph fails. */
    public static final int HARD_MAX_LENGTH = 512;

    private final HuggingFaceTokenizer tokenizer;
    private final String prefix;
    private final int maxLength;
    private final byte[] fileDigest;

    public TextTokenizer(EncoderSpec spec, int maxLength) {
        if (maxLength < 8 || maxLength > HARD_MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "model.max.length must be between 8 and " + HARD_MAX_LENGTH + ", was " + maxLength);
        }
        OfflineDjl.configure();
        this.prefix = spec.textPrefix();
        this.maxLength = maxLength;
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "padding", "false",
                "truncation", "true",
                "maxLength", Integer.toString(maxLength),
                "modelMaxLength", Integer.toString(HARD_MAX_LENGTH));
        try (DigestInputStream json = new DigestInputStream(ModelResources.open(spec.tokenizerResource()),
                Fingerprint.sha256())) {
            this.tokenizer = HuggingFaceTokenizer.newInstance(json, options);
            json.transferTo(OutputStream.nullOutputStream());
            this.fileDigest = json.getMessageDigest().digest();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load tokenizer " + spec.tokenizerResource(), e);
        }
    }

    public int maxLength() {
        return maxLength;
    }

    /** SHA-256 of the tokenizer.json it was built from (part of the encoder's fingerprint). */
    byte[] fileDigest() {
        return fileDigest.clone();
    }

    /**
     * Tokenizes one text. Character offsets refer to {@code text} itself (in code points, see
     * {@link TokenizedText}): the model's prefix (e5's "query: ", ASCII, so its length in code
     * points is its length in chars) is added here and taken off again, so callers never see it.
     */
    public TokenizedText tokenize(String text) {
        Encoding encoding = tokenizer.encode(prefix + text);
        CharSpan[] spans = encoding.getCharTokenSpans();
        int n = encoding.getIds().length;
        int[] starts = new int[n];
        int[] ends = new int[n];
        int shift = prefix.length();
        for (int i = 0; i < n; i++) {
            CharSpan span = spans[i];
            boolean inText = span != null && span.getEnd() > shift;
            starts[i] = inText ? Math.max(0, span.getStart() - shift) : -1;
            ends[i] = inText ? span.getEnd() - shift : -1;
        }
        return new TokenizedText(encoding.getIds(), starts, ends, encoding.getWordIds(), encoding.exceedMaxLength());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
