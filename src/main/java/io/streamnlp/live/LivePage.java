package io.streamnlp.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The live page over HTTP: a static page (HTML, its script and its style sheet, from
 * {@code src/main/resources/live}; no build step, nothing fetched from elsewhere) at {@code /}, and
 * the JSON documents it polls:
 *
 * <ul>
 *   <li>{@code /api/overview}: identity, Kafka Streams state, totals (as {@code /metrics} has them),
 *       the last minute's rates, batch size, encoder time, latency p50/p99, hit rate, sentiment mix;
 *   <li>{@code /api/series?seconds=300}: the same per second;
 *   <li>{@code /api/entities?minutes=5&k=8}: top entities per type;
 *   <li>{@code /api/tail?n=20}: the latest enriched records.
 * </ul>
 *
 * Each document is at most {@value #MAX_DOCUMENT_BYTES} bytes. They are bounded by construction (the
 * tail by {@link TailRecord}'s limits, at most {@value LiveView#TAIL} records: some 12 KiB a record
 * in the worst case of JSON escapes; entities: at most 50 per type of 80 characters; the series:
 * 300 points), so the limit is a guard: a document over it is answered 500 rather than sent.
 *
 * <p>GET and HEAD only. The page runs no inline script, so its Content-Security-Policy allows nothing
 * but this origin: the record texts it shows can never run as code.
 */
final class LivePage {

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String[]> STATIC = Map.of(
            "/", new String[] {"live/index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"live/index.html", "text/html; charset=utf-8"},
            "/live.js", new String[] {"live/live.js", "text/javascript; charset=utf-8"},
            "/live.css", new String[] {"live/live.css", "text/css; charset=utf-8"});
    /** The most a JSON document may take: a client of the page never gets more. */
    static final int MAX_DOCUMENT_BYTES = 1 << 20;

    private final LiveView view;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, byte[]> files = new HashMap<>();

    LivePage(LiveView view) {
        this.view = view;
        STATIC.values().forEach(file -> files.computeIfAbsent(file[0], LivePage::resource));
    }

    Map<String, HttpHandler> handlers() {
        Map<String, HttpHandler> handlers = new LinkedHashMap<>();
        handlers.put("/", this::serveStatic);
        handlers.put("/api/overview", api(query -> view.overview()));
        handlers.put("/api/series", api(query -> view.series(intParam(query, "seconds", MeterSampler.SECONDS))));
        handlers.put("/api/entities", api(query -> view.entities(intParam(query, "minutes", 5), intParam(query, "k", 8))));
        handlers.put("/api/tail", api(query -> view.tail(intParam(query, "n", 20))));
        return handlers;
    }

    private void serveStatic(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!allowed(exchange)) {
                return;
            }
            String[] file = STATIC.get(exchange.getRequestURI().getPath());
            if (file == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "Not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            send(exchange, 200, file[1], files.get(file[0]));
        }
    }

    private HttpHandler api(Function<Map<String, String>, Object> document) {
        return exchange -> {
            try (exchange) {
                if (!allowed(exchange)) {
                    return;
                }
                if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                    send(exchange, 404, "text/plain; charset=utf-8", "Not found\n".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                byte[] body;
                try {
                    body = json.writeValueAsBytes(document.apply(query(exchange.getRequestURI().getRawQuery())));
                } catch (IllegalArgumentException badParameter) {
                    send(exchange, 400, "text/plain; charset=utf-8",
                            (badParameter.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                if (body.length > MAX_DOCUMENT_BYTES) {
                    send(exchange, 500, "text/plain; charset=utf-8", ("The document is over " + MAX_DOCUMENT_BYTES
                            + " bytes (" + body.length + ")\n").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                send(exchange, 200, "application/json", body);
            }
        };
    }

    private static boolean allowed(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "Method not allowed\n".getBytes(StandardCharsets.UTF_8));
        return false;
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    static int intParam(Map<String, String> query, String name, int fallback) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = LivePage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the live page resource " + path + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
