package io.streamnlp.ops;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The time bounds of the operations endpoint's connections, so that no client can hold it: the JDK's
 * HTTP server reads them from system properties ({@code sun.net.httpserver.*}, documented in the
 * {@code jdk.httpserver} module's description), once per JVM, when its implementation class is first
 * used. {@link OpsServer} calls {@link #apply()} from its static initialiser, before it creates its
 * server; nothing else in StreamNLP uses the JDK's server, so that is first.
 *
 * <p>Without them the server waits for a request forever: a connection that sent one byte holds a
 * worker thread until the peer goes away (a port scanner, a stuck scraper), and enough of them
 * starve {@code /health/live} until the kubelet restarts a healthy pod. A property given on the
 * command line ({@code -Dsun.net.httpserver.maxReqTime=...}) is left as it is.
 */
final class HttpLimits {

    /**
     * A connection must deliver its whole request within this time after its first byte, and one
     * that sends nothing is closed after it too (the JDK takes the lower of this and the idle
     * interval for a new connection). A probe or a scrape sends a few hundred bytes at once.
     */
    static final Duration REQUEST = Duration.ofSeconds(5);
    /**
     * From the end of the request to the end of the response, the handler's work included: a
     * client that does not read its response is cut off. Prometheus' default scrape timeout is 10 s.
     */
    static final Duration RESPONSE = Duration.ofSeconds(10);
    /** A kept-alive connection between two requests (Prometheus reuses its connection between scrapes). */
    static final Duration IDLE = Duration.ofSeconds(30);
    /** Kept-alive connections at most; one more is closed after its response. */
    static final int MAX_IDLE_CONNECTIONS = 50;
    /**
     * How often the JDK's timers look for connections past their bound (its default for idle ones
     * is 10 s): a connection is closed at most this much later than its bound.
     */
    static final Duration TICK = Duration.ofSeconds(1);

    private HttpLimits() {
    }

    /** The properties by name, in the JDK's units (seconds, except the timer ticks in milliseconds). */
    static Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        // Seconds: ServerImpl multiplies them by 1000 (JDK 17 to 25 alike); the module description
        // said milliseconds (JDK-8387598).
        properties.put("sun.net.httpserver.maxReqTime", Long.toString(REQUEST.toSeconds()));
        properties.put("sun.net.httpserver.maxRspTime", Long.toString(RESPONSE.toSeconds()));
        properties.put("sun.net.httpserver.idleInterval", Long.toString(IDLE.toSeconds()));
        properties.put("sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_IDLE_CONNECTIONS));
        properties.put("sun.net.httpserver.clockTick", Long.toString(TICK.toMillis()));
        properties.put("sun.net.httpserver.timerMillis", Long.toString(TICK.toMillis()));
        return properties;
    }

    /** Sets each property that is not set yet; returns the values in force. */
    static synchronized Map<String, String> apply() {
        Map<String, String> inForce = new LinkedHashMap<>();
        properties().forEach((name, value) -> {
            String given = System.getProperty(name);
            if (given == null) {
                System.setProperty(name, value);
                given = value;
            }
            inForce.put(name, given);
        });
        return inForce;
    }
}
