package io.streamnlp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real browser for page tests: headless Chromium run as a command ({@code --dump-dom} prints the
 * DOM after the page's scripts ran, {@code --screenshot} writes a PNG). Found as {@code $CHROMIUM_BIN},
 * else {@code chromium}, {@code chromium-browser} or {@code google-chrome} on the PATH ({@code .ci/run}
 * installs Debian's {@code chromium}). Each run gets its own throwaway profile.
 */
public final class Chromium {

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    private final Path binary;

    private Chromium(Path binary) {
        this.binary = binary;
    }

    /** The browser, if this machine has one. */
    public static Optional<Chromium> find() {
        String configured = System.getenv("CHROMIUM_BIN");
        if (configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured))) {
            return Optional.of(new Chromium(Path.of(configured)));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : NAMES) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new Chromium(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The page's DOM after its scripts ran for {@code virtualMillis} of virtual time (the browser
     * fast-forwards timers; fetches to the page's server complete in real time).
     */
    public String dumpDom(String url, int virtualMillis, Path workDir) throws IOException, InterruptedException {
        Path out = workDir.resolve("dom-" + System.nanoTime() + ".html");
        run(List.of("--virtual-time-budget=" + virtualMillis, "--dump-dom", url), workDir, out);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** A PNG of the page at the given window size, after {@code virtualMillis} of virtual time. */
    public void screenshot(String url, Path png, int width, int height, int virtualMillis, Path workDir)
            throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(List.of("--virtual-time-budget=" + virtualMillis, "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath(), url), workDir, workDir.resolve("screenshot-" + System.nanoTime() + ".log"));
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("Chromium wrote no screenshot to " + png);
        }
    }

    private void run(List<String> args, Path workDir, Path stdout) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=" + profile));
        command.addAll(args);
        Path stderr = workDir.resolve("chromium-" + System.nanoTime() + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not finish within 90 s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Chromium exited with " + process.exitValue() + ": " + command + "\n"
                    + Files.readString(stderr, StandardCharsets.UTF_8));
        }
    }
}
