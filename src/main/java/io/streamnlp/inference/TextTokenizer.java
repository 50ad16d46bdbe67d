package io.streamnlp.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
    private final byte[] json;
    /** Tokens of an empty text: the special tokens and the prefix's. */
    private final int specialTokens;
    private volatile HuggingFaceTokenizer untruncated;

    public TextTokenizer(EncoderSpec spec, int maxLength) {
        if (maxLength < 8 || maxLength > HARD_MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "model.max.length must be between 8 and " + HARD_MAX_LENGTH + ", was " + maxLength);
        }
        if (maxLength > spec.maxLength()) {
            throw new IllegalArgumentException("model.max.length " + maxLength + " is more than encoder " + spec.name()
                    + " takes (" + spec.maxLength() + " tokens" + (spec.custom() ? ", max.length in its model.properties" : "")
                    + ")");
        }
        OfflineDjl.configure();
        this.prefix = spec.textPrefix();
        this.maxLength = maxLength;
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "padding", "false",
                "truncation", "true",
                "maxLength", Integer.toString(maxLength),
                "modelMaxLength", Integer.toString(spec.maxLength()));
        try (InputStream json = ModelResources.open(spec, spec.tokenizerResource())) {
            this.json = json.readAllBytes();
            this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(this.json), options);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load tokenizer " + spec.tokenizerResource(), e);
        }
        this.fileDigest = Fingerprint.sha256().digest(json);
        // [CLS] prefix [SEP]: what every window repeats around its share of the text.
        this.specialTokens = tokenize("").length();
    }

    /**
     * The tokenizer without truncation, for texts that are encoded in windows; made on first use
     * (most streams never need it). Thread-safe.
     */
    private HuggingFaceTokenizer untruncated() {
        HuggingFaceTokenizer made = untruncated;
        if (made == null) {
            synchronized (this) {
                made = untruncated;
                if (made == null) {
                    try {
                        made = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), Map.of(
                                "addSpecialTokens", "true",
                                "padding", "false",
                                "truncation", "false"));
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot load the tokenizer again", e);
                    }
                    untruncated = made;
                }
            }
        }
        return made;
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
        return tokenized(tokenizer.encode(prefix + wellFormed(text)));
    }

    /**
     * {@code text} with every unpaired surrogate replaced by U+FFFD, one code point for one, so that
     * offsets still count the original's code points. The native tokenizer receives the string over
     * JNI; one half of a surrogate pair alone makes that conversion fall back to a lossy decoding of
     * the whole string (each of its bytes a U+FFFD, valid pairs included), and every offset after it
     * points past where it should, up to beyond the end of the text (found by the fuzz tests).
     * Returns {@code text} itself when it is well-formed, as nearly every text is.
     */
    static String wellFormed(String text) {
        char[] fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                if (fixed == null) {
                    fixed = text.toCharArray();
                }
                fixed[i] = '\uFFFD';
            }
        }
        return fixed == null ? text : new String(fixed);
    }

    /**
     * The first token the encoder sees for {@code text} (the prefix, if any, put before it), and
     * whether the tokenizer put it there as a special token ([CLS], {@code <s>}): what
     * {@link Pooling#CLS} takes the state of.
     */
    FirstToken firstToken(String text) {
        Encoding encoding = tokenizer.encode(prefix + text);
        String[] tokens = encoding.getTokens();
        if (tokens.length == 0) {
            return new FirstToken("", false);
        }
        return new FirstToken(tokens[0], encoding.getSpecialTokenMask()[0] == 1);
    }

    /** See {@link #firstToken}. */
    record FirstToken(String token, boolean special) {}

    /** Tokens of an empty text: the special tokens (and a prefix's) that every window repeats. */
    public int specialTokens() {
        return specialTokens;
    }

    /**
     * The text as the encoder will see it under {@code policy}: exactly {@link #tokenize} (one
     * window) when it fits in the max length or the policy truncates; otherwise overlapping windows
     * of the whole text's tokens, each with the special tokens (and prefix) around it and at most
     * max length long, up to the policy's number of windows (beyond: truncated). Every window's
     * offsets point into {@code text} itself, like {@link #tokenize}'s.
     */
    public TextWindows windows(String text, LongTextPolicy policy) {
        TokenizedText first = tokenize(text);
        if (!first.truncated() || policy.mode() == LongTextPolicy.Mode.TRUNCATE) {
            return TextWindows.single(first);
        }
        return TextWindows.split(tokenized(untruncated().encode(prefix + wellFormed(text))), maxLength, policy);
    }

    /** The number of windows a text of {@code tokenCount} encoded tokens (see {@link TextWindows#tokenCount()}) took. */
    public int windowsOf(int tokenCount, LongTextPolicy policy) {
        return TextWindows.count(tokenCount, specialTokens, maxLength, policy);
    }

    private TokenizedText tokenized(Encoding encoding) {
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
        if (untruncated != null) {
            untruncated.close();
        }
    }
}
