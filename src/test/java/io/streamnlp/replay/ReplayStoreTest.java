package io.streamnlp.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay ids from resolved plans, and the plan files and index under {@code state.dir/replays/}. */
class ReplayStoreTest {

    @TempDir
    Path dir;

    private static ReplayPlan plan(long end0, long end1) {
        Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
        ranges.put(new TopicPartition("t", 0), new long[] {0, end0});
        ranges.put(new TopicPartition("t", 1), new long[] {0, end1});
        return new ReplayPlan(ranges, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Test
    void theIdIsAHashOfTheResolvedBoundsAndOfWhatIsWrittenWhere() {
        String id = plan(10, 20).derivedId("t:text", "e5-small-q", "out");
        assertThat(id).matches("streamnlp-replay-[0-9a-f]{12}");
        assertThat(plan(10, 20).derivedId("t:text", "e5-small-q", "out")).isEqualTo(id);

        Map<TopicPartition, long[]> reversed = new LinkedHashMap<>();
        reversed.put(new TopicPartition("t", 1), new long[] {0, 20});
        reversed.put(new TopicPartition("t", 0), new long[] {0, 10});
        assertThat(new ReplayPlan(reversed, Long.MIN_VALUE, Long.MAX_VALUE).derivedId("t:text", "e5-small-q", "out"))
                .as("independent of partition order").isEqualTo(id);

        assertThat(plan(10, 21).derivedId("t:text", "e5-small-q", "out")).as("an end moved on").isNotEqualTo(id);
        assertThat(plan(10, 20).derivedId("t:json", "e5-small-q", "out")).as("another format").isNotEqualTo(id);
        assertThat(plan(10, 20).derivedId("t:text", "minilm-l6-q", "out")).as("another model").isNotEqualTo(id);
        assertThat(plan(10, 20).derivedId("t:text", "e5-small-q", "other")).as("another prefix").isNotEqualTo(id);
        assertThat(new ReplayPlan(plan(10, 20).ranges(), 0, Long.MAX_VALUE).derivedId("t:text", "e5-small-q", "out"))
                .as("another time window").isNotEqualTo(id);
    }

    @Test
    void plansRoundTripAndKeepTheirFinishedFlagAndTheIndexPointsARequestAtItsPlan() throws Exception {
        ReplayStore store = new ReplayStore(dir.resolve("replays"));
        ReplayStore.Identity request = new ReplayStore.Identity("t:text", "earliest", "latest", "e5-small-q", "out");
        ReplayPlan plan = plan(10, 20);
        String id = plan.derivedId(request.sources(), request.model(), request.prefix());
        assertThat(store.indexed(request)).isEmpty();

        store.save(id, plan, request);
        store.index(request, id);
        ReplayStore.Stored stored = store.indexed(request).orElseThrow();
        assertThat(stored.id()).isEqualTo(id);
        assertThat(stored.identity()).isEqualTo(request);
        assertThat(stored.finished()).isFalse();
        assertThat(stored.plan().total()).isEqualTo(30);
        assertThat(stored.plan().ranges().get(new TopicPartition("t", 1))).containsExactly(0, 20);

        store.markFinished(id, 30);
        assertThat(store.load(id).orElseThrow().finished()).isTrue();
        assertThat(store.load(id).orElseThrow().finishedRecords()).isEqualTo(30);
        assertThat(store.load(id).orElseThrow().plan().ranges().keySet()).isEqualTo(plan.ranges().keySet());
        assertThat(Files.list(dir.resolve("replays"))).as("no temporary file left")
                .noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));

        ReplayStore.Identity other = new ReplayStore.Identity("t:text", "earliest", "2026-01-01", "e5-small-q", "out");
        assertThat(other.key()).isNotEqualTo(request.key());
        assertThat(store.indexed(other)).isEmpty();
    }

    @Test
    void aPlanFromBeforeIdentitiesWereStoredStillLoads() throws Exception {
        Path file = dir.resolve("replays").resolve("streamnlp-replay-0a1b2c3d.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "range.t.0=5-10\ntime.from=-9223372036854775808\ntime.until=9223372036854775807\n");
        ReplayStore.Stored stored = new ReplayStore(dir.resolve("replays")).load("streamnlp-replay-0a1b2c3d").orElseThrow();
        assertThat(stored.identity()).isNull();
        assertThat(stored.finished()).isFalse();
        assertThat(stored.plan().total()).isEqualTo(5);
    }

    @Test
    void whatAReplayFoundAndCreatedIsKeptWithItsPlanAcrossItsFinish() {
        ReplayStore store = new ReplayStore(dir.resolve("replays"));
        store.save("r", plan(10, 20), new ReplayStore.Identity("t:text", "earliest", "latest", "e5-small-q", "out"));
        assertThat(store.load("r").orElseThrow().ownership()).as("nothing recorded before the first start").isNull();

        store.recordOwnership("r", new ReplayStore.Ownership(java.util.Set.of("r-by-text"), true, null));
        assertThat(store.load("r").orElseThrow().ownership())
                .isEqualTo(new ReplayStore.Ownership(java.util.Set.of("r-by-text"), true, null));
        store.recordOwnership("r", new ReplayStore.Ownership(java.util.Set.of("r-by-text"), true,
                java.util.Set.of("r-pending-batch-changelog", "r-result-cache-changelog")));
        store.markFinished("r", 30);
        ReplayStore.Stored stored = store.load("r").orElseThrow();
        assertThat(stored.finished()).isTrue();
        assertThat(stored.ownership()).isEqualTo(new ReplayStore.Ownership(java.util.Set.of("r-by-text"), true,
                java.util.Set.of("r-pending-batch-changelog", "r-result-cache-changelog")));

        store.save("none-found", plan(10, 20), new ReplayStore.Identity("u:text", "earliest", "latest", "e5-small-q", "out"));
        store.recordOwnership("none-found", new ReplayStore.Ownership(java.util.Set.of(), false, java.util.Set.of()));
        assertThat(store.load("none-found").orElseThrow().ownership())
                .isEqualTo(new ReplayStore.Ownership(java.util.Set.of(), false, java.util.Set.of()));
    }
}
