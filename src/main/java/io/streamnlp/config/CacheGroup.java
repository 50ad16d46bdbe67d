package io.streamnlp.config;

import static io.streamnlp.config.StreamNlpConfig.BY_TEXT_PARTITIONS;
import static io.streamnlp.config.StreamNlpConfig.BY_TEXT_RETENTION_MS;
import static io.streamnlp.config.StreamNlpConfig.CACHE_ENABLED;
import static io.streamnlp.config.StreamNlpConfig.CACHE_MAX_BYTES;
import static io.streamnlp.config.StreamNlpConfig.CACHE_MAX_ENTRIES;
import static io.streamnlp.config.StreamNlpConfig.CACHE_PLACEMENT;
import static io.streamnlp.config.StreamNlpConfig.CACHE_TTL_MS;
import static io.streamnlp.config.StreamNlpConfig.GROUP_CACHE;

import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The {@value StreamNlpConfig#GROUP_CACHE} settings: the result cache, where it lives, and its by-text hop.
 */
final class CacheGroup {

    private CacheGroup() {
    }

    static void define(ConfigDefinitions definitions) {
        definitions.group(GROUP_CACHE);
        definitions.define(CACHE_ENABLED, Type.BOOLEAN, true, null, Importance.MEDIUM, Width.SHORT, "Result cache",
                "Serve texts enriched before (same normal form, model and head versions) from the result cache instead of the encoder. Where the cache lives: cache.placement.");
        definitions.define(CACHE_PLACEMENT, Type.STRING, "auto", ValidString.in("auto", "by-text", "partition"),
                Importance.MEDIUM, Width.SHORT, "Cache placement",
                "auto: by-text where the <application.id>-by-text topic exists (an application that ran with the hop "
                        + "goes on as it was), else partition (a fresh application id); resolved once at start. "
                        + "by-text: every event passes the <application.id>-by-text topic, re-keyed by its text, so all "
                        + "copies of a text meet in one task's cache (the ideal hit rate; one more produce, consume and "
                        + "transaction per event). partition: each input partition's task keeps its own cache and events "
                        + "take no hop (a text repeated on another partition misses once there; nothing paid where nothing "
                        + "repeats). Switching from by-text needs the by-text topic drained first (the start checks it); "
                        + "each placement has its own cache store, so the other's entries are not served.");
        definitions.define(CACHE_MAX_ENTRIES, Type.LONG, 100_000L, Range.atLeast(1), Importance.LOW, Width.SHORT, "Max cache entries",
                "Most result-cache entries per task (about 1.7 KB each with a 384-d vector, off-heap in RocksDB; about 100 bytes each of heap for the index).");
        definitions.define(CACHE_MAX_BYTES, Type.LONG, 256L * 1024 * 1024, Range.atLeast(1), Importance.LOW, Width.SHORT,
                "Max cache bytes",
                "Most bytes of result-cache entries per task.");
        definitions.define(CACHE_TTL_MS, Type.LONG, 7L * 24 * 3600 * 1000, Range.atLeast(1), Importance.LOW, Width.SHORT,
                "Cache TTL (ms)",
                "Age (from admission) after which a cache entry is no longer served and is purged.");
        definitions.define(BY_TEXT_PARTITIONS, Type.INT, 0, Range.atLeast(0), Importance.LOW, Width.SHORT, "By-text partitions",
                "Partitions of the <application.id>-by-text topic (the result cache's hop); 0 = as many as the widest "
                        + "input topic when it is created. Checked at every start against the existing topic: a change "
                        + "needs the topic drained and re-created (see the README, 'Changing the by-text partitions').");
        definitions.define(BY_TEXT_RETENTION_MS, Type.LONG, 7L * 24 * 3600 * 1000, Range.atLeast(-1), Importance.LOW, Width.SHORT,
                "By-text retention (ms)",
                "Safety retention of the <application.id>-by-text topic. Consumed records are purged every minute "
                        + "(the purge needs the DeleteRecords permission; failures are logged and counted in "
                        + "streamnlp_by_text_purge_failures); this bound keeps the topic finite if purging fails. An event "
                        + "that waits longer than this (the application down that long) is lost: keep it above your "
                        + "longest outage. -1 = unlimited.");
    }
}
