package io.streamnlp.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.model.EntityKind;
import io.streamnlp.model.EntitySpan;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiScannerTest {

    static final String TEXT = "Hi, I'm Jane Doe from Berlin: jane.doe+shop@example.com, +44 20 7946 0958, card 4111 1111 1111 1111.";
    static final List<EntitySpan> NER = List.of(
            new EntitySpan(EntityKind.PER, 8, 16, "Jane Doe", 0.9f),
            new EntitySpan(EntityKind.LOC, 22, 28, "Berlin", 0.9f),
            new EntitySpan(EntityKind.ORG, 44, 55, "example.com", 0.5f));

    static PiiSettings settings(MaskStyle mask, byte[] key, PiiType... detectors) {
        return new PiiSettings(true, true, detectors.length == 0 ? EnumSet.of(PiiType.EMAIL, PiiType.PHONE, PiiType.CARD,
                PiiType.IBAN, PiiType.IP, PiiType.URL_SECRET, PiiType.PER, PiiType.LOC) : EnumSet.of(detectors[0], detectors),
                List.of("US", "GB", "DE", "FR"), mask, key, DeadLetterValues.REDACT);
    }

    @Test
    void findsPatternsAndTheConfiguredEntityTypesInTextOrder() {
        PiiScanner scanner = new PiiScanner(settings(MaskStyle.TYPE, null));
        List<PiiSpan> spans = scanner.find(TEXT, NER);
        assertThat(spans).extracting(PiiSpan::type).containsExactly(PiiType.PER, PiiType.LOC, PiiType.EMAIL, PiiType.PHONE,
                PiiType.CARD);
        Redaction redacted = scanner.redact(TEXT, spans);
        assertThat(redacted.text()).isEqualTo("Hi, I'm [PER] from [LOC]: [EMAIL], [PHONE], card [CARD].");
        for (Redaction.Placed placed : redacted.spans()) {
            assertThat(redacted.text().substring(placed.redactedStart(), placed.redactedEnd()))
                    .isEqualTo("[" + placed.span().type() + "]");
        }
    }

    @Test
    void overlappingFindingsBecomeOneSpanNamedByTheMoreSpecificType() {
        List<PiiSpan> merged = PiiScanner.merged(List.of(new PiiSpan(PiiType.PER, 0, 8), new PiiSpan(PiiType.EMAIL, 0, 20),
                new PiiSpan(PiiType.PHONE, 18, 30)));
        assertThat(merged).containsExactly(new PiiSpan(PiiType.EMAIL, 0, 30));
    }

    @Test
    void aSwitchedOffDetectorFindsNothing() {
        PiiScanner emailOnly = new PiiScanner(settings(MaskStyle.TYPE, null, PiiType.EMAIL));
        assertThat(emailOnly.find(TEXT, NER)).containsExactly(new PiiSpan(PiiType.EMAIL, 30, 55));
    }

    @Test
    void starsKeepNotEvenTheLength() {
        PiiScanner scanner = new PiiScanner(settings(MaskStyle.STARS, null));
        assertThat(scanner.redact(TEXT, scanner.find(TEXT, NER)).text())
                .isEqualTo("Hi, I'm **** from ****: ****, ****, card ****.");
    }

    @Test
    void theKeyedHashIsStableAcrossSpellingsAndDependsOnTheKey() {
        byte[] key = "a-secret-of-sixteen+".getBytes(StandardCharsets.UTF_8);
        PiiScanner scanner = new PiiScanner(settings(MaskStyle.HASH, key));
        String a = scanner.redactPatterns("mail JANE@Example.com, card 4111-1111-1111-1111");
        String b = scanner.redactPatterns("mail jane@example.com, card 4111 1111 1111 1111");
        assertThat(a).isEqualTo(b).matches("mail \\[EMAIL:[0-9a-f]{16}], card \\[CARD:[0-9a-f]{16}]");
        PiiScanner otherKey = new PiiScanner(settings(MaskStyle.HASH, "another-secret-key".getBytes(StandardCharsets.UTF_8)));
        assertThat(otherKey.redactPatterns("mail jane@example.com")).isNotEqualTo(a.substring(0, a.indexOf(',')));
    }

    @Test
    void aHashWithoutAKeyNamesTheSetting() {
        assertThatThrownBy(() -> settings(MaskStyle.HASH, null)).hasMessageContaining("pii.hash.key");
    }

    @Test
    void anEntitysSurfaceTextLosesWhatIsRedacted() {
        PiiScanner scanner = new PiiScanner(settings(MaskStyle.TYPE, null));
        List<PiiSpan> spans = scanner.find(TEXT, NER);
        assertThat(scanner.maskPart(TEXT, 8, 16, spans)).isEqualTo("[PER]");
        assertThat(scanner.maskPart(TEXT, 44, 55, spans)).isEqualTo("[EMAIL]"); // an ORG inside the address
        assertThat(scanner.maskPart(TEXT, 0, 2, spans)).isEqualTo("Hi");
    }

    @Test
    void surrogatePairsStayWhole() {
        PiiScanner scanner = new PiiScanner(settings(MaskStyle.TYPE, null));
        String text = "😀 mail 😀x@example.com😀";
        assertThat(scanner.redactPatterns(text)).isEqualTo("😀 mail 😀[EMAIL]😀");
    }
}
