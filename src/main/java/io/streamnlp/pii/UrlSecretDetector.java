package io.streamnlp.pii;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret parts of URLs: the user info ({@code https://user:pass@host/}) and the values of query
 * or fragment parameters whose names say they are credentials ({@code token}, {@code access_token},
 * {@code api_key}, {@code key}, {@code secret}, {@code password}, {@code sig}, AWS and Azure
 * signatures, and any name ending in {@code _token}, {@code _key}, {@code _secret} or
 * {@code _password}). One span per secret, so the rest of the URL stays readable. Bare tokens
 * outside a URL (a JWT pasted on its own) are not looked for.
 */
final class UrlSecretDetector implements PatternDetector {

    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?|ftp|wss?|[a-z][a-z0-9+.-]*sql|redis|amqps?|mongodb(?:\\+srv)?)://[^\\s<>\"'`]+");
    private static final Pattern PARAM = Pattern.compile("[?&#;]([^=&#;?]+)=([^&#;]*)");
    private static final Set<String> SECRET_NAMES = Set.of("token", "access_token", "refresh_token", "id_token", "auth",
            "auth_token", "key", "api_key", "apikey", "api-key", "secret", "client_secret", "password", "passwd", "pwd",
            "pass", "sig", "signature", "session", "sessionid", "session_id", "sid", "code", "x-amz-signature",
            "x-amz-credential", "x-amz-security-token", "x-goog-signature", "x-goog-credential", "private_token",
            "jwt", "bearer", "credentials", "otp");
    private static final String TRAILING = ".,;:!?)]}'\"";

    @Override
    public PiiType type() {
        return PiiType.URL_SECRET;
    }

    @Override
    public void find(String text, List<PiiSpan> found) {
        if (text.indexOf("://") < 0) {
            return;
        }
        Matcher m = URL.matcher(text);
        while (m.find()) {
            int start = m.start();
            int end = m.end();
            while (end > start && TRAILING.indexOf(text.charAt(end - 1)) >= 0) {
                end--;
            }
            findIn(text, start, end, found);
        }
    }

    private static void findIn(String text, int start, int end, List<PiiSpan> found) {
        String url = text.substring(start, end);
        int authority = url.indexOf("://") + 3;
        int authorityEnd = indexOfAny(url, "/?#", authority);
        int at = url.lastIndexOf('@', authorityEnd - 1);
        if (at >= authority) {
            found.add(new PiiSpan(PiiType.URL_SECRET, start + authority, start + at));
        }
        Matcher param = PARAM.matcher(url);
        int from = authorityEnd;
        while (from < url.length() && param.find(from)) {
            if (param.start(2) < param.end(2) && secretName(param.group(1))) {
                found.add(new PiiSpan(PiiType.URL_SECRET, start + param.start(2), start + param.end(2)));
            }
            from = param.end(2); // the next parameter starts at the delimiter after this value
        }
    }

    static boolean secretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SECRET_NAMES.contains(n) || n.endsWith("_token") || n.endsWith("-token") || n.endsWith("_key")
                || n.endsWith("_secret") || n.endsWith("_password") || n.endsWith("signature");
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
