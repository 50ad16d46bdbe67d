package io.streamnlp.testing;

import io.streamnlp.config.StreamNlpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A StreamNLP command ({@code run} by default) in a separate JVM, so a test can kill it for real (SIGKILL: no
 * shutdown hook, no flush, no commit) or stop it with SIGTERM and check its exit code.
 */
public final class ChildApp {

    private final Process process;
    private final Path log;

    private ChildApp(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ChildApp start(Map<String, String> settings, Path log) throws IOException {
        return start("run", List.of(), settings, log);
    }

    /** Any StreamNLP command, e.g. {@code replay} with its own flags, plus {@code --set} settings. */
    public static ChildApp start(String subcommand, List<String> flags, Map<String, String> settings, Path log)
            throws IOException {
        return start(subcommand, flags, settings, log, List.of());
    }

    /** With extra JVM options, e.g. {@code -Dstreamnlp.test.fault.encoder=true} (a test seam). */
    public static ChildApp start(String subcommand, List<String> flags, Map<String, String> settings, Path log,
            List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.streamnlp.cli.StreamNlpCommand", subcommand));
        command.addAll(flags);
        if (!settings.containsKey(StreamNlpConfig.METRICS_PORT)) {
            command.addAll(List.of("--set", StreamNlpConfig.METRICS_PORT + "=0")); // children may overlap
        }
        settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ChildApp(process, log);
    }

    /** Waits until the child's Kafka Streams reports RUNNING (from its log). */
    public void awaitRunning(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains("REBALANCING -> RUNNING")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("child exited with " + process.exitValue() + ", see " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("child not RUNNING after " + timeout + ", see " + log);
    }

    /** SIGKILL: the process dies mid-whatever, as in a power cut or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code (the app must exit 0 after a clean shutdown). */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child did not stop within " + timeout + ", see " + log);
        }
        return process.exitValue();
    }

    /** Waits for the child to exit by itself; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child still running after " + timeout + ", see " + log);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public static Path newLog(Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".log");
        Files.deleteIfExists(file);
        Files.createFile(file);
        return file;
    }
}
