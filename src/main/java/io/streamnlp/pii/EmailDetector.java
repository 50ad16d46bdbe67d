package io.streamnlp.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E-mail addresses as people write them: a local part with dots, plus-addressing ({@code jane+news@})
 * and letters of any script, then a domain of at least two labels (internationalized domains in
 * Unicode or in their {@code xn--} form), the last one alphabetic. Quoted local parts and IP-literal
 * domains ({@code user@[10.0.0.1]}) are not looked for.
 */
final class EmailDetector implements PatternDetector {

    // No '/' in a local part here: "//user@host" is a URL's user info (the url-secret detector's).
    private static final String ATOM = "[\\p{L}\\p{M}\\p{N}!#$%&'*+=?^_`{|}~-]+";
    private static final String LABEL = "[\\p{L}\\p{M}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]{0,61}[\\p{L}\\p{M}\\p{N}])?";
    private static final Pattern EMAIL = Pattern.compile(
            // Not after ':' or '/' (URL user info: "ftp://admin:pw@host"), except a mailto: link.
            "(?:(?<=mailto:)|(?<![\\p{L}\\p{M}\\p{N}.!#$%&'*+/=?^_`{|}~:-]))" + ATOM + "(?:\\." + ATOM + ")*"
                    + "@(?:" + LABEL + "\\.)+(?:\\p{L}[\\p{L}\\p{M}]{1,62}|xn--[a-zA-Z0-9-]{1,59})"
                    + "(?![\\p{L}\\p{M}\\p{N}-]|\\.[\\p{L}\\p{N}])");

    @Override
    public PiiType type() {
        return PiiType.EMAIL;
    }

    @Override
    public void find(String text, List<PiiSpan> found) {
        if (text.indexOf('@') < 0) {
            return;
        }
        Matcher m = EMAIL.matcher(text);
        while (m.find()) {
            found.add(new PiiSpan(PiiType.EMAIL, m.start(), m.end()));
        }
    }
}
