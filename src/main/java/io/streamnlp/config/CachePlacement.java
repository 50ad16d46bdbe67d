package io.streamnlp.config;

import java.util.Locale;

/**
 * Where the result cache lives ({@code cache.placement}), which decides whether events take the
 * by-text hop. Measured side by side by {@code bench} (docs/BENCHMARKS.md). The default, {@link #AUTO},
 * is resolved once at start into one of the other two ({@link #resolve}), before the topology is built.
 */
public enum CachePlacement {
    /**
     * Every event is re-keyed by its text and passes the {@code <application.id>-by-text} topic, so all
     * copies of a text meet in one task's cache whatever partition they came in on: the ideal hit
     * rate, paid for by one more produce, consume and transaction per event.
     */
    BY_TEXT("by-text"),
    /**
     * Each input partition's task keeps its own cache and no event leaves its task: a text repeated
     * on another partition is missed once there, then hits. Nothing is paid on a stream without repeats.
     */
    PARTITION("partition"),
    /**
     * {@link #BY_TEXT} where the {@code <application.id>-by-text} topic exists (an application that ran
     * with the hop before: it goes on as it was and strands nothing in that topic), else
     * {@link #PARTITION} (a fresh application id: the placement that costs nothing where nothing repeats).
     * Instances starting at once see the same topic, or none, so they resolve alike.
     */
    AUTO("auto");

    private final String settingName;

    CachePlacement(String settingName) {
        this.settingName = settingName;
    }

    /** The value in {@code cache.placement}. */
    public String settingName() {
        return settingName;
    }

    /**
     * What this placement means for an application whose by-text topic does or does not exist: itself,
     * except {@link #AUTO}.
     */
    public CachePlacement resolve(boolean byTextTopicExists) {
        if (this != AUTO) {
            return this;
        }
        return byTextTopicExists ? BY_TEXT : PARTITION;
    }

    /** The placement named {@code name} (any case, surrounding blanks ignored). */
    public static CachePlacement of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (CachePlacement placement : values()) {
            if (placement.settingName.equals(wanted)) {
                return placement;
            }
        }
        throw new IllegalArgumentException("cache.placement must be auto, by-text or partition, got '" + name + "'");
    }
}
