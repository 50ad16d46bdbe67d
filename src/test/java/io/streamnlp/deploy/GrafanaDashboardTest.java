package io.streamnlp.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamnlp.testing.GrafanaDashboard;
import io.streamnlp.testing.GrafanaDashboard.Panel;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard (docker/grafana/dashboards/streamnlp.json) and what ships it, checked
 * without Grafana: a standard dashboard whose every panel has a title, a description, a unit and
 * queries on the data source the user picks, each query scoped to the chosen applications and
 * instances; compose provisions it with the compose file's Prometheus; the Kubernetes
 * ConfigMap generator (deploy/grafana) carries the same file. That every query returns a series on
 * a real Prometheus is {@code OpsEndpointIntegrationTest}'s part; that names and units agree with the
 * live page, {@code DashboardAgreesWithLivePageTest}'s.
 */
class GrafanaDashboardTest {

    static final GrafanaDashboard DASHBOARD = GrafanaDashboard.load(Repo.ROOT.resolve(GrafanaDashboard.FILE));
    static final String DATASOURCE = "${datasource}";
    static final String SCOPE = "application=~\"$application\", instance=~\"$instance\"";

    /** Grafana's unit ids the dashboard may use (a custom "suffix: ..." aside). */
    private static final Set<String> UNITS = Set.of("cps", "s", "ms", "percentunit", "short", "bytes", "none");

    @Test
    void aStandardDashboardWithADataSourceVariable() {
        JsonNode root = DASHBOARD.root();
        assertThat(root.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
        assertThat(root.path("uid").asText()).isEqualTo("streamnlp");
        assertThat(root.path("title").asText()).isEqualTo("StreamNLP");
        assertThat(DASHBOARD.variables()).containsExactly("datasource", "application", "instance");
        JsonNode[] variables = new JsonNode[3];
        for (int i = 0; i < 3; i++) {
            variables[i] = root.path("templating").path("list").get(i);
        }
        assertThat(variables[0].path("type").asText()).isEqualTo("datasource");
        assertThat(variables[0].path("query").asText()).isEqualTo("prometheus");
        for (JsonNode variable : List.of(variables[1], variables[2])) {
            assertThat(variable.path("type").asText()).isEqualTo("query");
            assertThat(variable.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
            // "All" must be a regex that matches every value: the queries use =~.
            assertThat(variable.path("includeAll").asBoolean()).isTrue();
            assertThat(variable.path("allValue").asText()).isEqualTo(".*");
            assertThat(variable.path("query").path("query").asText()).startsWith("label_values(streamnlp_model_info");
        }
        assertThat(GrafanaDashboard.ALL_INSTANCES.get("$application")).isEqualTo(variables[1].path("allValue").asText());
    }

    @Test
    void everyPanelHasATitleADescriptionAUnitAndScopedQueries() {
        assertThat(DASHBOARD.panels()).isNotEmpty();
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        DASHBOARD.root().path("panels").forEach(node -> assertThat(ids.add(node.path("id").asInt()))
                .as("panel id %s unique", node.path("id")).isTrue());
        for (Panel panel : DASHBOARD.panels()) {
            assertThat(panel.title()).as("panel %d title", panel.id()).isNotBlank();
            assertThat(titles.add(panel.title())).as("title %s unique", panel.title()).isTrue();
            assertThat(panel.description()).as(panel.title()).isNotBlank();
            assertThat(panel.unit()).as(panel.title() + " unit").satisfiesAnyOf(
                    unit -> assertThat(UNITS).contains(unit),
                    unit -> assertThat(unit).matches("suffix: \\S.*"));
            assertThat(panel.datasourceUid()).as(panel.title()).isEqualTo(DATASOURCE);
            JsonNode grid = panel.json().path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(panel.title()).isLessThanOrEqualTo(24);
            assertThat(panel.targets()).as(panel.title()).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (int i = 0; i < panel.targets().size(); i++) {
                GrafanaDashboard.Target target = panel.targets().get(i);
                String where = panel.title() + " [" + target.refId() + "]";
                assertThat(refIds.add(target.refId())).as(where + " refId unique").isTrue();
                assertThat(panel.json().path("targets").get(i).path("datasource").path("uid").asText()).as(where)
                        .isEqualTo(DATASOURCE);
                assertThat(target.legend()).as(where + " legend").isNotBlank();
                // Every selector is scoped to the chosen applications and instances.
                List<String> selectors = selectors(target.expr());
                assertThat(selectors).as(where).isNotEmpty().allSatisfy(s -> assertThat(s).startsWith(SCOPE));
                // No variable is left that the test's substitution (and Prometheus) does not know.
                assertThat(GrafanaDashboard.substitute(target.expr(), GrafanaDashboard.ALL_INSTANCES)).as(where)
                        .doesNotContain("$");
            }
        }
    }

    @Test
    void thePanelsAnOperatorNeeds() {
        assertThat(DASHBOARD.panels()).extracting(Panel::title).containsExactly(
                "Records in per second", "Records out per second", "Dead-lettered per second by reason",
                "Latency, event time to output", "Texts per batch", "Encoder time per batch",
                "Cache hit rate", "Stream thread replacements", "Consumer lag",
                "JVM memory", "RocksDB memory");
        assertThat(DASHBOARD.panel("Dead-lettered per second by reason").targets().getFirst().expr()).contains("sum by (reason)");
        assertThat(DASHBOARD.panel("Latency, event time to output").targets()).extracting(GrafanaDashboard.Target::legend)
                .containsExactly("p50", "p99");
        assertThat(DASHBOARD.panel("Consumer lag").targets().getFirst().expr())
                .contains("kafka_consumer_fetch_manager_records_lag{").contains("client_id!~\".*restore-consumer\"");
    }

    @Test
    void composeProvisionsTheDashboardOnItsPrometheus() {
        ComposeFile compose = ComposeFileTest.COMPOSE;
        assertThat(compose.service("grafana").path("image").asText()).matches("grafana/grafana:\\d+\\.\\d+\\.\\d+");
        assertThat(compose.texts("grafana", "depends_on")).contains("prometheus");
        assertThat(compose.texts("grafana", "ports")).contains("3000:3000");
        Map<String, String> mounts = mounts(compose.texts("grafana", "volumes"));
        assertThat(mounts).containsEntry("/etc/grafana/provisioning", "./grafana/provisioning");
        Path provisioning = Repo.DOCKER.resolve("grafana/provisioning");

        JsonNode provider = Repo.yaml(provisioning.resolve("dashboards/streamnlp.yaml")).path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        String containerPath = provider.path("options").path("path").asText();
        assertThat(mounts).containsKey(containerPath);
        Path hostDir = Repo.DOCKER.resolve(mounts.get(containerPath)).normalize();
        assertThat(hostDir.resolve("streamnlp.json")).isEqualTo(Repo.ROOT.resolve(GrafanaDashboard.FILE));
        assertThat(compose.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
                .isEqualTo(containerPath + "/streamnlp.json");

        JsonNode datasource = Repo.yaml(provisioning.resolve("datasources/prometheus.yaml")).path("datasources").get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("isDefault").asBoolean()).isTrue();
        // The URL names the prometheus service and the port it listens on inside the network.
        Matcher url = Pattern.compile("http://([a-z-]+):(\\d+)").matcher(datasource.path("url").asText());
        assertThat(url.matches()).as(datasource.path("url").asText()).isTrue();
        assertThat(url.group(1)).isEqualTo("prometheus");
        assertThat(compose.texts("prometheus", "ports")).anyMatch(p -> p.endsWith(":" + url.group(2)));
        JsonNode prometheus = Repo.yaml(Repo.DOCKER.resolve("prometheus.yml"));
        assertThat(datasource.path("jsonData").path("timeInterval").asText())
                .isEqualTo(prometheus.path("global").path("scrape_interval").asText());
    }

    @Test
    void kubernetesGeneratesAConfigMapOfTheSameFile() {
        Path kustomization = Repo.DEPLOY.resolve("grafana/kustomization.yaml");
        JsonNode generator = Repo.yaml(kustomization).path("configMapGenerator").get(0);
        assertThat(generator.path("name").asText()).isEqualTo("streamnlp-dashboard");
        assertThat(generator.path("options").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        String[] file = generator.path("files").get(0).asText().split("=", 2);
        assertThat(file[0]).isEqualTo("streamnlp.json");
        assertThat(kustomization.getParent().resolve(file[1]).normalize()).isEqualTo(Repo.ROOT.resolve(GrafanaDashboard.FILE));
        assertThat(Repo.read(kustomization)).contains("kubectl kustomize --load-restrictor LoadRestrictionsNone deploy/grafana");
    }

    @Test
    void renderedConfigMapCarriesTheDashboard() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not on the PATH");
        Process process = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone",
                Repo.DEPLOY.resolve("grafana").toString()).start();
        String out = new String(process.getInputStream().readAllBytes());
        String err = new String(process.getErrorStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        List<JsonNode> documents = Repo.yamlDocuments(out);
        assertThat(documents).hasSize(1);
        JsonNode configMap = documents.getFirst();
        assertThat(configMap.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(configMap.path("metadata").path("name").asText()).isEqualTo("streamnlp-dashboard");
        assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        assertThat(new ObjectMapper().readTree(configMap.path("data").path("streamnlp.json").asText()))
                .isEqualTo(DASHBOARD.root());
    }

    /** The label matchers of each selector {@code {...}} in a PromQL expression. */
    static List<String> selectors(String expr) {
        List<String> selectors = new ArrayList<>();
        Matcher matcher = Pattern.compile("\\{([^}]*)}").matcher(expr);
        while (matcher.find()) {
            selectors.add(matcher.group(1));
        }
        return selectors;
    }

    /** Compose volume "host:container[:ro]" entries as container path → host path. */
    private static Map<String, String> mounts(List<String> volumes) {
        Map<String, String> mounts = new java.util.LinkedHashMap<>();
        for (String volume : volumes) {
            String[] parts = volume.split(":");
            mounts.put(parts[1], parts[0]);
        }
        return mounts;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
