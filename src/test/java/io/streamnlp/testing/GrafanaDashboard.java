package io.streamnlp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * docker/grafana/dashboards/streamnlp.json as the tests read it: its panels (rows aside), each with
 * its title, unit and the PromQL of its targets, and those queries with the dashboard's variables
 * replaced so that a Prometheus server can evaluate them.
 */
public record GrafanaDashboard(JsonNode root, List<Panel> panels) {

    /** Where the dashboard lives, relative to the project root (Maven runs tests there). */
    public static final Path FILE = Path.of("docker/grafana/dashboards/streamnlp.json");

    /**
     * Values for the variables the queries use: every application and instance (the "All" value of
     * both variables is {@code .*}), and a rate window that holds several scrapes of a 1 s interval.
     */
    public static final Map<String, String> ALL_INSTANCES = Map.of(
            "$application", ".*", "$instance", ".*", "$__rate_interval", "30s");

    /** One query of a panel. */
    public record Target(String refId, String expr, String legend) {}

    /** One panel; {@code unit} is the panel's default field unit (Grafana's unit id). */
    public record Panel(int id, String type, String title, String description, String unit, String datasourceUid,
            List<Target> targets, JsonNode json) {

        /** The panel's queries with {@code variables} replaced, in target order. */
        public List<String> queries(Map<String, String> variables) {
            return targets.stream().map(t -> substitute(t.expr(), variables)).toList();
        }
    }

    public static GrafanaDashboard load() {
        return load(FILE);
    }

    public static GrafanaDashboard load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file, e);
        }
        List<Panel> panels = new ArrayList<>();
        collect(root.path("panels"), panels);
        return new GrafanaDashboard(root, List.copyOf(panels));
    }

    private static void collect(JsonNode nodes, List<Panel> into) {
        for (JsonNode node : nodes) {
            if (node.path("type").asText().equals("row")) {
                collect(node.path("panels"), into); // a collapsed row holds its panels
                continue;
            }
            List<Target> targets = new ArrayList<>();
            node.path("targets").forEach(t -> targets.add(new Target(t.path("refId").asText(), t.path("expr").asText(),
                    t.path("legendFormat").asText())));
            into.add(new Panel(node.path("id").asInt(), node.path("type").asText(), node.path("title").asText(),
                    node.path("description").asText(), node.path("fieldConfig").path("defaults").path("unit").asText(),
                    node.path("datasource").path("uid").asText(), List.copyOf(targets), node));
        }
    }

    public Panel panel(String title) {
        return panels.stream().filter(p -> p.title().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("the dashboard has no panel titled " + title));
    }

    /** The names of the dashboard's template variables. */
    public List<String> variables() {
        List<String> names = new ArrayList<>();
        root.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    /** {@code expr} with each variable replaced (longest names first, so $__rate_interval before $__rate). */
    public static String substitute(String expr, Map<String, String> variables) {
        String result = expr;
        List<String> names = new ArrayList<>(variables.keySet());
        names.sort((a, b) -> b.length() - a.length());
        for (String name : names) {
            result = result.replace("${" + name.substring(1) + "}", variables.get(name)).replace(name, variables.get(name));
        }
        return result;
    }
}
