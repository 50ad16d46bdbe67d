package io.streamnlp.config;

import static io.streamnlp.config.StreamNlpConfig.CORRELATION_ID_HEADER;
import static io.streamnlp.config.StreamNlpConfig.ENRICHED_INCLUDE_EMBEDDING;
import static io.streamnlp.config.StreamNlpConfig.ENRICHED_INCLUDE_TEXT;
import static io.streamnlp.config.StreamNlpConfig.GROUP_OUTPUT;
import static io.streamnlp.config.StreamNlpConfig.OUTPUTS;
import static io.streamnlp.config.StreamNlpConfig.OUTPUT_FORMAT;
import static io.streamnlp.config.StreamNlpConfig.OUTPUT_FORMAT_CHANGE;
import static io.streamnlp.config.StreamNlpConfig.OUTPUT_HEADERS;
import static io.streamnlp.config.StreamNlpConfig.OUTPUT_TOPIC_PARTITIONS;
import static io.streamnlp.config.StreamNlpConfig.OUTPUT_TOPIC_PREFIX;
import static io.streamnlp.config.StreamNlpConfig.OUTPUT_TOPIC_REPLICATION_FACTOR;
import static io.streamnlp.config.StreamNlpConfig.TOPICS_CREATE;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@value StreamNlpConfig#GROUP_OUTPUT} settings: the output topics, what their records carry, and topic creation.
 */
final class OutputGroup {

    private OutputGroup() {
    }

    static void define(ConfigDefinitions definitions) {
        definitions.group(GROUP_OUTPUT);
        definitions.define(OUTPUT_TOPIC_PREFIX, Type.STRING, "streamnlp", null, Importance.HIGH, Width.MEDIUM, "Output topic prefix",
                "Output topics are <prefix>.<output> for each of outputs, and <prefix>.dlq.");
        definitions.define(OUTPUTS, Type.LIST, OutputKind.defaults(), outputsValidator(), Importance.HIGH, Width.LONG, "Outputs",
                "Which outputs to write, each to <prefix>.<name>: any of " + OutputKind.names().replace(",", ", ")
                        + ". A task head runs only if a selected output carries its result: with outputs=embeddings "
                        + "neither the sentiment nor the NER head runs. labels (the classifiers' results) needs classifiers "
                        + "and is not among the defaults.");
        definitions.define(ENRICHED_INCLUDE_TEXT, Type.BOOLEAN, false, null, Importance.MEDIUM, Width.SHORT, "Enriched: text",
                "Put the event's text on <prefix>.enriched records (field text), so consumers can cut the entity spans out "
                        + "of it without the input topic.");
        definitions.define(ENRICHED_INCLUDE_EMBEDDING, Type.BOOLEAN, true, null, Importance.MEDIUM, Width.SHORT,
                "Enriched: embedding",
                "Put the embedding on <prefix>.enriched records (field embedding); false leaves it null (smaller records).");
        definitions.define(OUTPUT_FORMAT, Type.STRING, "avro", ValidString.in("avro", "json"), Importance.MEDIUM, Width.SHORT,
                "Output format",
                "avro (default): output records in the Confluent wire format, schemas registered in the registry; json: "
                        + "UTF-8 JSON objects with the same fields and names as the Avro records, nothing registered (see the "
                        + "README, 'JSON outputs'). Dead letters are unchanged. Recorded per output prefix in <prefix>.models: a "
                        + "start with the other format on the prefix is refused (output.format.change).");
        definitions.define(OUTPUT_FORMAT_CHANGE, Type.STRING, "refuse", ValidString.in("refuse", "allow"), Importance.LOW,
                Width.SHORT, "Output format change",
                "refuse (default): a start whose output.format differs from the one recorded for this output prefix stops "
                        + "with an error, so a consumer never meets both formats on one topic; allow: start anyway and record "
                        + "the new format.");
        definitions.define(OUTPUT_HEADERS, Type.LIST, "traceparent,tracestate", null, Importance.MEDIUM, Width.LONG,
                "Output headers",
                "Headers of the input record copied onto every output record of its event (through the by-text hop "
                        + "and the result cache): by default the W3C trace context, so a trace follows the event; empty "
                        + "copies none. Dead letters keep all of the input's headers.");
        definitions.define(CORRELATION_ID_HEADER, Type.STRING, "", null, Importance.LOW, Width.MEDIUM, "Correlation id header",
                "The name of a header your producers set to correlate an event across systems (e.g. x-correlation-id): "
                        + "copied onto the outputs like output.headers. Empty: none.");
        definitions.define(TOPICS_CREATE, Type.BOOLEAN, true, null, Importance.MEDIUM, Width.SHORT, "Create topics",
                "Create missing output topics (embeddings, sentiment, entities, enriched, labels, dead letters) at start. With false, "
                        + "or when the cluster refuses (ACLs, policy), a missing output topic stops the start with an error "
                        + "naming it. Input topics are never created: a missing one always stops the start.");
        definitions.define(OUTPUT_TOPIC_PARTITIONS, Type.INT, 0, Range.atLeast(0), Importance.LOW, Width.SHORT,
                "Output topic partitions",
                "Partitions of the output topics StreamNLP creates; 0 = as many as the widest input topic.");
        definitions.define(OUTPUT_TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1, null, Importance.LOW, Width.SHORT,
                "Output topic replication factor",
                "Replication factor of the output topics StreamNLP creates; -1 = the broker's default.replication.factor.");
    }

    /** A non-empty list of known output names, none twice. */
    private static ConfigDef.Validator outputsValidator() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) value;
            if (names == null || names.isEmpty()) {
                throw new ConfigException(name, value, "select at least one of " + OutputKind.names());
            }
            Set<OutputKind> seen = EnumSet.noneOf(OutputKind.class);
            for (String output : names) {
                OutputKind kind;
                try {
                    kind = OutputKind.of(output);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
                if (!seen.add(kind)) {
                    throw new ConfigException(name, value, "'" + output.trim() + "' is listed twice");
                }
            }
        }, () -> "a non-empty list of " + OutputKind.names());
    }
}
