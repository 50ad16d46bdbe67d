package io.streamnlp.pii;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IBANs, written together or in groups of four ({@code DE89 3704 0044 0532 0130 00}): a country code
 * of the IBAN registry, its exact length, and the ISO 7064 mod-97 check (a random string passes it
 * about once in a hundred). Upper case only, as banks print them.
 */
final class IbanDetector implements PatternDetector {

    /** IBAN length per country (SWIFT IBAN registry). */
    private static final Map<String, Integer> LENGTHS = lengths(
            "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 "
                    + "EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 "
                    + "IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 "
                    + "NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 "
                    + "SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30");

    private static final Pattern START = Pattern.compile("(?<![\\p{L}\\p{N}])[A-Z]{2}\\d{2}");
    private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

    @Override
    public PiiType type() {
        return PiiType.IBAN;
    }

    @Override
    public void find(String text, List<PiiSpan> found) {
        Matcher m = START.matcher(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            Integer length = LENGTHS.get(m.group().substring(0, 2));
            int end = length == null ? -1 : endOf(text, m.start(), length);
            if (end > 0 && checksumHolds(compact(text.substring(m.start(), end)))) {
                found.add(new PiiSpan(PiiType.IBAN, m.start(), end));
                from = end;
            } else {
                from = m.start() + 1;
            }
        }
    }

    /**
     * Where an IBAN of {@code length} characters starting at {@code start} ends, single spaces between
     * characters allowed; -1 when the text has fewer, or more (the next character continues it).
     */
    private static int endOf(String text, int start, int length) {
        int taken = 0;
        int i = start;
        while (i < text.length() && taken < length) {
            char c = text.charAt(i);
            if (isIbanChar(c)) {
                taken++;
                i++;
            } else if (c == ' ' && taken >= 4 && i + 1 < text.length() && isIbanChar(text.charAt(i + 1))) {
                i++;
            } else {
                return -1;
            }
        }
        if (taken < length || (i < text.length() && Character.isLetterOrDigit(text.charAt(i)))) {
            return -1;
        }
        return i;
    }

    private static boolean isIbanChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String compact(String iban) {
        return iban.replace(" ", "");
    }

    /** ISO 13616: the first four characters moved to the end, letters as 10..35, the number mod 97 is 1. */
    static boolean checksumHolds(String iban) {
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder digits = new StringBuilder(rearranged.length() * 2);
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                digits.append(c - 'A' + 10);
            } else {
                digits.append(c);
            }
        }
        return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
    }

    private static Map<String, Integer> lengths(String table) {
        Map<String, Integer> lengths = new HashMap<>();
        for (String entry : table.trim().split("\\s+")) {
            lengths.put(entry.substring(0, 2), Integer.parseInt(entry.substring(2)));
        }
        return lengths;
    }
}
