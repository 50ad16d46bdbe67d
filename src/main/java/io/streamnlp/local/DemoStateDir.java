package io.streamnlp.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.utils.Utils;

/**
 * Where the demo keeps its Kafka Streams state (RocksDB stores): a fresh directory under the user's
 * cache ({@code $XDG_CACHE_HOME/streamnlp/demo}, else {@code ~/.cache/streamnlp/demo}), deleted when
 * the demo ends. Not the OS temp directory: Kafka Streams warns about one (a temp cleaner may delete
 * a checkpoint under a running instance), and the demo must not print a warning its user cannot act
 * on. Only where the home is not writable does it fall back to the temp directory (and the warning).
 */
final class DemoStateDir implements AutoCloseable {

    private final Path dir;

    private DemoStateDir(Path dir) {
        this.dir = dir;
    }

    static DemoStateDir create() {
        try {
            Path base = cacheHome().resolve("streamnlp").resolve("demo");
            Files.createDirectories(base);
            return new DemoStateDir(Files.createTempDirectory(base, "state-"));
        } catch (IOException | SecurityException | UnsupportedOperationException notWritable) {
            try {
                return new DemoStateDir(Files.createTempDirectory("streamnlp-demo-state"));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a state directory for the demo", e);
            }
        }
    }

    static Path cacheHome() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        return Path.of(System.getProperty("user.home"), ".cache");
    }

    Path path() {
        return dir;
    }

    @Override
    public void close() {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            // Left behind in the user's cache; the next demo uses a fresh directory anyway.
        }
    }
}
