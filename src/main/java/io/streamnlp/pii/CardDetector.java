package io.streamnlp.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers: 12 to 19 digits, written together or grouped by single spaces or dashes,
 * whose prefix and length are those of a major brand (Visa, Mastercard, American Express, Discover,
 * JCB, Diners Club, UnionPay, Maestro) and whose Luhn check digit is right. A random digit string
 * passes Luhn one time in ten; the brand rule takes most of the rest out (order numbers rarely
 * start like a card).
 */
final class CardDetector implements PatternDetector {

    private static final Pattern CANDIDATE = Pattern.compile("(?<![\\p{N}\\p{L}.,/-])\\d(?:[ -]?\\d){11,18}(?![\\p{N}\\p{L}]|[.,/-]\\d)");

    private static final java.util.Set<Integer> MAESTRO = java.util.Set.of(5018, 5020, 5038, 5893, 6304, 6759, 6761,
            6762, 6763);

    @Override
    public PiiType type() {
        return PiiType.CARD;
    }

    @Override
    public void find(String text, List<PiiSpan> found) {
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            String candidate = m.group();
            if (!consistentSeparators(candidate)) {
                continue;
            }
            String digits = candidate.replaceAll("[ -]", "");
            if (brandAccepts(digits) && luhn(digits)) {
                found.add(new PiiSpan(PiiType.CARD, m.start(), m.end()));
            }
        }
    }

    /** One kind of separator at most, never two in a row (a card is printed "4111 1111 1111 1111"). */
    private static boolean consistentSeparators(String candidate) {
        return !(candidate.contains(" ") && candidate.contains("-"));
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    /** The issuer prefixes (IIN ranges) and lengths of the major brands. */
    static boolean brandAccepts(String digits) {
        int length = digits.length();
        int p1 = digits.charAt(0) - '0';
        int p2 = Integer.parseInt(digits.substring(0, 2));
        int p3 = Integer.parseInt(digits.substring(0, 3));
        int p4 = Integer.parseInt(digits.substring(0, 4));
        int p6 = Integer.parseInt(digits.substring(0, 6));
        if (p1 == 4) { // Visa
            return length == 13 || length == 16 || length == 19;
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) { // Mastercard
            return length == 16;
        }
        if (p2 == 34 || p2 == 37) { // American Express
            return length == 15;
        }
        if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) { // Discover
            return length >= 16 && length <= 19;
        }
        if (p4 >= 3528 && p4 <= 3589) { // JCB
            return length >= 16 && length <= 19;
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) { // Diners Club
            return length >= 14 && length <= 19;
        }
        if (p2 == 62) { // UnionPay
            return length >= 16 && length <= 19;
        }
        if (MAESTRO.contains(p4)) { // Maestro: its own IIN list (a broad 5x/6x rule takes in EAN barcodes)
            return length >= 12 && length <= 19;
        }
        return false;
    }
}
