package io.streamnlp.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each pattern detector on its own: what it must find, where exactly, and what it must leave. */
class PatternDetectorsTest {

    static List<String> found(PatternDetector detector, String text) {
        List<PiiSpan> spans = new ArrayList<>();
        detector.find(text, spans);
        return spans.stream().map(s -> text.substring(s.start(), s.end())).toList();
    }

    @Nested
    class Email {
        final EmailDetector email = new EmailDetector();

        @Test
        void plusAddressingUnicodeAndPunycodeDomains() {
            assertThat(found(email, "to jane+news@example.co.uk, cc renée@exämple.de and x@xn--bcher-kva.example."))
                    .containsExactly("jane+news@example.co.uk", "renée@exämple.de", "x@xn--bcher-kva.example");
            assertThat(found(email, "mailto:press@example.org")).containsExactly("press@example.org");
        }

        @Test
        void handlesUrlUserInfoAndSpelledOutAddressesAreNotEmails() {
            assertThat(found(email, "@janedoe, jane at example dot com, ftp://admin:pw@files.example.com/, a@b")).isEmpty();
        }
    }

    @Nested
    class Phone {
        final PhoneDetector phone = new PhoneDetector(List.of("US", "GB", "DE", "FR"));

        @Test
        void internationalAndNationalFormatsOfTheHintedRegions() {
            assertThat(found(phone, "Call +44 20 7946 0958 or (212) 736-5000, Festnetz 030 901820, +81 3-1234-5678"))
                    .containsExactlyInAnyOrder("+44 20 7946 0958", "(212) 736-5000", "030 901820", "+81 3-1234-5678");
        }

        @Test
        void numbersLabelledAsSomethingElseAreNotPhones() {
            assertThat(found(phone, "Invoice INV-2024-000123 due 15/03/2024; ISBN-10: 0-306-40615-2; order 030 901820"))
                    .isEmpty();
        }

        @Test
        void anUnknownRegionNamesTheProblem() {
            assertThatThrownBy(() -> new PhoneDetector(List.of("XX"))).hasMessageContaining("unknown region 'XX'");
        }
    }

    @Nested
    class Card {
        final CardDetector card = new CardDetector();

        @Test
        void everyMajorBrandWrittenTogetherOrGrouped() {
            assertThat(found(card, "visa 4111 1111 1111 1111, mc 5105-1051-0510-5100, amex 378282246310005, "
                    + "discover 6011111111111117, jcb 3530111333300000, diners 30569309025904, unionpay 6200000000000005"))
                    .hasSize(7);
        }

        @Test
        void aWrongCheckDigitOrAnUnknownPrefixIsNoCard() {
            assertThat(found(card, "4111 1111 1111 1112, EAN 5901234123457, order 1234567812345670, 4111-1111 1111-1111"))
                    .isEmpty();
            assertThat(CardDetector.luhn("79927398713")).isTrue();
            assertThat(CardDetector.luhn("79927398710")).isFalse();
        }
    }

    @Nested
    class Iban {
        final IbanDetector iban = new IbanDetector();

        @Test
        void severalCountriesGroupedOrNot() {
            assertThat(found(iban, "DE89 3704 0044 0532 0130 00 / GB82WEST12345698765432 / NO93 8601 1117 947."))
                    .containsExactly("DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "NO93 8601 1117 947");
        }

        @Test
        void aBadChecksumAWrongLengthOrAnUnknownCountryIsNoIban() {
            assertThat(found(iban, "DE89 3704 0044 0532 0130 01, DE89 3704 0044 0532 0130 0, ZZ89 3704 0044 0532 0130 00"))
                    .isEmpty();
        }
    }

    @Nested
    class Ip {
        final IpDetector ip = new IpDetector();

        @Test
        void v4AndV6() {
            assertThat(found(ip, "from 203.0.113.42:8080 and 2001:db8:85a3::8a2e:370:7334, fe80::1, ::ffff:192.0.2.128"))
                    .containsExactly("203.0.113.42", "2001:db8:85a3::8a2e:370:7334", "fe80::1", "::ffff:192.0.2.128");
        }

        @Test
        void versionsTimesMacAddressesAndScopeOperatorsAreNot() {
            assertThat(found(ip, "v1.2.3.4, 2.14.1, 1.2.3.4.5, 256.1.1.1, 10:30:00, 00:1A:2B:3C:4D:5E, std::vector, a::b"))
                    .isEmpty();
        }
    }

    @Nested
    class UrlSecret {
        final UrlSecretDetector url = new UrlSecretDetector();

        @Test
        void userInfoAndSecretParametersOnlyTheSecretParts() {
            assertThat(found(url, "https://u:p@h.example/x?token=abc&page=2#access_token=xyz, "
                    + "postgresql://app:s3cr3t@db:5432/shop, https://s.example/o?X-Amz-Signature=fe5f&api_key=K1."))
                    .containsExactly("u:p", "abc", "xyz", "app:s3cr3t", "fe5f", "K1");
        }

        @Test
        void ordinaryParametersAndPathsAreNot() {
            assertThat(found(url, "https://example.com/search?q=token&page=2 and https://example.com/api-key-rotation"))
                    .isEmpty();
        }
    }
}
