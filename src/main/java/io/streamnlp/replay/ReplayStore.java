package io.streamnlp.replay;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a host remembers about its replays, under {@code state.dir/replays/}:
 *
 * <ul>
 *   <li>{@code <id>.properties}, one per replay: its plan (offset range per partition, time
 *       window), the request that planned it, and, once it completed, {@code finished=true} with
 *       its record count; and what the replay found and created ({@link Ownership}), so that its
 *       clean-up deletes only what it created. A finished plan is never run again; its id is the hash of its resolved
 *       bounds, so the same command with a moved-on end is another replay.
 *   <li>{@code requests/<hash of the request>.properties}, the index: from a request as typed
 *       (sources, {@code --start} and {@code --end} literals, model, output prefix) to the id of
 *       its current plan. An interrupted replay is found through it and resumed, whatever arrived
 *       in the sources since.
 * </ul>
 *
 * Files are written to a temporary file and moved into place, so a kill mid-write leaves the old
 * version or the new one, never half of one.
 */
final class ReplayStore {

    /**
     * A request as the user typed it, with the model and output prefix it resolves to: what makes
     * two runs "the same command".
     */
    record Identity(String sources, String start, String end, String model, String prefix) {

        /** The request's index key: 128 bits of SHA-256, hex. */
        String key() {
            String text = String.join("\u0000", sources, start, end, model, prefix);
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(hash, 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void writeTo(Properties props) {
            props.setProperty("request.sources", sources);
            props.setProperty("request.start", start);
            props.setProperty("request.end", end);
            props.setProperty("request.model", model);
            props.setProperty("request.prefix", prefix);
        }

        /** The identity stored with a plan, or null for a plan written before identities were stored. */
        static Identity readFrom(Properties props) {
            String sources = props.getProperty("request.sources");
            return sources == null ? null : new Identity(sources, props.getProperty("request.start"),
                    props.getProperty("request.end"), props.getProperty("request.model"), props.getProperty("request.prefix"));
        }

        @Override
        public String toString() {
            return "--from " + sources + " --start " + start + " --end " + end + ", model " + model
                    + ", output prefix " + prefix;
        }
    }

    /**
     * What a replay may delete once finished: recorded before its first start created anything.
     *
     * @param foundTopics the topics named {@code <id>-...} that existed before its first start: never its to delete
     * @param foundStateDir whether {@code state.dir/<id>} existed before its first start (then it is kept)
     * @param createdTopics its internal topics that did not exist then, which it creates and deletes; null
     *     until known (its application built)
     */
    record Ownership(Set<String> foundTopics, boolean foundStateDir, Set<String> createdTopics) {

        void writeTo(Properties props) {
            props.setProperty("found.topics", String.join(",", new TreeSet<>(foundTopics)));
            props.setProperty("found.state.dir", Boolean.toString(foundStateDir));
            if (createdTopics != null) {
                props.setProperty("created.topics", String.join(",", new TreeSet<>(createdTopics)));
            }
        }

        /** The ownership stored with a plan, or null when none was recorded yet. */
        static Ownership readFrom(Properties props) {
            String found = props.getProperty("found.topics");
            if (found == null) {
                return null;
            }
            String created = props.getProperty("created.topics");
            return new Ownership(split(found), Boolean.parseBoolean(props.getProperty("found.state.dir")),
                    created == null ? null : split(created));
        }

        private static Set<String> split(String list) {
            return list.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(list.split(",")));
        }
    }

    /**
     * A plan as stored.
     *
     * @param identity the request that planned it; null for a plan from before identities were stored
     * @param finishedRecords records in the plan when it finished; -1 while unfinished
     * @param ownership what it found and created; null until its first start recorded it
     */
    record Stored(String id, ReplayPlan plan, Identity identity, long finishedRecords, Ownership ownership) {

        boolean finished() {
            return finishedRecords >= 0;
        }
    }

    private final Path dir;

    /** @param dir {@code state.dir/replays} */
    ReplayStore(Path dir) {
        this.dir = dir;
    }

    Path planFile(String id) {
        return dir.resolve(id + ".properties");
    }

    Optional<Stored> load(String id) {
        Path file = planFile(id);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties props = read(file);
        String finished = props.getProperty("finished.records");
        return Optional.of(new Stored(id, ReplayPlan.readFrom(props), Identity.readFrom(props),
                Boolean.parseBoolean(props.getProperty("finished")) && finished != null ? Long.parseLong(finished) : -1,
                Ownership.readFrom(props)));
    }

    /** Saves a new, unfinished plan. */
    void save(String id, ReplayPlan plan, Identity identity) {
        Properties props = new Properties();
        props.setProperty("id", id);
        plan.writeTo(props);
        identity.writeTo(props);
        props.setProperty("finished", "false");
        write(planFile(id), props, "StreamNLP replay plan: offsets [from, until) per partition, time window [from, until)");
    }

    /** Marks a plan finished: a rerun of it says so and does nothing. */
    void markFinished(String id, long records) {
        Path file = planFile(id);
        Properties props = read(file);
        props.setProperty("finished", "true");
        props.setProperty("finished.records", Long.toString(records));
        props.setProperty("finished.at", Instant.now().toString());
        write(file, props, "StreamNLP replay plan (finished): offsets [from, until) per partition, time window [from, until)");
    }

    /** Records what the replay found and (once known) creates; see {@link Ownership}. */
    void recordOwnership(String id, Ownership ownership) {
        Path file = planFile(id);
        Properties props = read(file);
        ownership.writeTo(props);
        write(file, props, props.getProperty("finished", "false").equals("true")
                ? "StreamNLP replay plan (finished): offsets [from, until) per partition, time window [from, until)"
                : "StreamNLP replay plan: offsets [from, until) per partition, time window [from, until)");
    }

    /** The plan the index holds for this request, if it has one and its file still exists. */
    Optional<Stored> indexed(Identity identity) {
        Path file = indexFile(identity);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String id = read(file).getProperty("id");
        return id == null ? Optional.empty() : load(id);
    }

    /** Points the request at a plan: the next run of the same command finds it. */
    void index(Identity identity, String id) {
        Properties props = new Properties();
        props.setProperty("id", id);
        identity.writeTo(props);
        write(indexFile(identity), props, "StreamNLP replay index: the current plan of this request");
    }

    private Path indexFile(Identity identity) {
        return dir.resolve("requests").resolve(identity.key() + ".properties");
    }

    private static Properties read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return props;
    }

    private static void write(Path file, Properties props, String comment) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                try (Writer out = Files.newBufferedWriter(temp)) {
                    props.store(out, comment);
                }
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
