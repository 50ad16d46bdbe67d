package io.streamnlp.replay;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a replay starts or ends, as the user writes it:
 * <ul>
 *   <li>{@code earliest} / {@code latest} (latest: the end offsets when the replay is first planned);
 *   <li>an offset per partition, {@code 0:1200,1:1180} (partitions not named use earliest / latest);
 *   <li>a time: an ISO date ({@code 2026-03-01}, midnight UTC), an ISO instant
 *       ({@code 2026-03-01T12:00:00Z}, or with an offset), or epoch milliseconds.
 * </ul>
 */
public sealed interface ReplayBound {

    record Earliest() implements ReplayBound {}

    record Latest() implements ReplayBound {}

    record Offsets(Map<Integer, Long> byPartition) implements ReplayBound {}

    record Time(Instant instant) implements ReplayBound {}

    static ReplayBound parse(String text) {
        String value = text.trim();
        if (value.equalsIgnoreCase("earliest")) {
            return new Earliest();
        }
        if (value.equalsIgnoreCase("latest")) {
            return new Latest();
        }
        if (value.matches("\\d+:\\d+(,\\d+:\\d+)*")) {
            Map<Integer, Long> offsets = new TreeMap<>();
            for (String pair : value.split(",")) {
                String[] parts = pair.split(":");
                offsets.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            }
            return new Offsets(offsets);
        }
        if (value.matches("\\d+")) {
            return new Time(Instant.ofEpochMilli(Long.parseLong(value)));
        }
        try {
            if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return new Time(LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            return new Time(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not a replay bound: '" + text + "'. Use earliest, latest, "
                    + "partition:offset pairs (0:1200,1:1180), an ISO date or instant (2026-03-01, "
                    + "2026-03-01T12:00:00Z) or epoch milliseconds.", e);
        }
    }
}
