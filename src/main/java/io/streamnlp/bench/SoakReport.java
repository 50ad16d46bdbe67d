package io.streamnlp.bench;

import static io.streamnlp.bench.BenchReport.f;
import static io.streamnlp.bench.BenchReport.met;
import static io.streamnlp.bench.BenchReport.row;

import java.time.Duration;
import java.util.List;

/**
 * {@code bench --soak}: one line per minute and the verdicts: heap after GC and RSS grow at most 5 %
 * from minute 2 to the last, the by-text topic does not grow, and every minute's p99 stays within
 * 20 % of the first minute's.
 */
public final class SoakReport {

    static final double MEMORY_GROWTH = 0.05;
    static final double P99_DRIFT = 0.20;

    private final String model;
    private final double maxRate;
    private final double rate;
    private final Duration duration;
    private final long cacheEntriesPerTask;
    private final List<PipelineBenchmark.SoakMinute> minutes;

    SoakReport(String model, double maxRate, double rate, Duration duration, long cacheEntriesPerTask,
            List<PipelineBenchmark.SoakMinute> minutes) {
        this.cacheEntriesPerTask = cacheEntriesPerTask;
        this.model = model;
        this.maxRate = maxRate;
        this.rate = rate;
        this.duration = duration;
        this.minutes = minutes;
    }

    /** Whether there is a minute 2 to compare the last with. */
    public boolean complete() {
        return minutes.size() >= 2;
    }

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append(f("Soak: model `%s`, %.0f texts/s offered (%.0f %% of the %.0f texts/s exactly-once maximum measured first) "
                + "for %d min, every text distinct, result caches bounded at %d entries per task (about a minute of events, so "
                + "they are full and evicting from minute 2), defaults otherwise; %s. Heap after GC: used heap right after "
                + "a forced GC at the end of each minute. The broker and registry run in the same JVM.%n%n",
                model, rate, 100 * rate / maxRate, maxRate, duration.toMinutes(), cacheEntriesPerTask, BenchReport.machine()));
        out.append("| minute | records out | p50 ms | p99 ms | heap after GC MiB | RSS MiB | by-text topic records |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (PipelineBenchmark.SoakMinute m : minutes) {
            out.append(f("| %d | %d | %.0f | %.0f | %d | %d | %s |%n", m.minute(), m.records(), m.p50Ms(), m.p99Ms(),
                    m.heapAfterGcBytes() >> 20, m.rssBytes() >> 20,
                    m.byTextRecords() == PipelineBenchmark.SoakMinute.NO_TOPIC ? "-" : Long.toString(m.byTextRecords())));
        }
        if (!complete()) {
            return out.append("\nToo short for the verdicts (they compare minute 2 with the last).\n").toString();
        }
        PipelineBenchmark.SoakMinute first = minutes.get(0);
        PipelineBenchmark.SoakMinute second = minutes.get(1);
        PipelineBenchmark.SoakMinute last = minutes.get(minutes.size() - 1);
        double heapGrowth = (double) last.heapAfterGcBytes() / second.heapAfterGcBytes() - 1;
        double rssGrowth = (double) last.rssBytes() / second.rssBytes() - 1;
        // The topic is purged every minute, so what it holds is about one minute of events: "not growing"
        // means the last minute holds no more than minute 2 did, within the same 5 %.
        double topicGrowth = second.byTextRecords() == 0 ? 0 : (double) last.byTextRecords() / second.byTextRecords() - 1;
        double worstP99 = minutes.stream().mapToDouble(PipelineBenchmark.SoakMinute::p99Ms).max().orElse(0);
        out.append("\n| check | measured | target | met |\n|---|---|---|---|\n");
        row(out, f("heap after GC, minute 2 to %d", last.minute()), f("%d to %d MiB = %+.1f %%", second.heapAfterGcBytes() >> 20,
                last.heapAfterGcBytes() >> 20, 100 * heapGrowth), "<= +5 %", met(heapGrowth <= MEMORY_GROWTH));
        row(out, f("RSS, minute 2 to %d", last.minute()), f("%d to %d MiB = %+.1f %%", second.rssBytes() >> 20,
                last.rssBytes() >> 20, 100 * rssGrowth), "<= +5 %", met(rssGrowth <= MEMORY_GROWTH));
        if (last.byTextRecords() == PipelineBenchmark.SoakMinute.NO_TOPIC) {
            row(out, f("by-text topic, minute 2 to %d", last.minute()), "none: the cache is placed by partition (no hop)",
                    "does not grow (<= +5 %)", met(true));
        } else {
            row(out, f("by-text topic, minute 2 to %d", last.minute()), f("%d to %d records retained", second.byTextRecords(),
                    last.byTextRecords()), "does not grow (<= +5 %)", met(topicGrowth <= MEMORY_GROWTH));
        }
        row(out, "p99, worst minute against minute 1", f("%.0f ms against %.0f ms = %+.1f %%", worstP99, first.p99Ms(),
                100 * (worstP99 / first.p99Ms() - 1)), "within 20 %", met(worstP99 <= (1 + P99_DRIFT) * first.p99Ms()));
        return out.toString();
    }
}
