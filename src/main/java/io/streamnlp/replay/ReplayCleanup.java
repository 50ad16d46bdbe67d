package io.streamnlp.replay;

import io.streamnlp.replay.ReplayStore.Ownership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replay owns only what it creates. Before its first start it records, in its plan file, which
 * topics named {@code <id>-...} and whether {@code state.dir/<id>} already existed ({@link #found});
 * once its application is built, which of its internal topics it is about to create
 * ({@link #created}). Once it has finished, only those are deleted ({@link #delete}): a by-text topic
 * or changelog it found (another application's, or made by hand) and a state directory it found stay.
 * Output topics are results and never deleted. Under a derived id ({@code streamnlp-replay-<hash of
 * the plan>}) everything named after the id is the replay's own, whichever host of it created it.
 */
final class ReplayCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayCleanup.class);
    private static final long TIMEOUT_S = 30;

    private ReplayCleanup() {}

    /**
     * What existed before the replay's first start: recorded now, before anything of it is created,
     * unless an earlier run recorded it. A plan from before ownership was recorded counts everything
     * that exists now as found: it keeps what an earlier run may have created, rather than delete what
     * it may not have.
     */
    static Ownership found(Admin admin, ReplayStore store, ReplayStore.Stored stored, boolean derivedId, Path stateDir)
            throws Exception {
        Ownership recorded = store.load(stored.id()).map(ReplayStore.Stored::ownership).orElse(null);
        if (recorded != null) {
            return recorded;
        }
        String id = stored.id();
        // A derived id hashes the plan: whatever is named after it belongs to this replay (an earlier run,
        // or another host running the same command, whichever created it first), never to anything else.
        Set<String> topics = derivedId ? Set.of() : admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(id + "-")).collect(Collectors.toCollection(TreeSet::new));
        Ownership found = new Ownership(topics, !derivedId && Files.exists(stateDir.resolve(id)), null);
        store.recordOwnership(id, found);
        if (!topics.isEmpty() || found.foundStateDir()) {
            LOG.info("Replay {} found {}{}{} already there: it uses but never deletes them", id, topics,
                    found.foundStateDir() ? " and " : "", found.foundStateDir() ? stateDir.resolve(id) : "");
        }
        return found;
    }

    /** Records, before Kafka Streams starts, the internal topics the replay creates: those it did not find. */
    static Ownership created(ReplayStore store, String id, Ownership found, Set<String> internalTopics) {
        if (found.createdTopics() != null) {
            return found;
        }
        Set<String> created = new TreeSet<>(internalTopics);
        created.removeAll(found.foundTopics());
        Ownership owned = new Ownership(found.foundTopics(), found.foundStateDir(), created);
        store.recordOwnership(id, owned);
        return owned;
    }

    /**
     * Deletes what the finished replay created: its local state ({@code state.dir/<id>}) unless it was
     * there before, and its created internal topics. Call once Kafka Streams has closed. A failure is
     * logged, not thrown: the replay itself succeeded.
     */
    static void delete(Admin admin, String id, KafkaStreams streams, Ownership owned, Path stateDir) {
        if (owned.foundStateDir()) {
            LOG.info("Replay {} finished: its local state {} is kept, it existed before the replay", id, stateDir.resolve(id));
        } else {
            try {
                streams.cleanUp(); // the task directories; the application's directory keeps its lock and process files
                deleteRecursively(stateDir.resolve(id));
            } catch (RuntimeException | IOException e) {
                LOG.warn("Replay {} finished, but its local state {} could not be deleted ({}): delete it by hand", id,
                        stateDir.resolve(id), e.toString());
            }
        }
        List<String> topics = List.of();
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
            topics = owned.createdTopics().stream().filter(existing::contains).sorted().toList();
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            }
            LOG.info("Replay {} finished: deleted the internal topics it created {} and its local state (--keep-state "
                    + "keeps them){}", id, topics, owned.foundTopics().isEmpty() ? ""
                    : "; kept " + owned.foundTopics() + ", which existed before it");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Replay {} finished, but its internal topics {} could not be deleted ({}): delete them by hand",
                    id, topics.isEmpty() ? owned.createdTopics() : topics, e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
