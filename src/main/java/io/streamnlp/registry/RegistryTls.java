package io.streamnlp.registry;

import io.streamnlp.registry.RegistrySettings.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS context of the registry client from the configured key and trust stores. */
final class RegistryTls {

    private RegistryTls() {}

    /**
     * A context trusting {@code trustStore} (the JVM's CAs when null) and presenting the client
     * certificate of {@code keyStore} (none when null).
     */
    static SSLContext context(StoreSettings trustStore, StoreSettings keyStore) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(keyStore), trustManagers(trustStore), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS for the schema registry: " + e, e);
        }
    }

    private static KeyManager[] keyManagers(StoreSettings store) throws GeneralSecurityException {
        if (store == null) {
            return null;
        }
        KeyManagerFactory factory =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(load(store, "keystore"), password(store));
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(StoreSettings store)
            throws GeneralSecurityException {
        if (store == null) {
            return null;
        }
        TrustManagerFactory factory =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(load(store, "truststore"));
        return factory.getTrustManagers();
    }

    private static KeyStore load(StoreSettings store, String role) throws GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance(store.type());
        try (InputStream in = Files.newInputStream(store.location())) {
            keyStore.load(in, password(store));
        } catch (IOException e) {
            // A wrong password also lands here ("keystore password was incorrect").
            throw new IllegalArgumentException(
                    "cannot read schema registry " + role + " " + store.location()
                            + " (type " + store.type() + "): " + e.getMessage(), e);
        }
        return keyStore;
    }

    private static char[] password(StoreSettings store) {
        return store.password() == null ? null : store.password().toCharArray();
    }
}
