package io.streamnlp.registry;

import java.io.Serial;

/**
 * A Schema Registry call failed. The message names the url, the HTTP status and the registry's own
 * {@code error_code}/{@code message}; it never contains credentials.
 *
 * <p>{@link #reason()} tells callers what to do: retry later ({@link #isRetriable()}), or treat
 * the schema id as unusable ({@link Reason#NOT_FOUND}, {@link Reason#UNUSABLE_SCHEMA}), or fix the
 * configuration or the schema ({@link Reason#REJECTED}).
 */
public final class SchemaRegistryException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Why the call failed. */
    public enum Reason {
        /** No HTTP answer: connection refused, DNS, TLS handshake, timeout. */
        UNREACHABLE,
        /** HTTP 5xx or 429: the registry is up but cannot serve now. */
        UNAVAILABLE,
        /** HTTP 404: unknown subject, version or schema id. */
        NOT_FOUND,
        /** HTTP 401 or 403: the registry refuses our credentials or our rights. No retry helps. */
        UNAUTHORIZED,
        /** Any other 4xx: incompatible schema (409), invalid schema (422). */
        REJECTED,
        /** The registry answered, but not with an Avro schema or id this client can use. */
        UNUSABLE_SCHEMA
    }

    /** {@link #errorCode()} when the registry sent none. */
    public static final int NO_ERROR_CODE = -1;
    /** {@link #httpStatus()} when there was no HTTP answer. */
    public static final int NO_HTTP_STATUS = -1;

    private final Reason reason;
    private final int httpStatus;
    private final int errorCode;

    SchemaRegistryException(
            Reason reason, String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status, or {@link #NO_HTTP_STATUS}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (e.g. 40403 schema not found), or {@link #NO_ERROR_CODE}. */
    public int errorCode() {
        return errorCode;
    }

    /** True when the same call may succeed later: the registry was unreachable or overloaded. */
    public boolean isRetriable() {
        return reason == Reason.UNREACHABLE || reason == Reason.UNAVAILABLE;
    }

    /** True when the registry refused our credentials or rights: fix the configuration, then restart. */
    public boolean isAuthorizationFailure() {
        return reason == Reason.UNAUTHORIZED;
    }

    /**
     * True when a record that named a schema id caused this: the id is unknown, or holds a schema
     * this client cannot use. Everything else (unreachable, overloaded, credentials, a rejected
     * registration of our own schemas) is not the record's fault and must never dead-letter it.
     */
    public boolean isRecordsFault() {
        return reason == Reason.NOT_FOUND || reason == Reason.UNUSABLE_SCHEMA;
    }
}
