package io.streamnlp.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamnlp.registry.SchemaRegistryException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the registry client: requests with the Confluent content types and basic auth,
 * the bounded retry of an unreachable or overloaded registry, and the mapping of every failure to a
 * {@link SchemaRegistryException} whose reason says whose fault it is. Thread-safe.
 */
final class RegistryHttp implements AutoCloseable {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);

    private final RegistrySettings settings;
    private final HttpClient http;
    private final String authorization;

    RegistryHttp(RegistrySettings settings) {
        this.settings = settings;
        HttpClient.Builder builder =
                HttpClient.newBuilder().connectTimeout(settings.requestTimeout());
        if (settings.trustStore() != null || settings.keyStore() != null) {
            builder.sslContext(RegistryTls.context(settings.trustStore(), settings.keyStore()));
        }
        this.http = builder.build();
        this.authorization =
                settings.basicAuthUserInfo() == null
                        ? null
                        : "Basic " + Base64.getEncoder().encodeToString(
                                settings.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
    }

    JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    JsonNode post(String path, Map<String, String> body) {
        return send(withJsonBody("POST", path, body));
    }

    JsonNode put(String path, Map<String, String> body) {
        return send(withJsonBody("PUT", path, body));
    }

    /** The registry answered 2xx, but with nothing this client can use. */
    SchemaRegistryException unusable(String path, String what, Throwable cause) {
        return new SchemaRegistryException(
                Reason.UNUSABLE_SCHEMA, "Schema Registry at " + url(path) + " " + what,
                200, SchemaRegistryException.NO_ERROR_CODE, cause);
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest withJsonBody(String method, String path, Map<String, String> body) {
        return request(path)
                .method(method, HttpRequest.BodyPublishers.ofString(json(body)))
                .header("Content-Type", CONTENT_TYPE)
                .build();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(url(path))
                        .timeout(settings.requestTimeout())
                        .header("Accept", ACCEPT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    /**
     * Sends the request; an unreachable or overloaded registry is retried with exponential backoff
     * (100 ms doubling to 2 s), then the last error is thrown. The whole call, each attempt's own
     * timeout included, stays within the settings' retry budget (at least one attempt is made, bounded
     * by the smaller of the request timeout and the budget): a record waiting on the registry must
     * never outlast the stream thread's transaction timeout.
     */
    private JsonNode send(HttpRequest request) {
        long deadline = System.nanoTime() + settings.retryBudget().toNanos();
        long backoffMs = 100;
        int attempts = 0;
        while (true) {
            long remainingMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            attempts++;
            try {
                return sendOnce(withTimeout(request, Math.min(settings.requestTimeout().toMillis(), remainingMs)));
            } catch (SchemaRegistryException e) {
                if (!e.isRetriable()) {
                    throw e;
                }
                if (System.nanoTime() + backoffMs * 1_000_000 >= deadline) {
                    throw gaveUp(e, attempts);
                }
                LOG.warn("{}; retrying in {} ms", e.getMessage(), backoffMs);
                sleep(backoffMs, request);
                backoffMs = Math.min(2_000, backoffMs * 2);
            }
        }
    }

    /**
     * The last retriable error, its message extended by what a user tunes: a registry that is merely
     * slow (a busy host, a long GC pause) needs a larger budget, not a restart.
     */
    private SchemaRegistryException gaveUp(SchemaRegistryException last, int attempts) {
        return new SchemaRegistryException(last.reason(),
                last.getMessage() + " (gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                        + " within " + RegistrySettings.RETRY_BUDGET_CONFIG + "=" + settings.retryBudget().toMillis()
                        + "; a slow registry needs a larger " + RegistrySettings.RETRY_BUDGET_CONFIG + " or "
                        + RegistrySettings.REQUEST_TIMEOUT_CONFIG + ")",
                last.httpStatus(), last.errorCode(), last.getCause());
    }

    private static HttpRequest withTimeout(HttpRequest request, long millis) {
        return HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofMillis(millis)).build();
    }

    private static void sleep(long millis, HttpRequest request) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while waiting to retry the Schema Registry at " + request.uri(), e);
        }
    }

    private JsonNode sendOnce(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    Reason.UNREACHABLE,
                    "Schema Registry at " + request.uri() + " is unreachable (" + request.method() + "): "
                            + describe(e),
                    SchemaRegistryException.NO_HTTP_STATUS, SchemaRegistryException.NO_ERROR_CODE, e);
        } catch (InterruptedException e) {
            // Kafka's unchecked form; it restores the thread's interrupt flag.
            throw new InterruptException(
                    "interrupted while calling the Schema Registry at " + request.uri(), e);
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return body;
        }
        throw failure(request, status, body, response.body());
    }

    private static SchemaRegistryException failure(
            HttpRequest request, int status, JsonNode body, String rawBody) {
        Reason reason =
                status >= 500 || status == 429 ? Reason.UNAVAILABLE
                        : status == 404 ? Reason.NOT_FOUND
                        : status == 401 || status == 403 ? Reason.UNAUTHORIZED
                        : Reason.REJECTED;
        int errorCode = body.path("error_code").asInt(SchemaRegistryException.NO_ERROR_CODE);
        String detail =
                body.hasNonNull("message") ? body.get("message").asText() : abbreviate(rawBody);
        String message =
                "Schema Registry at " + request.uri() + " answered HTTP " + status + " to "
                        + request.method()
                        + (errorCode == SchemaRegistryException.NO_ERROR_CODE ? "" : " (error_code " + errorCode + ")")
                        + (detail.isEmpty() ? "" : ": " + detail);
        return new SchemaRegistryException(reason, message, status, errorCode, null);
    }

    private URI url(String path) {
        return URI.create(settings.url() + path);
    }

    /** Registry error bodies are JSON, but a proxy in front may answer with HTML or nothing. */
    private static JsonNode parse(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static String json(Map<String, String> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a map of strings as JSON", e);
        }
    }

    static String pathSegment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The exception and its causes, e.g. {@code ConnectException <- ClosedChannelException}. */
    private static String describe(Throwable e) {
        // The HttpClient's ConnectException has a null message; what happened is in its causes.
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 300; t = t.getCause()) {
            text.append(text.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                return text.append(": ").append(t.getMessage()).toString();
            }
        }
        return text.toString();
    }

    static String abbreviate(String text) {
        String flat = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }
}
