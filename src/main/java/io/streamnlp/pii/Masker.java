package io.streamnlp.pii;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The mask that replaces one span's value, in the configured {@link MaskStyle}. Thread-safe. */
final class Masker {

    private static final String HMAC = "HmacSHA256";
    /** Hex digits of the HMAC kept in a mask: 64 bits, no collision in any realistic stream of values. */
    private static final int HASH_HEX_DIGITS = 16;

    private final MaskStyle style;
    private final ThreadLocal<Mac> mac;

    Masker(MaskStyle style, byte[] hashKey) {
        this.style = style;
        if (style == MaskStyle.HASH) {
            if (hashKey == null || hashKey.length == 0) {
                throw new IllegalArgumentException("a keyed hash needs a key");
            }
            SecretKeySpec key = new SecretKeySpec(hashKey.clone(), HMAC);
            this.mac = ThreadLocal.withInitial(() -> {
                try {
                    Mac m = Mac.getInstance(HMAC);
                    m.init(key);
                    return m;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(HMAC + " is not available in this JVM", e);
                }
            });
        } else {
            this.mac = null;
        }
    }

    String mask(PiiType type, String value) {
        return switch (style) {
            case TYPE -> "[" + type.name() + "]";
            case STARS -> "****";
            case HASH -> "[" + type.name() + ":" + hash(type, value) + "]";
        };
    }

    private String hash(PiiType type, String value) {
        byte[] digest = mac.get().doFinal((type.name() + ":" + canonical(type, value)).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
    }

    /**
     * The form in which two spellings of one value are one value: an address in any case, a number with
     * any grouping, a name with any spacing.
     */
    static String canonical(PiiType type, String value) {
        return switch (type) {
            case EMAIL -> Normalizer.normalize(value, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
            case PHONE, CARD -> value.replaceAll("\\D", "");
            case IBAN -> value.replace(" ", "").toUpperCase(Locale.ROOT);
            case IP -> value.toLowerCase(Locale.ROOT);
            default -> Normalizer.normalize(value, Normalizer.Form.NFC).strip().replaceAll("\\s+", " ");
        };
    }
}
