package io.streamnlp.deadletter;

/** Reason codes of rejected input; they appear in dead-letter headers and metric tags. */
public final class RejectReason {
    public static final String NULL_VALUE = "null-value";
    public static final String BAD_AVRO = "bad-avro";
    public static final String BAD_JSON = "bad-json";
    public static final String BAD_UTF8 = "bad-utf8";
    public static final String MISSING_ID = "missing-id";
    public static final String MISSING_TEXT = "missing-text";
    public static final String EMPTY_TEXT = "empty-text";
    public static final String TEXT_TOO_LARGE = "text-too-large";
    /**
     * The input record (key, value, headers) is over {@code max.record.bytes}, or an output built from it
     * would be over the producer's {@code max.request.size}.
     */
    public static final String TOO_LARGE = "too-large";
    public static final String REGISTRY_UNAVAILABLE = "registry-unavailable";
    /**
     * The text's language is none of the task heads' languages, under {@code language.unsupported.policy=dead-letter}.
     */
    public static final String UNSUPPORTED_LANGUAGE = "unsupported-language";

    private RejectReason() {}
}
