package io.streamnlp.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LanguageGateTest {

    private static final String GERMAN = "Die Lieferung kam zwei Tage zu spät und der Karton war zerdrückt.";
    private static final String FRENCH = "Le service client n'a jamais répondu à mes messages, je suis très déçu.";
    private static final String CHINESE = "快递晚了两天才到，而且盒子都被压坏了，客服也不回复。";
    private static final String ENGLISH = "The delivery arrived two days late and the box was crushed.";

    private static final LanguageGate DEFAULT = LanguageGate.of(LanguageSettings.defaults(), Set.of("en"));

    @Test
    void germanFrenchAndChineseTextsAreFoundAndKeptFromEnglishHeadsByDefault() {
        assertThat(DEFAULT.check(GERMAN)).satisfies(v -> {
            assertThat(v.code()).isEqualTo("de");
            assertThat(v.confidence()).isGreaterThan(0.1f);
            assertThat(v.headsLanguage()).isFalse();
            assertThat(v.action()).isEqualTo(LanguageVerdict.Action.SKIP_HEADS);
        });
        assertThat(DEFAULT.check(FRENCH).code()).isEqualTo("fr");
        assertThat(DEFAULT.check(FRENCH).action()).isEqualTo(LanguageVerdict.Action.SKIP_HEADS);
        assertThat(DEFAULT.check(CHINESE).code()).isEqualTo("zh");
        assertThat(DEFAULT.check(CHINESE).action()).isEqualTo(LanguageVerdict.Action.SKIP_HEADS);
    }

    @Test
    void aKeptDetectionGivesTheVerdictACheckGivesAndTheIdentityNamesAccuracyAndCandidates() {
        for (String text : List.of(GERMAN, FRENCH, CHINESE, ENGLISH, "Sehr gut!", "RIO DE JANEIRO 1996-12-05", "12345 !!! 678")) {
            LanguageVerdict checked = DEFAULT.check(text);
            assertThat(DEFAULT.verdict(checked.detected(), text)).as(text).isEqualTo(checked);
        }
        LanguageGate low = LanguageGate.of(new LanguageSettings(true, List.of("en", "de"), LanguageAccuracy.LOW, 0.1, 10,
                UnsupportedLanguagePolicy.DEAD_LETTER), Set.of("en"));
        assertThat(low.identity()).isEqualTo("low:en,de");
        assertThat(DEFAULT.identity()).isEqualTo("auto:" + String.join(",", LanguageSettings.DEFAULT_CANDIDATES));
        assertThat(low.verdict(new DetectedLanguage("de", 0.4f), GERMAN).action()).isEqualTo(LanguageVerdict.Action.DEAD_LETTER);
        assertThat(LanguageGate.OFF.identity()).isNull();
        assertThat(LanguageGate.OFF.verdict(new DetectedLanguage("de", 0.4f), GERMAN)).isEqualTo(LanguageVerdict.NOT_CHECKED);
    }

    @Test
    void aLongTextIsJudgedByItsFirstSentences() {
        String german = (GERMAN + " ").repeat(4);
        assertThat(german.length()).isGreaterThan(LanguageDetector.SAMPLE_CHARS / 2).isLessThan(LanguageDetector.SAMPLE_CHARS);
        String longText = german + (ENGLISH + " ").repeat(200);
        assertThat(DEFAULT.check(longText).code()).isEqualTo("de");

        String sample = LanguageDetector.sample(longText);
        assertThat(sample.length()).isLessThanOrEqualTo(LanguageDetector.SAMPLE_CHARS);
        assertThat(longText).startsWith(sample);
        assertThat(Character.isWhitespace(longText.charAt(sample.length()))).as("cut at a space").isTrue();
        String chinese = CHINESE.repeat(30);
        assertThat(LanguageDetector.sample(chinese)).hasSize(LanguageDetector.SAMPLE_CHARS);
        String emoji = "a" + "\uD83D\uDE00".repeat(300);
        assertThat(Character.isHighSurrogate(LanguageDetector.sample(emoji).charAt(LanguageDetector.sample(emoji).length() - 1)))
                .as("never half a surrogate pair").isFalse();
        assertThat(LanguageDetector.sample(GERMAN)).isSameAs(GERMAN);
    }

    @Test
    void anEnglishTextIsAnalysed() {
        LanguageVerdict verdict = DEFAULT.check(ENGLISH);
        assertThat(verdict.code()).isEqualTo("en");
        assertThat(verdict.headsLanguage()).isTrue();
        assertThat(verdict.action()).isEqualTo(LanguageVerdict.Action.ANALYSE);
    }

    @Test
    void shortOrAmbiguousTextsCountAsTheHeadsLanguage() {
        // Detected as German, but too few letters to skip on a guess.
        LanguageVerdict shortGerman = DEFAULT.check("Sehr gut!");
        assertThat(shortGerman.code()).isEqualTo("de");
        assertThat(shortGerman.action()).isEqualTo(LanguageVerdict.Action.ANALYSE);
        // English words that read as French too: near-zero distance between the two.
        LanguageVerdict ambiguous = DEFAULT.check("audio is excellent, the controls are simple");
        assertThat(ambiguous.action()).isEqualTo(LanguageVerdict.Action.ANALYSE);
        // Names and figures only (a news dateline, a score): no lower-case word to judge by.
        assertThat(DEFAULT.check("RIO DE JANEIRO 1996-12-05").action()).isEqualTo(LanguageVerdict.Action.ANALYSE);
        assertThat(DEFAULT.check("Estudiantes Madrid ( Spain ) 9 5 4 14").action()).isEqualTo(LanguageVerdict.Action.ANALYSE);
        // No letters at all: no language.
        assertThat(DEFAULT.check("12345 !!! 678").code()).isNull();
        assertThat(DEFAULT.check("12345 !!! 678").action()).isEqualTo(LanguageVerdict.Action.ANALYSE);
    }

    @Test
    void linksAndHandlesDoNotMakeAnEnglishTweetForeign() {
        LanguageVerdict tweet = DEFAULT.check("Obama is gonna be at the Illegal Miss USA pageant tomorrow. https://t.co/jZ107vMJZM");
        assertThat(tweet.code()).isEqualTo("en");
        assertThat(DEFAULT.check("@SobatHAPE @Motorola When can we get the new phone in our country?").code()).isEqualTo("en");
    }

    @Test
    void thePolicyDecidesWhatHappensToTextsOutsideTheHeadsLanguages() {
        LanguageGate enrich = LanguageGate.of(LanguageSettings.defaults().withPolicy(UnsupportedLanguagePolicy.ENRICH), Set.of("en"));
        assertThat(enrich.check(GERMAN).action()).isEqualTo(LanguageVerdict.Action.ANALYSE);
        assertThat(enrich.check(GERMAN).headsLanguage()).isFalse();
        assertThat(enrich.check(GERMAN).code()).isEqualTo("de");
        LanguageGate deadLetter = LanguageGate.of(LanguageSettings.defaults().withPolicy(UnsupportedLanguagePolicy.DEAD_LETTER),
                Set.of("en"));
        assertThat(deadLetter.check(GERMAN).action()).isEqualTo(LanguageVerdict.Action.DEAD_LETTER);
        assertThat(deadLetter.check(ENGLISH).action()).isEqualTo(LanguageVerdict.Action.ANALYSE);
    }

    @Test
    void headsOfMoreLanguagesJudgeTextsInAnyOfThem() {
        LanguageGate multilingual = LanguageGate.of(LanguageSettings.defaults(), Set.of("en", "DE", " fr"));
        assertThat(multilingual.check(GERMAN).action()).isEqualTo(LanguageVerdict.Action.ANALYSE);
        assertThat(multilingual.check(FRENCH).action()).isEqualTo(LanguageVerdict.Action.ANALYSE);
        assertThat(multilingual.check(CHINESE).action()).isEqualTo(LanguageVerdict.Action.SKIP_HEADS);
    }

    @Test
    void offMeansNoLanguageAndEveryTextAnalysed() {
        LanguageGate off = LanguageGate.of(LanguageSettings.off(), Set.of("en"));
        assertThat(off.enabled()).isFalse();
        assertThat(off.check(GERMAN)).isEqualTo(LanguageVerdict.NOT_CHECKED);
        assertThat(off.check(GERMAN).code()).isNull();
        assertThat(off.check(GERMAN).confidence()).isNull();
    }

    @Test
    void unknownOrTooFewCandidatesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> LanguageDetector.check(List.of("en", "xx"))).hasMessageContaining("language.candidates")
                .hasMessageContaining("'xx'");
        assertThatThrownBy(() -> LanguageDetector.check(List.of("en", "EN "))).hasMessageContaining("language.candidates")
                .hasMessageContaining("at least two");
        assertThat(LanguageDetector.check(List.of(" EN", "de", "de"))).containsExactly("en", "de");
    }

    /**
     * language.accuracy=auto reads a text of 120 chars and more with the trigrams alone (the low mode's answer,
     * confidence included) and a shorter one with every model (the high mode's).
     */
    @Test
    void autoAccuracyReadsLongTextsWithTheTrigramsAndShortOnesWithEveryModel() {
        List<String> candidates = List.of("en", "de", "fr", "it", "pt", "es");
        LanguageDetector auto = LanguageDetector.of(candidates, LanguageAccuracy.AUTO);
        LanguageDetector high = LanguageDetector.of(candidates, LanguageAccuracy.HIGH);
        LanguageDetector low = LanguageDetector.of(candidates, LanguageAccuracy.LOW);
        String longText = "The delivery came two days late and the box was crushed, but the support team sent a new one "
                + "the next morning without any questions.";
        assertThat(longText.length()).isGreaterThanOrEqualTo(LanguageAccuracy.LONG_TEXT_CHARS);
        assertThat(auto.detect(longText)).isEqualTo(low.detect(longText));
        boolean modesDifferOnAShortText = false;
        for (String shortText : List.of("Lo ricomprerei.", "Caro demais.", "A sopa estava fria e o pão estava duro.",
                "audio is excellent .", "Sehr gut!")) {
            assertThat(shortText.length()).isLessThan(LanguageAccuracy.LONG_TEXT_CHARS);
            assertThat(auto.detect(shortText)).as(shortText).isEqualTo(high.detect(shortText));
            modesDifferOnAShortText |= !high.detect(shortText).equals(low.detect(shortText));
        }
        // Otherwise the assertions above could not tell which model read the short texts.
        assertThat(modesDifferOnAShortText).as("the two modes part on some short text").isTrue();
        assertThat(LanguageAccuracy.of(" AUTO ")).isEqualTo(LanguageAccuracy.AUTO);
        assertThatThrownBy(() -> LanguageAccuracy.of("medium")).hasMessageContaining("language.accuracy");
    }

    @Test
    void oneDetectorPerCandidateSetAndMode() {
        assertThat(LanguageDetector.of(List.of("en", "de"), LanguageAccuracy.HIGH))
                .isSameAs(LanguageDetector.of(List.of("EN", "de"), LanguageAccuracy.HIGH));
        assertThat(LanguageDetector.of(List.of("en", "de"), LanguageAccuracy.HIGH))
                .isNotSameAs(LanguageDetector.of(List.of("en", "de"), LanguageAccuracy.LOW));
    }

    /**
     * The labelled multilingual set (src/test/resources/language/multilingual.tsv, 11 languages, 25 sentences each,
     * a third of them short): at the default candidates every sentence is given its language (measured 100 %;
     * README, language identification), and every long non-English one is kept from the English heads.
     */
    @Test
    void theLabelledMultilingualSetIsIdentified() {
        LanguageDetector detector = LanguageDetector.of(LanguageSettings.DEFAULT_CANDIDATES, LanguageAccuracy.AUTO);
        List<LanguageMeasurement.Labelled> rows = LanguageMeasurement.labelled();
        assertThat(rows).hasSize(275);
        long right = rows.stream().filter(r -> r.language().equals(detector.detect(r.text()).code())).count();
        assertThat((double) right / rows.size()).as("accuracy on the labelled set").isGreaterThanOrEqualTo(0.98);
        for (LanguageMeasurement.Labelled row : rows) {
            if (!row.language().equals("en") && LanguageGate.letters(row.text()) >= 30) {
                assertThat(DEFAULT.check(row.text()).action()).as(row.text()).isEqualTo(LanguageVerdict.Action.SKIP_HEADS);
            }
        }
    }

    @Test
    void lettersCountOnlyWordsThatDoNotStartWithACapital() {
        assertThat(LanguageGate.letters("Sehr gutes Produkt.")).isEqualTo(5);
        assertThat(LanguageGate.letters("SOCCER - JAPAN GET LUCKY WIN")).isZero();
        assertThat(LanguageGate.letters("质量非常好")).isEqualTo(5);
        assertThat(LanguageGate.letters("it's well-made")).isEqualTo(11);
    }

    /** The bundled sample reviews (demo, bench) are English: none is kept from the heads. */
    @Test
    void noBundledSampleReviewIsSkipped() throws Exception {
        try (var in = LanguageGateTest.class.getResourceAsStream("/samples/reviews.tsv")) {
            String[] lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
            int checked = 0;
            for (String line : lines) {
                String text = line.contains("\t") ? line.substring(line.lastIndexOf('\t') + 1) : line;
                if (!text.isBlank()) {
                    assertThat(DEFAULT.check(text).action()).as(text).isEqualTo(LanguageVerdict.Action.ANALYSE);
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(250);
        }
    }

}
