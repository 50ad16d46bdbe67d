package io.streamnlp.inference;

/**
 * Keeps DJL from touching the network. DJL reports usage and may download native libraries or
 * models unless told not to; the encoders and natives ship inside Maven artifacts, so every call
 * out would only slow startup or fail on a closed network. The application sets this itself
 * (not only the launch scripts) so an embedded use of the library is offline too.
 */
public final class OfflineDjl {

    private OfflineDjl() {}

    /** Idempotent; call before the first DJL class is used. */
    public static void configure() {
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.offline", "true");
        // CPU build of the tokenizers' native library: never look for a CUDA flavour to download.
        setIfAbsent("RUST_FLAVOR", "cpu");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
