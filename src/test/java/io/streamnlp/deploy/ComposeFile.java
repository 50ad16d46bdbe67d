package io.streamnlp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker/compose.yaml as compose reads it with no variables set on the host: {@code ${VAR:-default}}
 * takes its default, {@code $$} is a literal {@code $}; environment in map or list form.
 */
record ComposeFile(JsonNode root) {

    static final Path FILE = Repo.DOCKER.resolve("compose.yaml");
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    static ComposeFile load() {
        return new ComposeFile(Repo.yaml(FILE));
    }

    JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("compose.yaml has no service " + name);
        }
        return service;
    }

    List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The service's environment, interpolated with compose's defaults. */
    Map<String, String> environment(String name) {
        JsonNode env = service(name).path("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env.isObject()) {
            env.properties().forEach(e -> result.put(e.getKey(), interpolate(e.getValue().asText())));
        } else if (env.isArray()) {
            env.forEach(item -> {
                String[] kv = item.asText().split("=", 2);
                result.put(kv[0], kv.length > 1 ? interpolate(kv[1]) : "");
            });
        }
        return result;
    }

    /** The variables the host may set to change the service's environment (e.g. REGISTRY_URL). */
    List<String> interpolatedVariables(String name, String variable) {
        JsonNode value = service(name).path("environment").path(variable);
        List<String> names = new ArrayList<>();
        Matcher matcher = INTERPOLATION.matcher(value.asText());
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    List<String> texts(String service, String field) {
        List<String> values = new ArrayList<>();
        service(service).path(field).forEach(node -> values.add(interpolate(node.asText())));
        return values;
    }

    static String interpolate(String text) {
        Matcher matcher = INTERPOLATION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String fallback = matcher.group(2) == null ? "" : matcher.group(2);
            matcher.appendReplacement(out, Matcher.quoteReplacement(fallback));
        }
        matcher.appendTail(out);
        return out.toString().replace("$$", "$");
    }
}
