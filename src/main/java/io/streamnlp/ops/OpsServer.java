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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint, on the JDK's own HTTP server: {@code /metrics} (Prometheus text format),
 * {@code /health/live} and {@code /health/ready} (200 or 503, with a one-line JSON body naming the
 * Kafka Streams state), plus any pages the caller adds (the live page: {@code /} and {@code /api/...}).
 *
 * <p>No client can hold it (a port scanner, a stuck scraper): the JDK server hands a connection to a
 * worker thread at its first byte and the worker then blocks reading the request, so a few peers
 * that send one byte and wait would take every worker of a small pool, and the kubelet would
 * restart a healthy pod for a probe that timed out. Hence {@link HttpLimits} (a request is read
 * within 5 s or its connection closed; a connection that sends nothing is closed after as long) and
 * up to {@value #WORKERS} workers, so probes are served beside that many slow peers at once.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /**
     * Worker threads at most. Platform threads, not virtual ones: the JDK server reads a request
     * inside a synchronized method, which on Java 21 (the image's runtime) pins a virtual thread to
     * its carrier, so a slow peer would still hold one of only as many carriers as the pod has CPUs
     * (JEP 491 lifts that from Java 24). Idle workers end after a minute.
     */
    static final int WORKERS = 64;
    /** All interfaces: what Kubernetes needs (probes and scrapes come to the pod's IP). */
    public static final String ALL_INTERFACES = "0.0.0.0";

    static {
        // Before the first HttpServer.create in this JVM: the JDK reads them once.
        Map<String, String> limits = HttpLimits.apply();
        LOG.debug("JDK HTTP server limits: {}", limits);
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code port} (0: any free port) on all interfaces. */
    public static OpsServer start(int port, Telemetry telemetry, Supplier<Health> health) {
        return start(ALL_INTERFACES, port, telemetry, health, Map.of());
    }

    /**
     * Starts serving on {@code bindAddress} (an IP address or host name of this host;
     * {@value #ALL_INTERFACES}: all interfaces) and {@code port} (0: any free port), with
     * {@code pages}: more handlers by context path (the JDK server routes a request to the longest
     * matching path; a {@code "/"} handler gets everything else).
     */
    public static OpsServer start(String bindAddress, int port, Telemetry telemetry, Supplier<Health> health,
            Map<String, HttpHandler> pages) {
        HttpServer server = bind(bindAddress, port);
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
        ExecutorService executor = workers();
        server.setExecutor(executor);
        server.start();
        OpsServer ops = new OpsServer(server, executor);
        if (pages.containsKey("/")) {
            LOG.info("Serving the live page, /metrics, /health/live and /health/ready on port {}{}", ops.port(), on(bindAddress));
        } else {
            LOG.info("Serving /metrics, /health/live and /health/ready on port {}{}", ops.port(), on(bindAddress));
        }
        return ops;
    }

    private static String on(String bindAddress) {
        return ALL_INTERFACES.equals(bindAddress) ? "" : " of " + bindAddress;
    }

    private static HttpServer bind(String bindAddress, int port) {
        InetSocketAddress address = new InetSocketAddress(bindAddress, port);
        if (address.isUnresolved()) {
            throw new IllegalStateException("Cannot serve metrics and health on " + bindAddress + ": no such address. "
                    + "Set metrics.bind.address to an IP address or host name of this host, or 0.0.0.0 for all interfaces.");
        }
        try {
            return HttpServer.create(address, 0);
        } catch (BindException e) {
            throw new IllegalStateException("Cannot serve metrics and health on " + bindAddress + " port " + port + ": "
                    + e.getMessage() + ". Set metrics.port to a free port (or -1 to turn the endpoint off), or "
                    + "metrics.bind.address to an address of this host (0.0.0.0: all interfaces).", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Up to {@link #WORKERS} threads, then a queue: a probe behind that many slow peers waits until the first is cut off ({@link HttpLimits#REQUEST}). */
    private static ExecutorService workers() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(WORKERS, WORKERS, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "streamnlp-ops-http-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
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
