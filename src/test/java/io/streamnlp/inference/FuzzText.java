package io.streamnlp.inference;

import java.nio.charset.StandardCharsets;

/**
 * Turns a fuzzer's bytes into a Java string, valid Unicode or not, in a layout seeds can be written
 * in by hand: after {@code skip} leading bytes, a first byte with the low bit clear makes the rest
 * UTF-8 (malformed sequences become U+FFFD, as any decoder does), with the low bit set the rest
 * is UTF-16 code units, big-endian, taken as they are (lone and reversed surrogates included).
 */
public final class FuzzText {

    private FuzzText() {}

    public static String of(byte[] input, int skip) {
        if (input.length <= skip) {
            return "";
        }
        int from = skip + 1;
        if ((input[skip] & 1) == 0) {
            return new String(input, from, input.length - from, StandardCharsets.UTF_8);
        }
        char[] units = new char[(input.length - from) / 2];
        for (int i = 0; i < units.length; i++) {
            units[i] = (char) ((input[from + 2 * i] & 0xFF) << 8 | (input[from + 2 * i + 1] & 0xFF));
        }
        return new String(units);
    }
}
