package io.streamnlp.pii;

import io.streamnlp.model.EntityKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a span of personal data is, with the name of the detector that finds it ({@code pii.detectors}).
 * The pattern types come first: where findings overlap, the earlier type names the merged span (an
 * e-mail address that the NER head also calls a person is an e-mail address).
 */
public enum PiiType {
    URL_SECRET("url-secret"),
    EMAIL("email"),
    IBAN("iban"),
    CARD("card"),
    IP("ip"),
    PHONE("phone"),
    PER("person"),
    LOC("location"),
    ORG("organization"),
    MISC("misc");

    private final String detector;

    PiiType(String detector) {
        this.detector = detector;
    }

    /** Its name in {@code pii.detectors}. */
    public String detector() {
        return detector;
    }

    /** Whether the NER head finds it (the others are patterns over the text). */
    public boolean fromEntities() {
        return ordinal() >= PER.ordinal();
    }

    /** The type of a NER span, for the entity detectors. */
    public static PiiType of(EntityKind kind) {
        return valueOf(kind.name());
    }

    /** The type whose detector is called {@code name} (as in {@code pii.detectors}). */
    public static PiiType byDetector(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (PiiType type : values()) {
            if (type.detector.equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown detector '" + name.trim() + "'; known: " + detectorNames());
    }

    /** Every detector's name, comma-separated. */
    public static String detectorNames() {
        return Arrays.stream(values()).map(PiiType::detector).collect(Collectors.joining(","));
    }
}
