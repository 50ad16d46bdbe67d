package io.streamnlp.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * Cache keys: the first 128 bits of SHA-256 over everything that decides a result — the encoder's
 * name and version, the version of each head that runs ("-" for one that does not, so an entry
 * without sentiment is never served where sentiment is wanted), the max length and the long-text
 * policy (they decide truncation and windows) — and the text in
 * {@link NormalizedText normal form}. A new model or head version therefore never meets an old
 * entry; 128 bits make an accidental collision out of reach (birthday bound about 2^64 texts).
 */
public final class CacheKeys {

    public static final int KEY_BYTES = 16;

    private final byte[] modelPrefix;

    /**
     * @param modelIdentity every version that decides a result, e.g. "e5-small-q|0.36.2|sentiment-v1-..|ner-v1-..|256"
     */
    public CacheKeys(String modelIdentity) {
        this.modelPrefix = (modelIdentity + '\u0000').getBytes(StandardCharsets.UTF_8);
    }

    public Bytes keyOf(NormalizedText text) {
        MessageDigest sha = sha256();
        sha.update(modelPrefix);
        sha.update(text.normal().getBytes(StandardCharsets.UTF_8));
        return Bytes.wrap(Arrays.copyOf(sha.digest(), KEY_BYTES));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
