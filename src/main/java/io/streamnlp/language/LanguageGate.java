package io.streamnlp.language;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, once per text before the encoder, what the task heads may judge: a text whose detected language is
 * one of the heads' languages, or that is too short ({@code language.min.length} letters) or too ambiguous
 * ({@code language.min.confidence}) to say otherwise, is analysed as any text; any other follows
 * {@code language.unsupported.policy}.
 */
public final class LanguageGate {

    /** Identification off: every text analysed, no language fields. */
    public static final LanguageGate OFF = new LanguageGate(LanguageSettings.off(), null, Set.of());

    private final LanguageSettings settings;
    private final LanguageDetector detector;
    private final Set<String> headsLanguages;
    private final String identity;

    private LanguageGate(LanguageSettings settings, LanguageDetector detector, Set<String> headsLanguages) {
        this.settings = settings;
        this.detector = detector;
        this.headsLanguages = headsLanguages;
        this.identity = detector == null ? null
                : settings.accuracy().settingName() + ":" + String.join(",", detector.candidates());
    }

    /**
     * @param headsLanguages ISO 639-1 codes of the languages the task heads were trained for (the model card's
     *     list; a custom model's {@code heads.languages})
     */
    public static LanguageGate of(LanguageSettings settings, Set<String> headsLanguages) {
        if (!settings.enabled()) {
            return OFF;
        }
        Set<String> heads = new TreeSet<>();
        headsLanguages.forEach(code -> heads.add(code.trim().toLowerCase(Locale.ROOT)));
        return new LanguageGate(settings, LanguageDetector.of(settings.candidates(), settings.accuracy()), Set.copyOf(heads));
    }

    public boolean enabled() {
        return detector != null;
    }

    public LanguageSettings settings() {
        return settings;
    }

    public Set<String> headsLanguages() {
        return headsLanguages;
    }

    /** Loads the detector's models (see {@link LanguageDetector#warmUp}); nothing when off. */
    public void warmUp() {
        if (detector != null) {
            detector.warmUp();
        }
    }

    public LanguageVerdict check(String text) {
        if (detector == null) {
            return LanguageVerdict.NOT_CHECKED;
        }
        return verdict(detector.detect(text), text);
    }

    /**
     * Which detector this gate runs: its accuracy and candidates. A detection kept with a cached result is reused
     * (by {@link #verdict}) only by a gate of the same identity; null when identification is off.
     */
    public String identity() {
        return identity;
    }

    /**
     * The verdict on {@code text} from a detection already made (by a detector of this {@link #identity}): the
     * settings applied as {@link #check} applies them, without detecting again.
     */
    public LanguageVerdict verdict(DetectedLanguage detected, String text) {
        if (detector == null) {
            return LanguageVerdict.NOT_CHECKED;
        }
        boolean heads = detected.code() == null || headsLanguages.contains(detected.code())
                || detected.confidence() < settings.minConfidence() || letters(text) < settings.minLength();
        if (heads) {
            return new LanguageVerdict(detected, true, LanguageVerdict.Action.ANALYSE);
        }
        LanguageVerdict.Action action = switch (settings.policy()) {
            case SKIP -> LanguageVerdict.Action.SKIP_HEADS;
            case ENRICH -> LanguageVerdict.Action.ANALYSE;
            case DEAD_LETTER -> LanguageVerdict.Action.DEAD_LETTER;
        };
        return new LanguageVerdict(detected, false, action);
    }

    /**
     * The letters that tell a language, in code points (a Han character counts one, as a Latin letter does): those
     * of words that do not start with a capital. Names, headlines in capitals and lists of teams and places are
     * read alike in many languages (a dateline "RIO DE JANEIRO 1996-12-05", a score "Portuguesa 1 Atletico
     * Mineiro 0" in an English news feed), so they alone do not make a text long enough to be judged.
     */
    static int letters(String text) {
        int letters = 0;
        boolean inWord = false;
        boolean counted = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                if (!inWord) {
                    inWord = true;
                    counted = !Character.isUpperCase(cp) && !Character.isTitleCase(cp);
                }
                if (counted) {
                    letters++;
                }
            } else if (Character.isWhitespace(cp) || !Character.isLetterOrDigit(cp) && cp != '\'' && cp != '\u2019'
                    && cp != '-') {
                inWord = false;
            }
        }
        return letters;
    }
}
