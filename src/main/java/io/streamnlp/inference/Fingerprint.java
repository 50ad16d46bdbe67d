package io.streamnlp.inference;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The encoder's fingerprint: what decides its vector space, hashed (see {@link Encoder#fingerprint()}). */
final class Fingerprint {

    private Fingerprint() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /** 32 hex digits: the first 128 bits of SHA-256 over both file digests, the pooling and the prefix. */
    static String of(byte[] graphDigest, byte[] tokenizerDigest, String pooling, String textPrefix, EncoderGraph graph) {
        MessageDigest sha = sha256();
        sha.update(graphDigest);
        sha.update(tokenizerDigest);
        sha.update((pooling + '\u0000' + textPrefix).getBytes(StandardCharsets.UTF_8));
        if (graph != EncoderGraph.PACKAGED) {
            // A derived graph is another model: its outputs move. The packaged graph's fingerprints stay as they were.
            sha.update(("\u0000graph=" + graph.settingName()).getBytes(StandardCharsets.UTF_8));
        }
        byte[] digest = sha.digest();
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
