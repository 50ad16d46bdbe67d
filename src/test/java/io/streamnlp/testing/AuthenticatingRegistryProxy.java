package io.streamnlp.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A registry that asks for credentials, as in production: a small reverse proxy on loopback, over
 * plain HTTP or over TLS with a self-signed certificate made for this run, in front of a real
 * Confluent-compatible registry (Apicurio's ccompat API). Every request must carry
 * {@code Authorization: Basic <user:password>}; one that does not gets 401 with a Confluent-style JSON
 * body, one that does is forwarded (method, path, query, body, content type and accept headers) and
 * the registry's status, body and content type come back.
 *
 * <p>{@link #refuseAll(boolean)} makes it answer 401 to everyone, as if the credentials had been rotated
 * while the application runs; {@link #forbidAll(boolean)} answers 403 to the right credentials, as if the
 * user had lost its rights.
 */
public final class AuthenticatingRegistryProxy implements AutoCloseable {

    /** Confluent's code for a rejected login, in the 401 body. */
    public static final int ERROR_CODE_UNAUTHORIZED = 40101;
    /** Confluent's code for a user without the rights to a resource, in the 403 body. */
    public static final int ERROR_CODE_FORBIDDEN = 40301;

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient upstreamClient;
    private final String upstream;
    private final String expectedAuthorization;
    private final String scheme;
    private final Path trustStore;
    private final String trustStorePassword;
    private final AtomicBoolean refuseAll = new AtomicBoolean();
    private final AtomicBoolean forbidAll = new AtomicBoolean();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private AuthenticatingRegistryProxy(HttpServer server, String scheme, String upstream, String user,
            String password, Path trustStore, String trustStorePassword) {
        this.server = server;
        this.scheme = scheme;
        this.upstream = upstream.replaceAll("/+$", "");
        this.expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
        this.upstreamClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "registry-proxy");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Plain HTTP with basic auth in front of {@code upstream} (e.g. {@link TestRegistry#url()}). */
    public static AuthenticatingRegistryProxy http(String upstream, String user, String password) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        return new AuthenticatingRegistryProxy(server, "http", upstream, user, password, null, null);
    }

    /**
     * HTTPS with basic auth in front of {@code upstream}: a self-signed certificate for 127.0.0.1 and
     * localhost is generated now; the client's trust store (PKCS12, holding only that certificate) is
     * written into {@code dir}.
     */
    public static AuthenticatingRegistryProxy https(String upstream, String user, String password, Path dir)
            throws IOException, GeneralSecurityException {
        KeyPair keys = keyPair();
        X509Certificate certificate = selfSigned(keys);
        char[] storePassword = "proxy-store-pw".toCharArray();

        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        serverKeys.load(null, null);
        serverKeys.setKeyEntry("proxy", keys.getPrivate(), storePassword, new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(serverKeys, storePassword);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        String trustPassword = "trust-" + Long.toHexString(System.nanoTime());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("registry-proxy", certificate);
        Path trustFile = dir.resolve("registry-truststore.p12");
        try (OutputStream out = Files.newOutputStream(trustFile)) {
            trust.store(out, trustPassword.toCharArray());
        }

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new AuthenticatingRegistryProxy(server, "https", upstream, user, password, trustFile, trustPassword);
    }

    /** Base url of the proxied registry API, e.g. {@code https://127.0.0.1:40123}. */
    public String url() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The PKCS12 trust store holding the proxy's certificate (HTTPS only). */
    public Path trustStore() {
        return trustStore;
    }

    public String trustStorePassword() {
        return trustStorePassword;
    }

    /** True: answer 401 to every request, right credentials or not (credentials rotated). False: check them again. */
    public void refuseAll(boolean refuse) {
        refuseAll.set(refuse);
    }

    /** True: answer 403 to requests with the right credentials (the user lost its rights). False: forward them again. */
    public void forbidAll(boolean forbid) {
        forbidAll.set(forbid);
    }

    /** Requests that passed the credential check and were forwarded. */
    public int forwarded() {
        return forwarded.get();
    }

    /** {@code METHOD path} of every request answered 401 or 403, in order. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        upstreamClient.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            String given = exchange.getRequestHeaders().getFirst("Authorization");
            if (refuseAll.get() || !matches(given)) {
                refused.add(exchange.getRequestMethod() + " " + uri.getRawPath());
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"schema-registry\"");
                respond(exchange, 401, "application/json",
                        ("{\"error_code\":" + ERROR_CODE_UNAUTHORIZED + ",\"message\":\"Unauthorized\"}")
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (forbidAll.get()) {
                refused.add(exchange.getRequestMethod() + " " + uri.getRawPath());
                respond(exchange, 403, "application/json",
                        ("{\"error_code\":" + ERROR_CODE_FORBIDDEN + ",\"message\":\"Forbidden\"}")
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            forwarded.incrementAndGet();
            HttpResponse<byte[]> answer;
            try {
                answer = upstreamClient.send(upstreamRequest(exchange, uri, body), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                respond(exchange, 502, "text/plain", ("upstream unreachable: " + e).getBytes(StandardCharsets.UTF_8));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                respond(exchange, 503, "text/plain", "proxy stopping".getBytes(StandardCharsets.UTF_8));
                return;
            }
            respond(exchange, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(null), answer.body());
        }
    }

    private HttpRequest upstreamRequest(HttpExchange exchange, URI uri, byte[] body) {
        String target = upstream + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target))
                .timeout(Duration.ofSeconds(10))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Content-Type", "Accept")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        return request.build();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean noBody = body.length == 0 || status == 204 || status == 304
                || exchange.getRequestMethod().toUpperCase(Locale.ROOT).equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            exchange.getResponseBody().write(body);
        }
    }

    private boolean matches(String given) {
        return given != null && MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), expectedAuthorization.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    /** A certificate for 127.0.0.1 and localhost (subject alternative names), valid for a day. */
    private static X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException {
        X500Name name = new X500Name("CN=streamnlp-test-registry-proxy");
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot make a self-signed certificate", e);
        }
    }
}
