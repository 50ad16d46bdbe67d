package io.streamnlp.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint, on the JDK's own HTTP server (two threads: scrapes, probes and page polls
 * are rare and small, and one slow page client must not hold up a probe): {@code /metrics}
 * (Prometheus text format), {@code /health/live} and {@code /health/ready} (200 or 503, with a
 * one-line JSON body naming the Kafka Streams state), plus any pages the caller adds (the live
 * page: {@code /} and {@code /api/...}).
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code port} (0: any free port) on all interfaces. */
    public static OpsServer start(int port, Telemetry telemetry, Supplier<Health> health) {
        return start(port, telemetry, health, Map.of());
    }

    /**
     * Starts serving, with {@code pages}: more handlers by context path (the JDK server routes a
     * request to the longest matching path; a {@code "/"} handler gets everything else).
     */
    public static OpsServer start(int port, Telemetry telemetry, Supplier<Health> health, Map<String, HttpHandler> pages) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (BindException e) {
            throw new IllegalStateException("Cannot serve metrics and health on port " + port
                    + ": it is in use. Set metrics.port to a free port, or -1 to turn the endpoint off.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, telemetry.scrape()));
        server.createContext("/health/live", exchange -> {
            Health now = health.get();
            respond(exchange, now.live() ? 200 : 503, "application/json", json(now.live(), now));
        });
        server.createContext("/health/ready", exchange -> {
            Health now = health.get();
            respond(exchange, now.ready() ? 200 : 503, "application/json", json(now.ready(), now));
        });
        pages.forEach(server::createContext);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "streamnlp-ops-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        OpsServer ops = new OpsServer(server, executor);
        if (pages.containsKey("/")) {
            LOG.info("Serving the live page, /metrics, /health/live and /health/ready on port {}", ops.port());
        } else {
            LOG.info("Serving /metrics, /health/live and /health/ready on port {}", ops.port());
        }
        return ops;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static String json(boolean up, Health health) {
        return "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"state\":\"" + health.state() + "\"}\n";
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
