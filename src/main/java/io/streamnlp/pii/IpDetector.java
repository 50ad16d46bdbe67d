package io.streamnlp.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPv4 addresses in dotted-quad form (each part 0..255, no fifth part, not after a "v" as in
 * {@code v1.2.3.4}) and IPv6 addresses (eight groups, or fewer around one {@code ::}, an IPv4 tail
 * allowed; a zone id is not part of the span). Times ({@code 10:30:00}) and MAC addresses (six
 * groups) are not IPv6.
 */
final class IpDetector implements PatternDetector {

    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final String V4 = OCTET + "(?:\\." + OCTET + "){3}";
    private static final Pattern IPV4 = Pattern.compile("(?<![\\p{L}\\p{N}.:])" + V4 + "(?![\\p{N}]|\\.\\p{N})");
    private static final Pattern IPV6_CANDIDATE = Pattern.compile(
            "(?<![\\p{L}\\p{N}:.])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?:" + V4 + ")?(?![\\p{L}\\p{N}:.])");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    @Override
    public PiiType type() {
        return PiiType.IP;
    }

    @Override
    public void find(String text, List<PiiSpan> found) {
        if (text.indexOf('.') >= 0) {
            Matcher v4 = IPV4.matcher(text);
            while (v4.find()) {
                found.add(new PiiSpan(PiiType.IP, v4.start(), v4.end()));
            }
        }
        if (text.indexOf(':') >= 0) {
            Matcher v6 = IPV6_CANDIDATE.matcher(text);
            while (v6.find()) {
                if (isIpv6(v6.group())) {
                    found.add(new PiiSpan(PiiType.IP, v6.start(), v6.end()));
                }
            }
        }
    }

    static boolean isIpv6(String candidate) {
        String address = candidate;
        int groupsForTail = 0;
        int lastColon = address.lastIndexOf(':');
        if (address.indexOf('.') >= 0) {
            if (!address.substring(lastColon + 1).matches(V4)) {
                return false;
            }
            address = address.substring(0, lastColon + 1) + "0"; // the IPv4 tail takes two groups
            groupsForTail = 1;
        }
        int doubleColon = address.indexOf("::");
        if (doubleColon != address.lastIndexOf("::") || address.contains(":::")) {
            return false;
        }
        if (doubleColon < 0) {
            String[] groups = address.split(":", -1);
            return groups.length + groupsForTail == 8 && allHex(groups);
        }
        String head = address.substring(0, doubleColon);
        String tail = address.substring(doubleColon + 2);
        String[] left = head.isEmpty() ? new String[0] : head.split(":", -1);
        String[] right = tail.isEmpty() ? new String[0] : tail.split(":", -1);
        int groups = left.length + right.length + groupsForTail;
        // In running text "::" is also punctuation ("std::vector", "a::b"): a compressed address with
        // fewer than three written groups counts only with a group of three or more hex digits ("fe80::1").
        boolean addressLike = groups >= 3 || longestGroup(left, right) >= 3;
        return groups >= 2 && groups <= 7 && addressLike && allHex(left) && allHex(right);
    }

    private static int longestGroup(String[] left, String[] right) {
        int longest = 0;
        for (String group : left) {
            longest = Math.max(longest, group.length());
        }
        for (String group : right) {
            longest = Math.max(longest, group.length());
        }
        return longest;
    }

    private static boolean allHex(String[] groups) {
        for (String group : groups) {
            if (!HEX_GROUP.matcher(group).matches()) {
                return false;
            }
        }
        return true;
    }
}
