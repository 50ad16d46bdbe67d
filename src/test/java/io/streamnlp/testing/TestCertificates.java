package io.streamnlp.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test run, and PKCS12 key stores it signs: the broker's (for
 * 127.0.0.1 and localhost, usable as server and as client, so the broker's own inter-broker
 * connections pass mutual TLS) and clients' (subject {@code CN=<name>}), plus the trust store holding
 * only the CA. EC P-256 keys, valid for a day; every store has its own random password.
 */
public final class TestCertificates {

    /** A PKCS12 file and its password (also the private key's). */
    public record Store(Path path, String password) {}

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Store trustStore;

    private TestCertificates(Path dir, KeyPair caKeys, X509Certificate ca, Store trustStore) {
        this.dir = dir;
        this.caKeys = caKeys;
        this.ca = ca;
        this.trustStore = trustStore;
    }

    /** A new CA; its trust store is written into {@code dir} at once. */
    public static TestCertificates create(Path dir) {
        try {
            KeyPair caKeys = keyPair();
            X500Name caName = new X500Name("CN=streamnlp-test-ca");
            X509v3CertificateBuilder builder = builder(caName, caName, caKeys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = sign(builder, caKeys);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("streamnlp-test-ca", ca);
            Store trustStore = write(trust, dir.resolve("truststore.p12"));
            return new TestCertificates(dir, caKeys, ca, trustStore);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create the test CA", e);
        }
    }

    /** The trust store (only the CA), for clients and for the broker's client-certificate check. */
    public Store trustStore() {
        return trustStore;
    }

    /** The broker's key store: a certificate for 127.0.0.1 and localhost, server and client use. */
    public Store broker(String name) {
        return issue(name, true);
    }

    /** A client's key store: certificate with subject {@code CN=<name>}, client use only. */
    public Store client(String name) {
        return issue(name, false);
    }

    private Store issue(String name, boolean server) {
        try {
            KeyPair keys = keyPair();
            X509v3CertificateBuilder builder = builder(new X500Name("CN=streamnlp-test-ca"), new X500Name("CN=" + name), keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, server
                            ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
                            : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            if (server) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            }
            X509Certificate certificate = sign(builder, caKeys);
            String password = "ks-" + UUID.randomUUID().toString().substring(0, 8);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(name, keys.getPrivate(), password.toCharArray(), new X509Certificate[] {certificate, ca});
            return write(store, dir.resolve(name + "-keystore.p12"), password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + name, e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate", e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static Store write(KeyStore store, Path file) throws GeneralSecurityException, IOException {
        return write(store, file, "ts-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static Store write(KeyStore store, Path file, String password) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Store(file, password);
    }
}
