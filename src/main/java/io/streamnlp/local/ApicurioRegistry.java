package io.streamnlp.local;

import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apicurio Registry 3.x, run as a child process from its unpacked distribution, for the
 * demo and the integration tests. In-memory storage: every start is empty.
 *
 * <p>It serves the Confluent-compatible API at {@link #ccompatUrl()} (what our serdes use) and
 * Apicurio's native API at {@link #nativeUrl()}. Global compatibility is set to BACKWARD, like a
 * production registry would be.
 */
public final class ApicurioRegistry implements AutoCloseable {

    public static final String HOME_PROPERTY = "apicurio.home";
    private static final String RUN_JAR = "quarkus-run.jar";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_LINES_ON_FAILURE = 40;

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;

    private ApicurioRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        // A test JVM that exits without close() must not leave a registry running.
        this.shutdownHook = new Thread(this::stopProcess, "apicurio-registry-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * The unpacked distribution: system property {@value #HOME_PROPERTY}, else {@code
     * target/apicurio-registry} under the working directory.
     *
     * @throws IllegalStateException when it has no {@value #RUN_JAR}
     */
    public static Path defaultHome() {
        String property = System.getProperty(HOME_PROPERTY);
        Path home = (property == null || property.isBlank()
                ? Path.of("target", "apicurio-registry") : Path.of(property)).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve(RUN_JAR))) {
            throw new IllegalStateException(
                    "no Apicurio Registry distribution at " + home + " (" + RUN_JAR
                            + " missing): run `mvn -q package -DskipTests` first, or set -D" + HOME_PROPERTY);
        }
        return home;
    }

    /**
     * Starts the registry from {@code home} on free local ports and waits until it answers.
     *
     * @throws IllegalStateException when this JVM is older than Java 21, or the registry does not
     *     come up within 60 s (the message quotes the end of its log)
     */
    public static ApicurioRegistry start(Path home) {
        int[] ports = freePorts(2);
        return start(home, ports[0], ports[1], null);
    }

    /**
     * Starts the registry on the given ports. With a {@code dataDir} its schemas live in an H2 file
     * there (instead of in memory), so a registry restarted on the same ports and directory serves
     * the same ids: what an outage test needs.
     */
    public static ApicurioRegistry start(Path home, int httpPort, int managementPort, Path dataDir) {
        Path java = currentJava();
        Path logFile = createLogFile();
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort,
                "-Dquarkus.management.host=127.0.0.1"));
        if (dataDir != null) {
            command.add("-Dapicurio.datasource.url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry"));
        }
        command.addAll(List.of("-jar", RUN_JAR));
        int[] ports = {httpPort, managementPort};
        Process process;
        try {
            process =
                    new ProcessBuilder(command)
                            .directory(home.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(logFile.toFile())
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Apicurio Registry from " + home, e);
        }
        ApicurioRegistry registry = new ApicurioRegistry(process, ports[0], logFile);
        try {
            registry.awaitReady();
            try (SchemaRegistryClient client =
                    new SchemaRegistryClient(RegistrySettings.of(registry.ccompatUrl()))) {
                client.setCompatibility("BACKWARD");
            }
            return registry;
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** The Confluent-compatible API, for {@link RegistrySettings}. */
    public String ccompatUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /** Apicurio's native v3 API (what Apicurio's own serdes talk to). */
    public String nativeUrl() {
        return "http://127.0.0.1:" + port + "/apis/registry/v3";
    }

    public int port() {
        return port;
    }

    /** Where the registry's stdout and stderr go. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the registry and everything it started, waiting for them to exit. */
    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run; nothing left to unregister.
        }
    }

    private void stopProcess() {
        ProcessHandle handle = process.toHandle();
        List<ProcessHandle> descendants = handle.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        handle.destroy();
        try {
            if (!process.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                descendants.forEach(ProcessHandle::destroyForcibly);
                handle.destroyForcibly();
                process.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        URI subjects = URI.create(ccompatUrl() + "/subjects");
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw startupFailure("exited with code " + process.exitValue());
                }
                if (answersOk(http, subjects)) {
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw startupFailure("interrupted while waiting for it");
        }
        throw startupFailure("did not answer " + subjects + " within " + STARTUP_TIMEOUT.toSeconds() + " s");
    }

    private static boolean answersOk(HttpClient http, URI uri) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    private IllegalStateException startupFailure(String what) {
        return new IllegalStateException(
                "Apicurio Registry on port " + port + " " + what + "; its log is " + logFile
                        + ", ending with:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e + ")";
        }
    }

    /** This JVM's launcher: Apicurio 3.x is compiled for Java 21. */
    private static Path currentJava() {
        int feature = Runtime.version().feature();
        String javaHome = System.getProperty("java.home");
        if (feature < 21) {
            throw new IllegalStateException(
                    "Apicurio Registry needs Java 21+, but this JVM (" + javaHome + ") is Java " + feature
                            + "; run with JAVA_HOME pointing to a Java 21+ JDK");
        }
        return Path.of(javaHome, "bin", "java");
    }

    public static int[] freePorts(int count) {
        // Keep every socket open until all are chosen, so the same port is not handed out twice.
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free local port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Only a probe; the port is free either way.
        }
    }

    private static Path createLogFile() {
        try {
            return Files.createTempDirectory("apicurio-registry-").resolve("registry.log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory for the registry log", e);
        }
    }
}
