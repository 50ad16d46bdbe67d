package io.streamnlp.enrich;

/**
 * A test seam: deterministic failures of the enricher, so that tests on a real broker can prove what
 * happens to a text that cannot be enriched, and to an encoder that fails on everything. Off unless a
 * system property turns it on; never set in production.
 *
 * <ul>
 *   <li>{@value #TEXT_PROPERTY}{@code =MARK}: any batch holding a text that contains {@code MARK}
 *       fails, as a text that crashes a head would;
 *   <li>{@value #ENCODER_PROPERTY}{@code =true}: every encoder call fails, as a broken session would.
 * </ul>
 *
 * @param failOnTextContaining the mark, or null
 * @param failEveryCall whether every call fails
 */
public record FaultInjection(String failOnTextContaining, boolean failEveryCall) {

    public static final String TEXT_PROPERTY = "streamnlp.test.fault.text";
    public static final String ENCODER_PROPERTY = "streamnlp.test.fault.encoder";
    public static final FaultInjection NONE = new FaultInjection(null, false);

    /** What the system properties ask for ({@link #NONE} normally). */
    public static FaultInjection fromSystemProperties() {
        String mark = System.getProperty(TEXT_PROPERTY);
        boolean always = Boolean.getBoolean(ENCODER_PROPERTY);
        return mark == null && !always ? NONE : new FaultInjection(mark == null || mark.isEmpty() ? null : mark, always);
    }

    void check(Iterable<String> texts) {
        if (failEveryCall) {
            throw new IllegalStateException("injected fault: the encoder fails on every call (" + ENCODER_PROPERTY + ")");
        }
        if (failOnTextContaining != null) {
            for (String text : texts) {
                if (text.contains(failOnTextContaining)) {
                    throw new IllegalStateException("injected fault: a text contains '" + failOnTextContaining + "' ("
                            + TEXT_PROPERTY + ")");
                }
            }
        }
    }
}
