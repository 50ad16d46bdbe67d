package io.streamnlp.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Builds the {@link ConfigDef} group by group (each group class defines its own keys), numbering the
 * keys within their group in the order defined: the README's settings table follows that order.
 */
final class ConfigDefinitions {
    private final ConfigDef definition = new ConfigDef();
    private String group;
    private int order;

    /** Every setting, in the README's order of groups. */
    static ConfigDef all() {
        ConfigDefinitions definitions = new ConfigDefinitions();
        KafkaGroup.define(definitions);
        InputGroup.define(definitions);
        ModelGroup.define(definitions);
        BatchingGroup.define(definitions);
        CacheGroup.define(definitions);
        RegistryGroup.define(definitions);
        OutputGroup.define(definitions);
        OperationsGroup.define(definitions);
        return definitions.definition;
    }

    void group(String name) {
        group = name;
        order = 0;
    }

    void define(String name, Type type, Object defaultValue, ConfigDef.Validator validator, Importance importance,
            Width width, String displayName, String documentation) {
        definition.define(name, type, defaultValue, validator, importance, documentation, group, ++order, width,
                displayName);
    }
}
