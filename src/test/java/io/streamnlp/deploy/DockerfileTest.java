package io.streamnlp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.config.StreamNlpConfig;
import io.streamnlp.deploy.DockerfileModel.Copy;
import io.streamnlp.deploy.DockerfileModel.Instruction;
import io.streamnlp.deploy.DockerfileModel.Stage;
import io.streamnlp.heads.Heads;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.ModelCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile checked without a Docker engine: what each COPY takes exists (after
 * {@code mvn package} for the build outputs), the runtime stage has the layout bin/streamnlp
 * expects and no pom.xml (so the launcher never builds in the image), the model files are in the
 * copied libraries, and entrypoint, user, volume, port and health check agree with the app's settings.
 * {@link DockerImageLayoutIntegrationTest} runs the launcher from that layout on a JRE.
 */
class DockerfileTest {

    static final Path DOCKERFILE = Repo.DOCKER.resolve("Dockerfile");
    static final DockerfileModel MODEL = DockerfileModel.parse(DOCKERFILE);

    @Test
    void twoStagesBuildOnAJdkAndRunOnAJre() {
        assertThat(MODEL.stages()).hasSize(2);
        Stage build = MODEL.stages().getFirst();
        assertThat(build.image()).startsWith("maven:3.9").contains("temurin-21");
        assertThat(String.join("\n", build.all("RUN").stream().map(Instruction::arguments).toList()))
                .contains("mvn").contains("package");
        assertThat(MODEL.runtime().image()).isEqualTo("eclipse-temurin:21-jre");
    }

    @Test
    void buildStageCopiesWhatMavenNeedsFromTheContext() {
        Stage build = MODEL.stages().getFirst();
        List<String> sources = build.copies().stream().flatMap(c -> c.sources().stream()).toList();
        assertThat(sources).contains("pom.xml", "schemas/", "src/");
        sources.forEach(source -> assertThat(Repo.ROOT.resolve(source)).as("build context path " + source).exists());
        assertThat(build.copies()).allSatisfy(copy -> assertThat(copy.from()).isNull());
    }

    @Test
    void runtimeStageHasTheLauncherLayoutAndNoPom() {
        Stage runtime = MODEL.runtime();
        String root = runtime.workdir();
        assertThat(root).isEqualTo("/opt/streamnlp");
        List<String> destinations = new ArrayList<>();
        for (Copy copy : runtime.copies()) {
            for (String source : copy.sources()) {
                destinations.add(destination(root, copy, source));
            }
        }
        // bin/streamnlp runs $root/target/streamnlp.jar with $root/target/lib/* and finds Java via $root/bin/java21.
        String launcher = Repo.read(Repo.ROOT.resolve("bin/streamnlp"));
        assertThat(launcher).contains("$root/target/streamnlp.jar", "$root/target/lib/*", "$root/bin/java21");
        assertThat(destinations).contains(root + "/target/streamnlp.jar", root + "/target/lib",
                root + "/bin/streamnlp", root + "/bin/java21");
        assertThat(destinations).as("without pom.xml the launcher never tries to build in the image")
                .noneMatch(d -> d.endsWith("pom.xml"));
        // And bin/java21 accepts a JRE exactly in such a copy.
        assertThat(Repo.read(Repo.ROOT.resolve("bin/java21"))).contains("[ -f \"$root/pom.xml\" ] || tool=java");
    }

    @Test
    void contextSourcesOfTheRuntimeStageExistAndAreExecutable() {
        List<Copy> fromContext = MODEL.runtime().copies().stream().filter(c -> c.from() == null).toList();
        assertThat(fromContext).isNotEmpty();
        for (Copy copy : fromContext) {
            for (String source : copy.sources()) {
                Path path = Repo.ROOT.resolve(source);
                assertThat(path).as(source).isRegularFile();
                assertThat(Files.isExecutable(path)).as(source + " is executable").isTrue();
            }
        }
    }

    @Test
    void everySourceIsInTheBuildContext() {
        // docker/Dockerfile.dockerignore excludes everything but what the stages copy.
        List<String> included = Repo.read(Repo.DOCKER.resolve("Dockerfile.dockerignore")).lines()
                .map(String::strip).filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        assertThat(Repo.read(Repo.DOCKER.resolve("Dockerfile.dockerignore")).lines().map(String::strip))
                .contains("*");
        for (Stage stage : MODEL.stages()) {
            for (Copy copy : stage.copies()) {
                if (copy.from() != null) {
                    continue;
                }
                for (String source : copy.sources()) {
                    assertThat(included).as("%s is not excluded from the build context", source)
                            .anyMatch(pattern -> source.equals(pattern) || source.startsWith(pattern.endsWith("/") ? pattern : pattern + "/"));
                }
            }
        }
    }

    /** The repository paths that the runtime stage's COPY --from=build instructions take. */
    static List<Path> buildOutputSources() {
        Stage build = MODEL.stages().getFirst();
        String buildRoot = build.workdir();
        List<Path> sources = new ArrayList<>();
        for (Copy copy : MODEL.runtime().copies()) {
            if (copy.from() == null) {
                continue;
            }
            assertThat(copy.from()).isEqualTo(build.name());
            for (String source : copy.sources()) {
                assertThat(source).as("taken from the build stage's checkout").startsWith(buildRoot + "/");
                sources.add(Repo.ROOT.resolve(source.substring(buildRoot.length() + 1)));
            }
        }
        return sources;
    }

    /** Every catalogue encoder's ONNX graph and tokenizer, and the default's heads, are in what the image copies. */
    static void assertModelFilesInImage() throws IOException {
        Path lib = Repo.ROOT.resolve("target/lib");
        assertThat(buildOutputSources()).contains(lib, Repo.ROOT.resolve("target/streamnlp.jar"));
        List<Path> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        for (EncoderSpec spec : ModelCatalogue.inOrder()) {
            for (String resource : List.of(spec.onnxResource(), spec.tokenizerResource())) {
                assertThat(jars).as("%s (%s) in a jar of target/lib", resource, spec.name())
                        .anyMatch(jar -> hasEntry(jar, resource));
            }
        }
        assertThat(hasEntry(Repo.ROOT.resolve("target/streamnlp.jar"), Heads.RESOURCE_ROOT + "/" + ModelCatalogue.DEFAULT_MODEL + "/" + Heads.SENTIMENT_FILE))
                .as("the default model's heads in streamnlp.jar").isTrue();
    }

    @Test
    void entrypointIsTheLauncherAndCmdRuns() {
        Stage runtime = MODEL.runtime();
        Instruction entrypoint = runtime.last("ENTRYPOINT").orElseThrow();
        assertThat(entrypoint.isExecForm()).as("exec form, so SIGTERM reaches the JVM").isTrue();
        assertThat(entrypoint.words()).containsExactly(runtime.workdir() + "/bin/streamnlp");
        assertThat(runtime.last("CMD").orElseThrow().words()).containsExactly("run");
    }

    @Test
    void runsAsANumericNonRootUser() {
        String user = MODEL.runtime().last("USER").orElseThrow().arguments().trim();
        String uid = user.split(":")[0];
        assertThat(uid).as("numeric, so Kubernetes can verify runAsNonRoot").matches("\\d+");
        assertThat(Integer.parseInt(uid)).isPositive();
        assertThat(user).doesNotStartWith("root");
    }

    @Test
    void stateDirectoryIsAVolumeOwnedByTheUser() {
        Stage runtime = MODEL.runtime();
        String stateDir = runtime.env().get("STREAMNLP_STATE_DIR");
        assertThat(stateDir).isEqualTo("/var/lib/streamnlp");
        assertThat(runtime.last("VOLUME").orElseThrow().words()).containsExactly(stateDir);
        String uid = runtime.last("USER").orElseThrow().arguments().trim().split(":")[0];
        String runs = String.join("\n", runtime.all("RUN").stream().map(Instruction::arguments).toList());
        assertThat(runs).contains("mkdir -p " + stateDir).contains("chown " + uid + ":" + uid + " " + stateDir);
        // The VOLUME comes after the chown, or the volume would not inherit the ownership.
        List<String> keywords = runtime.instructions().stream().map(Instruction::keyword).toList();
        assertThat(keywords.indexOf("VOLUME")).isGreaterThan(keywords.indexOf("RUN"));
    }

    @Test
    void healthCheckProbesReadinessOnTheMetricsPort() {
        Stage runtime = MODEL.runtime();
        String port = runtime.env().get("STREAMNLP_METRICS_PORT");
        assertThat(port).isEqualTo(String.valueOf(StreamNlpConfig.DEFINITION.defaultValues().get(StreamNlpConfig.METRICS_PORT)));
        assertThat(runtime.last("EXPOSE").orElseThrow().words()).containsExactly(port);
        List<String> command = healthCheckCommand();
        String script = String.join(" ", command);
        assertThat(script).contains("/health/ready");
        assertThat(script).as("probes the port the app listens on").contains("${STREAMNLP_METRICS_PORT}");
        assertThat(command.getFirst()).isEqualTo("bash");
    }

    @Test
    void imageEnvironmentIsKnownToTheApp() {
        Map<String, String> env = MODEL.runtime().env();
        assertThat(ConfigKeys.problems(env)).isEmpty();
    }

    /** The HEALTHCHECK's CMD, exec form. */
    static List<String> healthCheckCommand() {
        String arguments = MODEL.runtime().last("HEALTHCHECK").orElseThrow().arguments();
        int cmd = arguments.indexOf("CMD ");
        assertThat(cmd).isNotNegative();
        return new Instruction("CMD", arguments.substring(cmd + 4)).words();
    }

    private static String destination(String root, Copy copy, String source) {
        String destination = copy.destination().startsWith("/") ? copy.destination() : root + "/" + copy.destination();
        if (destination.endsWith("/") && !source.endsWith("/")) {
            destination = destination + Path.of(source).getFileName();
        }
        return destination.endsWith("/") ? destination.substring(0, destination.length() - 1) : destination;
    }

    private static boolean hasEntry(Path jar, String entry) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(entry) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
