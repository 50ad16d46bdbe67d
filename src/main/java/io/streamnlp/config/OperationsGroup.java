package io.streamnlp.config;

import static io.streamnlp.config.StreamNlpConfig.ACCOUNTING_LOG_INTERVAL_S;
import static io.streamnlp.config.StreamNlpConfig.GROUP_OPERATIONS;
import static io.streamnlp.config.StreamNlpConfig.LIVE_ENABLED;
import static io.streamnlp.config.StreamNlpConfig.LOG_FORMAT;
import static io.streamnlp.config.StreamNlpConfig.MAX_THREAD_REPLACEMENTS;
import static io.streamnlp.config.StreamNlpConfig.METRICS_BIND_ADDRESS;
import static io.streamnlp.config.StreamNlpConfig.METRICS_PORT;
import static io.streamnlp.config.StreamNlpConfig.THREAD_REPLACEMENT_BACKOFF_MS;
import static io.streamnlp.config.StreamNlpConfig.THREAD_REPLACEMENT_WINDOW_MS;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The {@value StreamNlpConfig#GROUP_OPERATIONS} settings: the operations endpoint, the live page, logs and thread replacement.
 */
final class OperationsGroup {

    private OperationsGroup() {
    }

    static void define(ConfigDefinitions definitions) {
        definitions.group(GROUP_OPERATIONS);
        definitions.define(METRICS_PORT, Type.INT, 9464, Range.between(-1, 65535), Importance.MEDIUM, Width.SHORT, "Metrics port",
                "HTTP port of the operations endpoint: Prometheus metrics on /metrics, liveness on /health/live, "
                        + "readiness on /health/ready. 0 picks a free port (tests); -1 turns the endpoint off.");
        definitions.define(METRICS_BIND_ADDRESS, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.LOW, Width.MEDIUM,
                "Metrics bind address",
                "Address of this host the operations endpoint listens on: 0.0.0.0 (all interfaces) is what Kubernetes "
                        + "probes and Prometheus scrapes need; 127.0.0.1 keeps the endpoint, the live page included, "
                        + "to this host. An IP address or a host name.");
        definitions.define(ACCOUNTING_LOG_INTERVAL_S, Type.INT, 60, Range.atLeast(1), Importance.LOW, Width.SHORT,
                "Accounting log interval (s)",
                "How often (seconds) to log, per input partition, records in / enriched / dead-lettered / pending, when they changed.");
        definitions.define(LIVE_ENABLED, Type.BOOLEAN, true, null, Importance.LOW, Width.SHORT, "Live page",
                "Serve the live page at http://<host>:<metrics.port>/ (records in/out/dead-lettered per second, batch size, "
                        + "encoder time, latency, cache hit rate, sentiment mix, top entities, and a tail of the latest records "
                        + "with text excerpts), aggregated in process in bounded memory. false: no page and none of its work. "
                        + "Needs the operations endpoint (metrics.port >= 0).");
        definitions.define(LOG_FORMAT, Type.STRING, "text", ValidString.in("text", "json"), Importance.LOW, Width.SHORT, "Log format",
                "Log line format: text, or json (one JSON object per line, for log shippers). Read by logback "
                        + "at startup from the environment (STREAMNLP_LOG_FORMAT) or -Dstreamnlp.log.format.");
        definitions.define(MAX_THREAD_REPLACEMENTS, Type.INT, 5, Range.atLeast(0), Importance.LOW, Width.SHORT,
                "Max thread replacements",
                "A stream thread that fails for a reason that is not a record's (broker, registry, encoder) is replaced "
                        + "and resumes from the last commit; after this many replacements within "
                        + "thread.replacement.window.ms the instance stops with a non-zero exit code instead of looping.");
        definitions.define(THREAD_REPLACEMENT_WINDOW_MS, Type.LONG, 600_000L, Range.atLeast(1), Importance.LOW, Width.SHORT,
                "Thread replacement window (ms)", "The window over which max.thread.replacements counts.");
        definitions.define(THREAD_REPLACEMENT_BACKOFF_MS, Type.LONG, 1_000L, Range.atLeast(0), Importance.LOW, Width.SHORT,
                "Thread replacement backoff (ms)",
                "Wait before the first replacement of a failed stream thread; doubled for each further one in the "
                        + "window (at most 60 s), so a failing dependency is not hammered.");
    }
}
