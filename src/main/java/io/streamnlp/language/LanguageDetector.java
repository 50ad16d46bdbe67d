package io.streamnlp.language;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Lingua's detector over the candidate languages. Thread-safe; one per candidate set and mode in the process
 * ({@link #of}), and Lingua keeps the n-gram models of a language once for all detectors. Models load on first
 * use of a language; {@link #warmUp} loads them all at start, so the first events do not wait for them.
 */
public final class LanguageDetector {

    private static final Map<List<Object>, LanguageDetector> SHARED = new ConcurrentHashMap<>();

    private final com.github.pemistahl.lingua.api.LanguageDetector everyModel; // null for LOW
    private final com.github.pemistahl.lingua.api.LanguageDetector trigrams; // null for HIGH
    private final LanguageAccuracy accuracy;
    private final List<String> candidates;

    private LanguageDetector(List<String> candidates, LanguageAccuracy accuracy) {
        this.candidates = candidates;
        this.accuracy = accuracy;
        List<Language> languages = new ArrayList<>();
        for (String code : candidates) {
            languages.add(language(code));
        }
        Language[] chosen = languages.toArray(Language[]::new);
        // Lingua keeps each language's models once per process, so the AUTO pair holds no second copy.
        this.everyModel = accuracy.needsEveryModel() ? LanguageDetectorBuilder.fromLanguages(chosen).build() : null;
        this.trigrams = accuracy != LanguageAccuracy.HIGH
                ? LanguageDetectorBuilder.fromLanguages(chosen).withLowAccuracyMode().build() : null;
    }

    /**
     * The process's detector for these candidates.
     *
     * @throws IllegalArgumentException naming {@code language.candidates} for an unknown code or fewer than two
     */
    public static LanguageDetector of(List<String> candidates, LanguageAccuracy accuracy) {
        List<String> normalized = check(candidates);
        return SHARED.computeIfAbsent(List.of(normalized, accuracy), key -> new LanguageDetector(normalized, accuracy));
    }

    /**
     * The candidates, trimmed, lower case, without repeats.
     *
     * @throws IllegalArgumentException naming {@code language.candidates} for an unknown code or fewer than two
     */
    public static List<String> check(List<String> candidates) {
        Set<String> codes = new LinkedHashSet<>();
        for (String code : candidates) {
            codes.add(code.trim().toLowerCase(Locale.ROOT));
        }
        if (codes.size() < 2) {
            throw new IllegalArgumentException("language.candidates=" + String.join(",", candidates)
                    + " must name at least two languages (ISO 639-1 codes, e.g. en,de,fr)");
        }
        codes.forEach(LanguageDetector::language);
        return List.copyOf(codes);
    }

    /** The ISO 639-1 codes Lingua knows. */
    public static boolean knows(String code) {
        try {
            language(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Language language(String code) {
        try {
            Language language = Language.getByIsoCode639_1(IsoCode639_1.valueOf(code.trim().toUpperCase(Locale.ROOT)));
            if (language != Language.UNKNOWN) {
                return language;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("language.candidates: '" + code + "' is not an ISO 639-1 code of a language "
                + "the detector knows (e.g. en, de, fr, es, zh, ja)");
    }

    public List<String> candidates() {
        return candidates;
    }

    public LanguageAccuracy accuracy() {
        return accuracy;
    }

    /**
     * How much of a text is read, in chars: detection costs time in proportion to the text (about 1 ms of CPU per
     * 150 chars at the default candidates, much of it on the JVM's common pool), and a few sentences already tell
     * the language. So a 20 kB ticket costs what a long review does; a text that changes language after its first
     * sentences is reported in the language it starts in.
     */
    static final int SAMPLE_CHARS = 400;

    /**
     * The most likely candidate and how far ahead of the next one it is, from the text's first {@link #SAMPLE_CHARS}
     * chars. Links and @handles are left out first: they are no language's words, and a tweet of a few English
     * words and a link was otherwise often something else.
     */
    public DetectedLanguage detect(String text) {
        String sample = sample(text);
        String words = withoutLinksAndHandles(sample);
        var lingua = accuracy.trigramsOnly(sample.length()) ? trigrams : everyModel;
        SortedMap<Language, Double> values = lingua.computeLanguageConfidenceValues(words);
        if (values.isEmpty()) {
            return DetectedLanguage.UNDETERMINED;
        }
        // Lingua gives the most likely language 1.0 and each other one the ratio of their log-likelihoods, so
        // 1 - the runner-up's value is the relative distance between the two: near 0 when the text could be
        // either (three English words that are French too), 0.3 and more for a clear sentence.
        var entries = values.entrySet().iterator();
        Language best = entries.next().getKey();
        if (best == Language.UNKNOWN) {
            return DetectedLanguage.UNDETERMINED;
        }
        double runnerUp = entries.hasNext() ? entries.next().getValue() : 0.0;
        float confidence = (float) Math.max(0.0, Math.min(1.0, 1.0 - runnerUp));
        return new DetectedLanguage(best.getIsoCode639_1().toString().toLowerCase(Locale.ROOT), confidence);
    }

    /**
     * The first {@link #SAMPLE_CHARS} chars, cut back to the last whitespace so no word is cut (a script written without
     * spaces is cut at the limit), never inside a surrogate pair.
     */
    static String sample(String text) {
        if (text.length() <= SAMPLE_CHARS) {
            return text;
        }
        int end = SAMPLE_CHARS;
        while (end > SAMPLE_CHARS / 2 && !Character.isWhitespace(text.charAt(end))) {
            end--;
        }
        if (end == SAMPLE_CHARS / 2) {
            end = SAMPLE_CHARS; // no space in the second half: a script written without spaces
        }
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private static final Pattern LINKS_AND_HANDLES = Pattern.compile("(?:https?://|www\\.)\\S+|@\\w+");

    static String withoutLinksAndHandles(String text) {
        return text.indexOf('/') < 0 && text.indexOf('@') < 0 && !text.contains("www.") ? text
                : LINKS_AND_HANDLES.matcher(text).replaceAll(" ");
    }

    /**
     * Loads every candidate's models now, by detecting one text in each script, so the first events of a stream
     * do not pay for it.
     */
    public void warmUp() {
        for (String text : List.of("The quick brown fox jumps over the lazy dog again and again",
                "Съешь же ещё этих мягких французских булок", "هذا نص قصير للتجربة", "这是一个用于测试的句子",
                "これはテストのための文です", "이것은 시험용 문장입니다", "यह परीक्षण के लिए एक वाक्य है")) {
            // Both of an AUTO detector's models, whatever the length of these texts.
            for (var lingua : new com.github.pemistahl.lingua.api.LanguageDetector[] {everyModel, trigrams}) {
                if (lingua != null) {
                    lingua.computeLanguageConfidenceValues(text);
                }
            }
        }
    }
}
