package io.streamnlp.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamnlp.config.OutputKind;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.live.LiveFeed;
import io.streamnlp.live.LiveView;
import io.streamnlp.live.TailRecord;
import io.streamnlp.ops.PipelineMeters;
import io.streamnlp.schema.EmbeddingRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch.overlap} through the whole topology: batches encoded on the inference thread while
 * later ones close (one text per batch, so every text is a batch of its own and up to two are in the
 * encoder at once) leave in the order they arrived, windows and the live page included, and a text
 * whose twin an earlier batch is still encoding gets no encoder pass of its own.
 */
class OverlapTopologyTest {

    @TempDir
    Path stateDir;

    private static Map<String, String> oneTextPerBatch(String cache) {
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamNlpConfig.BATCH_OVERLAP, "true");
        settings.put(StreamNlpConfig.BATCH_MAX_RECORDS, "1");
        settings.put(StreamNlpConfig.CACHE_ENABLED, cache);
        settings.put(StreamNlpConfig.OUTPUTS, "embeddings");
        return settings;
    }

    private static void send(TopologyHarness pipeline, String id, String text) {
        pipeline.input("logs").pipeInput(new TestRecord<>(id.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void batchesLeaveInTheOrderTheyClosed() {
        // The live page on, and one text longer than the test encoder's 256 tokens (in windows): both
        // are fed from results forwarded by the stream thread after the inference thread made them.
        LiveView view = new LiveView(new LiveView.Identity("overlap", "m", "1", "s", "n"), new SimpleMeterRegistry(),
                PipelineMeters.none(), () -> "RUNNING");
        try (TopologyHarness pipeline = new TopologyHarness(stateDir, oneTextPerBatch("false"), view)) {
            List<String> ids = List.of("o1", "o2", "o3", "o4", "o5", "o6");
            for (int i = 0; i < ids.size(); i++) {
                send(pipeline, ids.get(i), "Review number " + i + ": the room was " + "clean and quiet ".repeat(i == 3 ? 120 : i + 1));
            }
            pipeline.settle();

            List<EmbeddingRecord> out = pipeline.values(OutputKind.EMBEDDINGS, EmbeddingRecord.class);
            assertThat(out).extracting(EmbeddingRecord::getId).containsExactlyElementsOf(ids);
            assertThat(out.get(3).getWindows()).as("the long text, in windows").isGreaterThan(1);
            assertThat(view.tail(10).records()).extracting(TailRecord::id).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(pipeline.sessions.textsEncoded()).as("encoder rows: one per text, one per window of the long one")
                    .isEqualTo(ids.size() - 1 + out.get(3).getWindows());
        } finally {
            view.close();
        }
    }

    @Test
    void aTextWhoseTwinIsStillInTheEncoderIsServedItsResult() {
        try (TopologyHarness pipeline = new TopologyHarness(stateDir, oneTextPerBatch("true"), LiveFeed.NONE)) {
            String text = "The breakfast in Porto was excellent and the staff were kind.";
            // The second copy closes its batch while the first is (or may be) in the encoder; the third
            // closes when two are handed over, so the stage waits for the first before it starts.
            send(pipeline, "t1", text);
            send(pipeline, "t2", "  " + text.replace(" ", "  "));
            send(pipeline, "t3", text);
            pipeline.settle();

            List<EmbeddingRecord> out = pipeline.values(OutputKind.EMBEDDINGS, EmbeddingRecord.class);
            assertThat(out).extracting(EmbeddingRecord::getId).containsExactly("t1", "t2", "t3");
            assertThat(pipeline.sessions.textsEncoded()).as("one encoder pass for the three copies").isEqualTo(1);
            assertThat(out).extracting(EmbeddingRecord::getCached).containsExactly(false, true, true);
            assertThat(out.get(1).getVector()).isEqualTo(out.get(0).getVector());
        }
    }
}
