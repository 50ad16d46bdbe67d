package io.streamnlp.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.streamnlp.config.ConfigLoader;
import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.ingest.InputTopic;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * deploy/ checked without a cluster: every manifest parses into fabric8's typed model (a misspelled
 * field would land in additionalProperties and fail), and every reference between them resolves:
 * kustomization resources and patches, ConfigMap/Secret names and keys, Service and PDB selectors,
 * the governing Service, named ports of Services and probes, the KEDA ScaledObject's target, group,
 * topic and credentials. The environment a pod gets is a configuration the app accepts, with
 * static membership per pod. With kubectl (or kustomize) on the PATH the example overlay is also
 * rendered and checked the same way.
 */
class KubernetesManifestsTest {

    static final Path BASE = Repo.DEPLOY.resolve("base");
    static final Path OVERLAY = Repo.DEPLOY.resolve("overlays/example");
    static final String POD_NAME = "streamnlp-0";

    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class,
            "Service", Service.class,
            "Namespace", Namespace.class,
            "StatefulSet", StatefulSet.class,
            "PodDisruptionBudget", PodDisruptionBudget.class);

    /** A set of manifests, as typed resources. */
    record Resources(List<HasMetadata> all) {

        <T extends HasMetadata> List<T> of(Class<T> type) {
            return all.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T named(Class<T> type, String name) {
            return of(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
        }

        List<GenericKubernetesResource> custom(String kind) {
            return of(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
        }

        GenericKubernetesResource custom(String kind, String name) {
            return custom(kind).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
        }

        boolean has(String kind, String name) {
            return all.stream().anyMatch(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name));
        }
    }

    // --- base -------------------------------------------------------------------------------

    @Test
    void baseKustomizationListsExistingFilesAndAllOfThem() throws IOException {
        List<String> listed = resourcesOf(BASE);
        listed.forEach(file -> assertThat(BASE.resolve(file)).as(file).isRegularFile());
        try (Stream<Path> files = Files.list(BASE)) {
            List<String> manifests = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(manifests);
        }
    }

    @Test
    void baseManifestsAreTypedAndConsistent() {
        Resources base = base();
        assertThat(base.all()).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
                "ConfigMap", "Secret", "Service", "Service", "StatefulSet", "PodDisruptionBudget",
                "TriggerAuthentication", "ScaledObject");
        assertConsistent(base);
    }

    @Test
    void everyConfigMapKeyIsASettingTheAppKnows() {
        ConfigMap config = base().named(ConfigMap.class, "streamnlp-config");
        assertThat(config.getData()).isNotEmpty();
        assertThat(ConfigKeys.problems(config.getData())).isEmpty();
    }

    @Test
    void secretHoldsOnlyClearlyMarkedPlaceholders() {
        Secret secret = base().named(Secret.class, "streamnlp-credentials");
        assertThat(Repo.read(BASE.resolve("secret.yaml"))).contains("EXAMPLE ONLY");
        for (String key : List.of("kafka-sasl-jaas-config", "registry-user-info", "keda-username", "keda-password")) {
            assertThat(secret.getStringData().get(key)).as(key).contains("change-me");
        }
        assertThat(secret.getData()).as("no base64 data hiding real values").isNullOrEmpty();
    }

    @Test
    void statefulSetIsSizedForTheBenchmarkAndRunsAsTheImageUser() {
        StatefulSet sts = base().named(StatefulSet.class, "streamnlp");
        var pod = sts.getSpec().getTemplate().getSpec();
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(60L);
        Container container = pod.getContainers().getFirst();
        var resources = container.getResources();
        assertThat(resources.getRequests().get("cpu")).isEqualTo(new Quantity("2"));
        assertThat(bytes(resources.getRequests().get("memory"))).isEqualTo(bytes(new Quantity("3Gi")));
        assertThat(bytes(resources.getLimits().get("memory"))).isEqualTo(bytes(new Quantity("4Gi")));
        // Heap (STREAMNLP_JAVA_OPTS -Xmx) + ~1 GiB native must fit in the request.
        Map<String, String> env = podEnvironment(base());
        Matcher xmx = Pattern.compile("-Xmx(\\d+)([gGmM])").matcher(env.get("STREAMNLP_JAVA_OPTS"));
        assertThat(xmx.find()).isTrue();
        BigDecimal heap = BigDecimal.valueOf(Long.parseLong(xmx.group(1)) << (xmx.group(2).equalsIgnoreCase("g") ? 30 : 20));
        assertThat(heap.add(BigDecimal.valueOf(1L << 30))).isLessThanOrEqualTo(bytes(resources.getRequests().get("memory")));
        // The image's numeric user (docker/Dockerfile USER) is the pod's.
        String imageUid = DockerfileTest.MODEL.runtime().last("USER").orElseThrow().arguments().trim().split(":")[0];
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(imageUid));
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(Long.parseLong(imageUid));
        assertThat(container.getArgs()).containsExactly("run");
    }

    @Test
    void staticMembershipIdIsThePodNameAndReachesTheConsumers() {
        StatefulSet sts = base().named(StatefulSet.class, "streamnlp");
        EnvVar instanceId = sts.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals("STREAMNLP_KAFKA_GROUP_INSTANCE_ID")).findFirst().orElseThrow();
        assertThat(instanceId.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");

        StreamNlpConfig config = ConfigLoader.load(null, podEnvironment(base()), Map.of());
        StreamsConfig streams = new StreamsConfig(config.streamsProperties());
        // kafka.group.instance.id reaches Kafka Streams; it gives each stream thread's consumer
        // its own id, so one id per pod is all the manifests have to provide.
        assertThat(streams.getMainConsumerConfigs("streamnlp", "c", 0).get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
                .isEqualTo(POD_NAME + "-0");
        assertThat(streams.getMainConsumerConfigs("streamnlp", "c", 1).get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
                .isEqualTo(POD_NAME + "-1");
        assertThat(streams.getMainConsumerConfigs("streamnlp", "c", 0).get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))
                .isEqualTo("60000");
        assertThat(streams.getMainConsumerConfigs("streamnlp", "c", 0).get("sasl.jaas.config")).isNotNull();
    }

    // --- overlay ----------------------------------------------------------------------------

    @Test
    void overlayResourcesAndPatchesTargetWhatExists() {
        JsonNode kustomization = Repo.yaml(OVERLAY.resolve("kustomization.yaml"));
        Resources base = base();
        for (String resource : resourcesOf(OVERLAY)) {
            Path path = OVERLAY.resolve(resource).normalize();
            assertThat(Files.isRegularFile(path) || Files.isRegularFile(path.resolve("kustomization.yaml")))
                    .as("resource " + resource).isTrue();
        }
        String namespace = kustomization.path("namespace").asText();
        assertThat(namespace).isNotBlank();
        assertThat(parse(OVERLAY.resolve("namespace.yaml")).getMetadata().getName()).isEqualTo(namespace);

        assertThat(kustomization.path("patches").size()).isPositive();
        for (JsonNode patch : kustomization.path("patches")) {
            Path file = OVERLAY.resolve(patch.path("path").asText());
            assertThat(file).isRegularFile();
            String kind = patch.path("target").path("kind").asText();
            String name = patch.path("target").path("name").asText();
            assertThat(base.has(kind, name)).as("patch target %s/%s exists in the base", kind, name).isTrue();
            JsonNode content = Repo.yaml(file);
            if (content.isArray()) { // JSON 6902: every path it replaces exists in the target
                JsonNode target = Repo.YAML.valueToTree(base.all().stream()
                        .filter(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name)).findFirst().orElseThrow());
                for (JsonNode op : content) {
                    assertThat(op.path("op").asText()).isIn("replace", "add");
                    if (op.path("op").asText().equals("replace")) {
                        assertThat(target.at(op.path("path").asText()).isMissingNode()).as(op.toString()).isFalse();
                    }
                }
            } else { // strategic merge: same kind and name, typed, and its containers exist
                HasMetadata typed = parse(file);
                assertThat(typed.getKind()).isEqualTo(kind);
                assertThat(typed.getMetadata().getName()).isEqualTo(name);
                if (typed instanceof StatefulSet sts) {
                    List<String> baseContainers = base.named(StatefulSet.class, name).getSpec().getTemplate().getSpec()
                            .getContainers().stream().map(Container::getName).toList();
                    sts.getSpec().getTemplate().getSpec().getContainers()
                            .forEach(c -> assertThat(baseContainers).contains(c.getName()));
                }
                if (typed instanceof ConfigMap configMap) {
                    assertThat(ConfigKeys.problems(configMap.getData())).isEmpty();
                }
            }
        }
        // images: rewrites the base's image name.
        List<String> baseImages = base.named(StatefulSet.class, "streamnlp").getSpec().getTemplate().getSpec()
                .getContainers().stream().map(c -> c.getImage().split(":")[0]).toList();
        for (JsonNode image : kustomization.path("images")) {
            assertThat(baseImages).contains(image.path("name").asText());
        }
    }

    @Test
    void overlayKeepsTheScalerOnTheClusterTheAppUses() {
        // Both name the cluster: a patch of one without the other would scale on another cluster's lag.
        String configured = Repo.yaml(OVERLAY.resolve("configmap-patch.yaml")).path("data").path("STREAMNLP_BOOTSTRAP_SERVERS").asText();
        String scaler = null;
        for (JsonNode op : Repo.yaml(OVERLAY.resolve("scaledobject-patch.yaml"))) {
            if (op.path("path").asText().endsWith("/bootstrapServers")) {
                scaler = op.path("value").asText();
            }
        }
        assertThat(scaler).isEqualTo(configured);
    }

    @Test
    void renderedOverlayIsConsistent() throws Exception {
        List<String> command = kustomizeCommand();
        assumeTrue(command != null, "neither kubectl nor kustomize on the PATH");
        List<String> full = new ArrayList<>(command);
        full.add(OVERLAY.toString());
        Process process = new ProcessBuilder(full).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes());
        String err = new String(process.getErrorStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        List<HasMetadata> rendered = new ArrayList<>();
        for (JsonNode document : Repo.yamlDocuments(out)) {
            rendered.add(typed(document, "kustomize output"));
        }
        Resources resources = new Resources(rendered);
        assertConsistent(resources);
        String namespace = Repo.yaml(OVERLAY.resolve("kustomization.yaml")).path("namespace").asText();
        assertThat(rendered).filteredOn(r -> !r.getKind().equals("Namespace"))
                .allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo(namespace));
        StatefulSet sts = resources.named(StatefulSet.class, "streamnlp");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .isEqualTo("registry.example.com/streamnlp:0.1.0");
    }

    // --- the checks -------------------------------------------------------------------------

    /** Every reference between the resources resolves, and the pod's environment is a valid config. */
    static void assertConsistent(Resources resources) {
        resources.all().forEach(r -> assertThat(unknownFields(r, r.getKind() + "/" + r.getMetadata().getName()))
                .as("fields the typed model does not know (misspelled?)").isEmpty());

        StatefulSet sts = resources.named(StatefulSet.class, "streamnlp");
        var template = sts.getSpec().getTemplate();
        Map<String, String> podLabels = template.getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
        List<Container> containers = template.getSpec().getContainers();
        List<ContainerPort> ports = containers.stream().flatMap(c -> c.getPorts().stream()).toList();

        // Governing Service: headless, selects the pods.
        Service headless = resources.named(Service.class, sts.getSpec().getServiceName());
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        for (Service service : resources.of(Service.class)) {
            assertThat(podLabels).as("selector of Service " + service.getMetadata().getName())
                    .containsAllEntriesOf(service.getSpec().getSelector());
            for (ServicePort port : service.getSpec().getPorts()) {
                assertPortExists(ports, port.getTargetPort(), "Service " + service.getMetadata().getName());
            }
        }

        // Probes: on a declared port, on the endpoint's paths.
        for (Container container : containers) {
            assertProbe(container.getLivenessProbe(), "/health/live", ports);
            assertProbe(container.getReadinessProbe(), "/health/ready", ports);
            if (container.getStartupProbe() != null) {
                assertProbe(container.getStartupProbe(), "/health/live", ports);
            }
            // ConfigMap and Secret references resolve, keys included.
            for (EnvFromSource from : container.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    resources.named(ConfigMap.class, from.getConfigMapRef().getName());
                }
                if (from.getSecretRef() != null) {
                    resources.named(Secret.class, from.getSecretRef().getName());
                }
            }
            for (EnvVar env : container.getEnv()) {
                var source = env.getValueFrom();
                if (source != null && source.getSecretKeyRef() != null) {
                    Secret secret = resources.named(Secret.class, source.getSecretKeyRef().getName());
                    assertThat(secretKeys(secret)).as("key of " + env.getName()).contains(source.getSecretKeyRef().getKey());
                }
                if (source != null && source.getConfigMapKeyRef() != null) {
                    ConfigMap map = resources.named(ConfigMap.class, source.getConfigMapKeyRef().getName());
                    assertThat(map.getData()).containsKey(source.getConfigMapKeyRef().getKey());
                }
            }
        }

        // The pod's environment: known keys, a valid configuration, consistent with the manifests.
        Map<String, String> env = podEnvironment(resources);
        assertThat(ConfigKeys.problems(env)).isEmpty();
        StreamNlpConfig config = ConfigLoader.load(null, env, Map.of());
        String metricsPort = String.valueOf(config.metricsPort());
        assertThat(ports).anyMatch(p -> "metrics".equals(p.getName()) && p.getContainerPort().toString().equals(metricsPort));
        assertThat(template.getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", metricsPort)
                .containsEntry("prometheus.io/path", "/metrics");
        String stateDir = config.stateDir().toString();
        List<String> claims = sts.getSpec().getVolumeClaimTemplates().stream()
                .map(PersistentVolumeClaim::getMetadata).map(m -> m.getName()).toList();
        assertThat(containers.getFirst().getVolumeMounts())
                .anyMatch(m -> m.getMountPath().equals(stateDir) && claims.contains(m.getName()));
        assertThat(containers.getFirst().getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/tmp");

        // PodDisruptionBudget: on these pods.
        PodDisruptionBudget pdb = resources.of(PodDisruptionBudget.class).getFirst();
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());

        // KEDA: scales this StatefulSet on this group's lag of an input topic, with resolvable credentials.
        GenericKubernetesResource scaled = resources.custom("ScaledObject").getFirst();
        assertThat(scaled.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
        JsonNode spec = Repo.YAML.valueToTree(scaled.getAdditionalProperties().get("spec"));
        assertThat(spec.path("scaleTargetRef").path("kind").asText()).isEqualTo("StatefulSet");
        assertThat(spec.path("scaleTargetRef").path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo(sts.getMetadata().getName());
        assertThat(spec.path("maxReplicaCount").asInt()).isGreaterThanOrEqualTo(spec.path("minReplicaCount").asInt());
        JsonNode trigger = spec.path("triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        JsonNode metadata = trigger.path("metadata");
        assertThat(metadata.path("consumerGroup").asText()).isEqualTo(config.applicationId());
        assertThat(config.inputTopics()).extracting(InputTopic::name).contains(metadata.path("topic").asText());
        assertThat(metadata.path("bootstrapServers").asText()).isEqualTo(config.bootstrapServers());
        assertThat(Long.parseLong(metadata.path("lagThreshold").asText())).isPositive();
        assertThat(metadata.path("allowIdleConsumers").asText()).isEqualTo("false");
        GenericKubernetesResource auth = resources.custom("TriggerAuthentication",
                trigger.path("authenticationRef").path("name").asText());
        JsonNode authSpec = Repo.YAML.valueToTree(auth.getAdditionalProperties().get("spec"));
        for (JsonNode ref : authSpec.path("secretTargetRef")) {
            Secret secret = resources.named(Secret.class, ref.path("name").asText());
            assertThat(secretKeys(secret)).contains(ref.path("key").asText());
        }
    }

    /** What the app's container sees: ConfigMap (envFrom), Secret values and the downward API for pod 0. */
    static Map<String, String> podEnvironment(Resources resources) {
        Container container = resources.named(StatefulSet.class, "streamnlp").getSpec().getTemplate().getSpec()
                .getContainers().getFirst();
        Map<String, String> env = new HashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                env.putAll(resources.named(ConfigMap.class, from.getConfigMapRef().getName()).getData());
            }
            if (from.getSecretRef() != null) {
                env.putAll(secretValues(resources.named(Secret.class, from.getSecretRef().getName())));
            }
        }
        for (EnvVar var : container.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom().getFieldRef() != null) {
                assertThat(var.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
                env.put(var.getName(), POD_NAME);
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                env.put(var.getName(), secretValues(resources.named(Secret.class, ref.getName())).get(ref.getKey()));
            } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = var.getValueFrom().getConfigMapKeyRef();
                env.put(var.getName(), resources.named(ConfigMap.class, ref.getName()).getData().get(ref.getKey()));
            }
        }
        return env;
    }

    private static void assertProbe(Probe probe, String path, List<ContainerPort> ports) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertPortExists(ports, probe.getHttpGet().getPort(), "probe " + path);
    }

    private static void assertPortExists(List<ContainerPort> ports, IntOrString port, String user) {
        if (port.getStrVal() != null) {
            assertThat(ports).as(user + " names a container port").anyMatch(p -> port.getStrVal().equals(p.getName()));
        } else {
            assertThat(ports).as(user + " uses a container port").anyMatch(p -> Objects.equals(port.getIntVal(), p.getContainerPort()));
        }
    }

    private static List<String> secretKeys(Secret secret) {
        return List.copyOf(secretValues(secret).keySet());
    }

    private static Map<String, String> secretValues(Secret secret) {
        Map<String, String> values = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> values.put(k, new String(java.util.Base64.getDecoder().decode(v))));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }

    private static BigDecimal bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity);
    }

    // --- parsing ----------------------------------------------------------------------------

    static Resources base() {
        return new Resources(resourcesOf(BASE).stream().map(file -> parse(BASE.resolve(file))).toList());
    }

    static List<String> resourcesOf(Path kustomizationDir) {
        List<String> files = new ArrayList<>();
        Repo.yaml(kustomizationDir.resolve("kustomization.yaml")).path("resources").forEach(r -> files.add(r.asText()));
        assertThat(files).isNotEmpty();
        return files;
    }

    static HasMetadata parse(Path file) {
        return typed(Repo.yaml(file), Repo.ROOT.relativize(file).toString());
    }

    static HasMetadata typed(JsonNode node, String where) {
        String kind = node.path("kind").asText();
        assertThat(kind).as("kind of " + where).isNotBlank();
        Class<? extends HasMetadata> type = TYPES.getOrDefault(kind, GenericKubernetesResource.class);
        try {
            HasMetadata resource = Repo.YAML.treeToValue(node, type);
            assertThat(resource.getMetadata().getName()).as("name in " + where).isNotBlank();
            return resource;
        } catch (IOException e) {
            throw new AssertionError(where + " does not parse as " + type.getSimpleName(), e);
        }
    }

    /** Paths of values the typed model did not recognise (they land in additionalProperties). */
    static List<String> unknownFields(Object value, String path) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(value, path, unknown);
        return unknown;
    }

    private static void collectUnknown(Object value, String path, List<String> unknown) {
        if (value == null || value instanceof GenericKubernetesResource) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknown(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    collectUnknown(fieldValue, path + "." + field.getName(), unknown);
                }
            }
        }
    }

    private static List<String> kustomizeCommand() {
        for (List<String> candidate : List.of(List.of("kubectl", "kustomize"), List.of("kustomize", "build"))) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, candidate.getFirst()))) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
