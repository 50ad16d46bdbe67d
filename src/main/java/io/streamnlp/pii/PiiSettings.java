package io.streamnlp.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.EnumSet;
import java.util.Locale;
import java.util.List;
import java.util.Set;

/**
 * The PII settings, checked.
 *
 * @param detect find personal data and put the spans on the enriched record ({@code pii.detect})
 * @param redact also mask it wherever the text is written ({@code pii.redact}; implies detect)
 * @param detectors the detectors that run ({@code pii.detectors})
 * @param phoneRegions region hints for national phone formats ({@code pii.phone.regions})
 * @param mask how a span is masked ({@code pii.mask})
 * @param hashKey the HMAC key of {@link MaskStyle#HASH} ({@code pii.hash.key}); null otherwise
 * @param deadLetters what redaction does to dead letters ({@code pii.dead.letters})
 */
public record PiiSettings(boolean detect, boolean redact, Set<PiiType> detectors, List<String> phoneRegions,
        MaskStyle mask, byte[] hashKey, DeadLetterValues deadLetters) {

    /** Off: nothing detected, nothing redacted (the default). */
    public static final PiiSettings OFF = new PiiSettings(false, false, EnumSet.noneOf(PiiType.class), List.of(),
            MaskStyle.TYPE, null, DeadLetterValues.REDACT);

    public PiiSettings {
        detectors = detectors.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(detectors);
        phoneRegions = List.copyOf(phoneRegions);
        if (redact && mask == MaskStyle.HASH && (hashKey == null || hashKey.length == 0)) {
            throw new IllegalArgumentException("pii.mask=hash needs a key: set pii.hash.key (a secret of at least 16 "
                    + "characters), or choose pii.mask=type or stars");
        }
    }

    /** The region codes libphonenumber does not know, of {@code regions}. */
    public static List<String> unknownPhoneRegions(List<String> regions) {
        Set<String> known = PhoneNumberUtil.getInstance().getSupportedRegions();
        return regions.stream().map(r -> r.trim().toUpperCase(Locale.ROOT)).filter(r -> !known.contains(r)).toList();
    }

    /** Whether anything is looked for. */
    public boolean active() {
        return detect || redact;
    }
}
