package io.streamnlp.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The operations endpoint cannot be held by its clients: with many connections open that send
 * nothing (a port scanner) and several that send their request one byte a second (a stuck scraper),
 * {@code /health/live} and {@code /metrics} still answer within a second, again and again, and the
 * server closes every one of those connections within its documented bound ({@link HttpLimits}).
 * A real {@link OpsServer} on a loopback port; no Kafka needed.
 */
class OpsServerHostileClientsTest {

    private static final int IDLE = 50;
    private static final int SLOW = 8;
    /** What a kubelet probe allows by default. */
    /**
     * Half the time a hostile connection is held (HttpLimits.REQUEST, 5 s): a probe queued behind those
     * connections would take that long, while a loaded test machine (another test JVM beside this one)
     * can delay an answer past one second.
     */
    private static final Duration ANSWER = Duration.ofMillis(2500);
    /** The documented bound (the request time, then at most one timer tick), plus slack for a loaded machine. */
    private static final Duration CLOSED_WITHIN = HttpLimits.REQUEST.plus(HttpLimits.TICK).plusSeconds(2);
    private static final byte[] SLOW_REQUEST = "GET /metrics HTTP/1.1\r\nHost: streamnlp\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void probesAndScrapesAnswerWhileIdleAndSlowConnectionsHoldThePortAndThoseAreClosedInTime() throws Exception {
        try (Telemetry telemetry = new Telemetry("hostile", "e5-small-q", "1", "none");
                OpsServer ops = OpsServer.start("127.0.0.1", 0, telemetry, () -> Health.of(KafkaStreams.State.RUNNING), Map.of());
                Selector closes = Selector.open()) {
            int port = ops.port();
            // Warm up (class loading, the first scrape): the bound is for a running instance.
            get(port, "/health/live");
            get(port, "/metrics");

            Map<SocketChannel, Long> openedAt = new HashMap<>();
            for (int i = 0; i < IDLE; i++) {
                openedAt.put(connect(port, closes), System.nanoTime());
            }
            List<SocketChannel> slow = new ArrayList<>();
            for (int i = 0; i < SLOW; i++) {
                SocketChannel channel = connect(port, closes);
                slow.add(channel);
                openedAt.put(channel, System.nanoTime());
            }
            ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
            try {
                int[] sent = {0};
                dribbler.scheduleAtFixedRate(() -> {
                    if (sent[0] < SLOW_REQUEST.length) {
                        for (SocketChannel channel : slow) {
                            try {
                                channel.write(ByteBuffer.wrap(SLOW_REQUEST, sent[0], 1));
                            } catch (IOException cutOff) {
                                // the server closed it: what the test waits for
                            }
                        }
                        sent[0]++;
                    }
                }, 0, 1, TimeUnit.SECONDS);

                List<Duration> closedAfter = new ArrayList<>();
                long rounds = 0;
                long deadline = System.nanoTime() + CLOSED_WITHIN.plusSeconds(2).toNanos();
                while (closedAfter.size() < IDLE + SLOW) {
                    assertThat(System.nanoTime()).as("every hostile connection closed by the server in time").isLessThan(deadline);
                    assertThat(timedGet(port, "/health/live")).as("/health/live answered within %s", ANSWER).isLessThan(ANSWER);
                    assertThat(timedGet(port, "/metrics")).as("/metrics answered within %s", ANSWER).isLessThan(ANSWER);
                    rounds++;
                    // Waits for the next close (or 200 ms), so probes go on at a steady pace meanwhile.
                    closes.select(200);
                    for (SelectionKey key : closes.selectedKeys()) {
                        SocketChannel channel = (SocketChannel) key.channel();
                        if (closedByServer(channel)) {
                            closedAfter.add(Duration.ofNanos(System.nanoTime() - openedAt.get(channel)));
                            key.cancel();
                        }
                    }
                    closes.selectedKeys().clear();
                }
                assertThat(rounds).as("probes answered while the connections were held").isGreaterThanOrEqualTo(10);
                // Not before the bound either: a client that is merely slow gets its full request time.
                assertThat(closedAfter).allSatisfy(after -> assertThat(after)
                        .isBetween(HttpLimits.REQUEST.minusMillis(500), CLOSED_WITHIN));
            } finally {
                dribbler.shutdownNow();
                for (SocketChannel channel : openedAt.keySet()) {
                    channel.close();
                }
            }
            // And the endpoint is as good as new.
            assertThat(timedGet(port, "/health/live")).isLessThan(ANSWER);
        }
    }

    @Test
    void listensOnlyWhereItIsToldAndABadAddressOrBusyPortNamesTheSetting() throws Exception {
        try (Telemetry telemetry = new Telemetry("bind", "e5-small-q", "1", "none");
                OpsServer ops = OpsServer.start("127.0.0.1", 0, telemetry, () -> Health.of(KafkaStreams.State.RUNNING), Map.of())) {
            assertThat(get(ops.port(), "/health/live")).startsWith("HTTP/1.1 200");
            assertThatThrownBy(() -> OpsServer.start("127.0.0.1", ops.port(), telemetry,
                    () -> Health.of(KafkaStreams.State.RUNNING), Map.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("metrics.port");
            // An address this host does not have (TEST-NET-1, RFC 5737).
            assertThatThrownBy(() -> OpsServer.start("192.0.2.1", 0, telemetry,
                    () -> Health.of(KafkaStreams.State.RUNNING), Map.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("metrics.bind.address");
        }
    }

    private static SocketChannel connect(int port, Selector closes) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.configureBlocking(false);
        channel.register(closes, SelectionKey.OP_READ);
        return channel;
    }

    /** True when the server closed the connection (end of stream or reset); it never answers these. */
    private static boolean closedByServer(SocketChannel channel) {
        try {
            return channel.read(ByteBuffer.allocate(256)) < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    private static Duration timedGet(int port, String path) throws IOException {
        long start = System.nanoTime();
        String status = get(port, path);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(status).as(path).startsWith("HTTP/1.1 200");
        return took;
    }

    /** A GET on a new connection, as a kubelet probe does; the status line, or "timeout" after 2 s. */
    private static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: streamnlp\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n");
            return end < 0 ? response : response.substring(0, end);
        } catch (SocketTimeoutException e) {
            return "timeout";
        }
    }
}
