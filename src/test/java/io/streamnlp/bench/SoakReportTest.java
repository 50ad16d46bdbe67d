package io.streamnlp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's verdicts: growth from minute 2 to the last, p99 against minute 1. */
class SoakReportTest {

    private static PipelineBenchmark.SoakMinute minute(int m, double p99, long heapMiB, long rssMiB, long byText) {
        return new PipelineBenchmark.SoakMinute(m, 6000, p99 / 2, p99, heapMiB << 20, rssMiB << 20, byText);
    }

    @Test
    void flatMemoryAndSteadyLatencyMeetEveryTarget() {
        String table = new SoakReport("e5-small-q", 300, 210, Duration.ofMinutes(3), 6000, List.of(minute(1, 200, 900, 1500, 12000),
                minute(2, 210, 400, 1600, 12600), minute(3, 220, 410, 1620, 12500))).markdown();
        assertThat(table).contains("| heap after GC, minute 2 to 3 | 400 to 410 MiB = +2.5 % | <= +5 % | yes |",
                "| RSS, minute 2 to 3 | 1600 to 1620 MiB = +1.2 % | <= +5 % | yes |",
                "| by-text topic, minute 2 to 3 | 12600 to 12500 records retained | does not grow (<= +5 %) | yes |",
                "| p99, worst minute against minute 1 | 220 ms against 200 ms = +10.0 % | within 20 % | yes |");
    }

    @Test
    void aRunWithoutTheByTextTopicSaysSoInsteadOfCountingIt() {
        long none = PipelineBenchmark.SoakMinute.NO_TOPIC;
        String table = new SoakReport("e5-small-q", 300, 210, Duration.ofMinutes(3), 6000, List.of(minute(1, 200, 400, 1500, none),
                minute(2, 200, 400, 1500, none), minute(3, 210, 400, 1500, none))).markdown();
        assertThat(table).contains("| 2 | 6000 | 100 | 200 | 400 | 1500 | - |",
                "| by-text topic, minute 2 to 3 | none: the cache is placed by partition (no hop) | does not grow (<= +5 %) | yes |");
    }

    @Test
    void growthAndDriftAreMissed() {
        String table = new SoakReport("e5-small-q", 300, 210, Duration.ofMinutes(3), 6000, List.of(minute(1, 200, 400, 1500, 100),
                minute(2, 200, 400, 1500, 100), minute(3, 400, 500, 1700, 1000))).markdown();
        assertThat(table).contains("+25.0 % | <= +5 % | **no** |", "| does not grow (<= +5 %) | **no** |",
                "= +100.0 % | within 20 % | **no** |");
    }
}
