package io.streamnlp.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The README's settings reference, generated from the definition so the two never disagree. */
final class ConfigDocumentation {

    private ConfigDocumentation() {
    }

    /**
     * Markdown reference of every setting: per group (in the definition's order), a {@code ### <group>}
     * heading and a table of its keys. Secrets never show a default.
     */
    static String markdown(ConfigDef definition) {
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        definition.groups().forEach(group -> byGroup.put(group, new ArrayList<>()));
        for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
            byGroup.get(key.group).add(key);
        }
        StringBuilder out = new StringBuilder();
        byGroup.forEach((group, keys) -> {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append("### ").append(group).append("\n\n| key | default | meaning |\n|---|---|---|\n");
            keys.stream().sorted(Comparator.comparingInt(key -> key.orderInGroup)).forEach(key -> out
                    .append("| `").append(key.name).append("` | ").append(defaultCell(key)).append(" | ")
                    .append(key.documentation.replace("|", "\\|")).append(" |\n"));
        });
        return out.toString();
    }

    /** The default column: empty for secrets and for settings that are unset by default. */
    private static String defaultCell(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.type == Type.PASSWORD || key.defaultValue == null) {
            return "";
        }
        Object def = key.defaultValue;
        if (def instanceof List<?> list) {
            def = String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (key.name.equals(StreamNlpConfig.STATE_DIR)) {
            def = "<java.io.tmpdir>/streamnlp-state"; // the machine's own path would make the table differ per machine
        }
        return "`" + def + "`";
    }
}
