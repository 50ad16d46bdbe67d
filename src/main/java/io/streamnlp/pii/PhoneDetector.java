package io.streamnlp.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.List;
import java.util.Locale;

/**
 * Phone numbers through Google's libphonenumber ({@code findNumbers} at leniency VALID: the number
 * must be a valid number of its region, its grouping plausible). A number in international form
 * ({@code +44 20 7946 0958}, {@code 0044 …}) is found whatever the hints; one in national form
 * ({@code (202) 555-0143}, {@code 030 1234567}) only for the regions in {@code pii.phone.regions},
 * each of which costs one more pass over a text that has enough digits.
 */
final class PhoneDetector implements PatternDetector {

    /** Fewer digits than this cannot be a phone number of any region libphonenumber knows as valid. */
    private static final int MIN_DIGITS = 5;

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final List<String> regions;

    /** @param regions ISO 3166 region codes as hints for national formats, most likely first */
    PhoneDetector(List<String> regions) {
        this.regions = regions.stream().map(r -> r.trim().toUpperCase(Locale.ROOT)).toList();
        for (String region : this.regions) {
            if (!phones.getSupportedRegions().contains(region)) {
                throw new IllegalArgumentException("unknown region '" + region + "' (ISO 3166 alpha-2, e.g. US, GB, DE)");
            }
        }
    }

    @Override
    public PiiType type() {
        return PiiType.PHONE;
    }

    @Override
    public void find(String text, List<PiiSpan> found) {
        if (digits(text) < MIN_DIGITS) {
            return;
        }
        // "ZZ" (unknown region) still finds numbers written with + or an international prefix.
        List<String> passes = regions.isEmpty() ? List.of("ZZ") : regions;
        int before = found.size();
        for (String region : passes) {
            for (PhoneNumberMatch match : phones.findNumbers(text, region, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
                if (!inPhoneContext(text, match.start())) {
                    continue;
                }
                PiiSpan span = new PiiSpan(PiiType.PHONE, match.start(), match.end());
                if (!found.subList(before, found.size()).contains(span)) {
                    found.add(span);
                }
            }
        }
    }

    /**
     * Whether a number libphonenumber accepts reads as a phone number where it stands: not glued to a
     * word or code before it ("INV-2024-000123"), not labelled as another kind of number within the few
     * characters before it ("ISBN-10: 0-306-40615-2", "order 030 901820"). Valid phone numbers are
     * dense in every numbering plan, so the context is what tells them from identifiers.
     */
    static boolean inPhoneContext(String text, int start) {
        if (start > 0) {
            char before = text.charAt(start - 1);
            if (Character.isLetterOrDigit(before) || before == '-' || before == '/' || before == '#' || before == '_') {
                return false;
            }
        }
        String context = text.substring(Math.max(0, start - CONTEXT_CHARS), start).toLowerCase(Locale.ROOT);
        for (String label : OTHER_NUMBERS) {
            if (context.contains(label)) {
                return false;
            }
        }
        return true;
    }

    /** How far back a label of another kind of number is looked for. */
    private static final int CONTEXT_CHARS = 16;
    private static final List<String> OTHER_NUMBERS = List.of("isbn", "issn", "order", "invoice", "ref", "tracking",
            "sku", "serial", "iban", "account", "acct", "id:", "no.");

    private static int digits(String text) {
        int n = 0;
        for (int i = 0; i < text.length() && n < MIN_DIGITS; i++) {
            if (Character.isDigit(text.charAt(i))) {
                n++;
            }
        }
        return n;
    }
}
