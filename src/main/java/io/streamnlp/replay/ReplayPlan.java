package io.streamnlp.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * A replay resolved to offsets: for every partition of the source topics, the first offset to read
 * and the offset to stop before; plus, when a bound was a time, the time window itself, which the
 * {@link ReplayGate} checks on every record (a topic's timestamps need not grow with its offsets).
 * Saved on first use (see {@link ReplayStore}), so a resumed replay keeps the same end even if the
 * topic has grown since; its hash is the replay's id ({@link #derivedId}).
 */
public record ReplayPlan(Map<TopicPartition, long[]> ranges, long fromTime, long untilTime) {

    /** Prefix of derived replay ids. */
    static final String ID_PREFIX = "streamnlp-replay-";

    /** Resolves the bounds against the topics as they are now. */
    static ReplayPlan resolve(Admin admin, List<String> topics, ReplayBound start, ReplayBound end) throws Exception {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
        List<TopicPartition> partitions = new ArrayList<>();
        described.values().forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
        Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> from = resolve(admin, partitions, start, earliest, latest, earliest);
        Map<TopicPartition, Long> until = resolve(admin, partitions, end, earliest, latest, latest);
        Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            long first = Math.max(from.get(partition), earliest.get(partition));
            long last = Math.min(until.get(partition), latest.get(partition));
            ranges.put(partition, new long[] {first, Math.max(first, last)});
        }
        long fromTime = start instanceof ReplayBound.Time t ? t.instant().toEpochMilli() : Long.MIN_VALUE;
        long untilTime = end instanceof ReplayBound.Time t ? t.instant().toEpochMilli() : Long.MAX_VALUE;
        return new ReplayPlan(ranges, fromTime, untilTime);
    }

    private static Map<TopicPartition, Long> resolve(Admin admin, List<TopicPartition> partitions, ReplayBound bound,
            Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest, Map<TopicPartition, Long> unnamed)
            throws Exception {
        return switch (bound) {
            case ReplayBound.Earliest e -> earliest;
            case ReplayBound.Latest l -> latest;
            case ReplayBound.Offsets o -> {
                Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
                partitions.forEach(p -> offsets.put(p, o.byPartition().getOrDefault(p.partition(), unnamed.get(p))));
                yield offsets;
            }
            case ReplayBound.Time t -> {
                // The first offset at or after the time; -1 (none) means the end of the partition.
                Map<TopicPartition, Long> offsets = offsets(admin, partitions, OffsetSpec.forTimestamp(t.instant().toEpochMilli()));
                offsets.replaceAll((p, offset) -> offset < 0 ? latest.get(p) : offset);
                yield offsets;
            }
        };
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        Map<TopicPartition, ListOffsetsResultInfo> answer = admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        answer.forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    /** Records in the offset ranges: the progress bar's total. */
    public long total() {
        return ranges.values().stream().mapToLong(r -> r[1] - r[0]).sum();
    }

    /** Does this record belong to the replay? */
    public boolean contains(String topic, int partition, long offset, long timestamp) {
        long[] range = ranges.get(new TopicPartition(topic, partition));
        return range != null && offset >= range[0] && offset < range[1] && timestamp >= fromTime && timestamp < untilTime;
    }

    public Map<TopicPartition, Long> startOffsets() {
        Map<TopicPartition, Long> start = new LinkedHashMap<>();
        ranges.forEach((p, r) -> start.put(p, r[0]));
        return start;
    }

    /**
     * The replay id of this plan: a hash of the resolved bounds (offsets per partition, time window)
     * and of what is written where (sources with their formats, model, output prefix). Two requests
     * that resolve alike are the same replay; the same command run after new records arrived (a
     * "latest" that moved on) or after retention removed old ones is a new replay.
     */
    String derivedId(String sources, String model, String outputPrefix) {
        StringBuilder identity = new StringBuilder("plan-v2|").append(sources).append('|').append(model).append('|')
                .append(outputPrefix).append("|time=").append(fromTime).append('-').append(untilTime);
        ranges.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<TopicPartition, long[]> e) -> e.getKey().topic())
                        .thenComparingInt(e -> e.getKey().partition()))
                .forEach(e -> identity.append('|').append(e.getKey().topic()).append(':').append(e.getKey().partition())
                        .append('=').append(e.getValue()[0]).append('-').append(e.getValue()[1]));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.toString().getBytes(StandardCharsets.UTF_8));
            return ID_PREFIX + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plan as properties: {@code range.<topic>.<partition>=from-until}, {@code time.from}, {@code time.until}. */
    void writeTo(Properties props) {
        ranges.forEach((p, r) -> props.setProperty("range." + p.topic() + "." + p.partition(), r[0] + "-" + r[1]));
        props.setProperty("time.from", Long.toString(fromTime));
        props.setProperty("time.until", Long.toString(untilTime));
    }

    static ReplayPlan readFrom(Properties props) {
        Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames().stream().sorted().toList()) {
            if (key.startsWith("range.")) {
                String name = key.substring("range.".length());
                int dot = name.lastIndexOf('.');
                String[] range = props.getProperty(key).split("-");
                ranges.put(new TopicPartition(name.substring(0, dot), Integer.parseInt(name.substring(dot + 1))),
                        new long[] {Long.parseLong(range[0]), Long.parseLong(range[1])});
            }
        }
        return new ReplayPlan(ranges, Long.parseLong(props.getProperty("time.from")),
                Long.parseLong(props.getProperty("time.until")));
    }
}
