package io.streamnlp.guard;

/**
 * The encoder an instance would write vectors with, as the guard compares it.
 *
 * @param name encoder name
 * @param version encoder version
 * @param fingerprint what decides the vector space (see {@code inference.Encoder#fingerprint()})
 * @param dimension vector length
 * @param pooling MEAN or CLS
 * @param textPrefix the prefix put before each text
 */
public record ModelIdentity(String name, String version, String fingerprint, int dimension, String pooling,
        String textPrefix) {

    /** For messages: {@code e5-small-q (e5-small-v2-int8/0.36.2, fingerprint 1a2b3c4d...)}. */
    public String describe() {
        return name + " (" + version + ", " + dimension + "-d, fingerprint " + fingerprint + ")";
    }
}
