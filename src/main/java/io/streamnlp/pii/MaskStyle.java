package io.streamnlp.pii;

import java.util.Locale;

/** How a redacted span is written ({@code pii.mask}). */
public enum MaskStyle {
    /** {@code [EMAIL]}, {@code [PHONE]}, {@code [PER]}: the type, nothing of the value. */
    TYPE,
    /** {@code ****}: four stars whatever the length, so not even the length is kept. */
    STARS,
    /**
     * {@code [EMAIL:5f0c2a9e41b7d3c8]}: the type and the first 64 bits of HMAC-SHA256 over the value in
     * a canonical form, under {@code pii.hash.key}: the same value gives the same mask, so records can
     * still be joined or counted per person, and without the key the value cannot be guessed by hashing
     * candidates.
     */
    HASH;

    public static MaskStyle parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
