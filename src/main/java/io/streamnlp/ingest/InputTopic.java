package io.streamnlp.ingest;

/** One input topic and the format of its values, from a {@code topic[:format]} entry. */
public record InputTopic(String name, InputFormat format) {

    public static InputTopic parse(String entry, String defaultFormat) {
        String trimmed = entry.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            return new InputTopic(requireName(trimmed, entry), InputFormat.parse(defaultFormat));
        }
        return new InputTopic(requireName(trimmed.substring(0, colon), entry),
                InputFormat.parse(trimmed.substring(colon + 1)));
    }

    private static String requireName(String name, String entry) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("Input topic entry '" + entry + "' has no topic name");
        }
        return name;
    }
}
