package io.streamnlp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.deploy.DockerfileModel.Copy;
import io.streamnlp.deploy.DockerfileModel.Stage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's file layout, rebuilt without Docker after {@code mvn package}: every runtime-stage
 * COPY of docker/Dockerfile is applied to a temporary root (build outputs linked, scripts copied),
 * and the ENTRYPOINT launcher runs there on a Java home without javac, as on the image's JRE. It
 * must pick that Java, never try to build (no pom.xml), and run the application jar with its
 * libraries. bin/java21 in the repository (with pom.xml) must still insist on a JDK.
 */
class DockerImageLayoutIntegrationTest {

    @TempDir
    Path image;

    /** Runs after `mvn package` (failsafe), so the build outputs the image copies exist for certain. */
    @Test
    void buildOutputsTheImageTakesExistAfterPackage() throws IOException {
        for (Path source : DockerfileTest.buildOutputSources()) {
            assertThat(source).as("COPY --from=build source").exists();
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.list(source)) {
                    assertThat(files.count()).as(source + " is not empty").isPositive();
                }
            }
        }
        DockerfileTest.assertModelFilesInImage();
    }

    @Test
    void launcherRunsFromTheImageLayoutOnAJre() throws Exception {
        DockerfileTest.assertModelFilesInImage();
        Stage runtime = DockerfileTest.MODEL.runtime();
        Stage build = DockerfileTest.MODEL.stages().getFirst();
        Path root = image.resolve(runtime.workdir().substring(1));
        for (Copy copy : runtime.copies()) {
            for (String source : copy.sources()) {
                Path from = copy.from() == null ? Repo.ROOT.resolve(source)
                        : Repo.ROOT.resolve(source.substring(build.workdir().length() + 1));
                Path to = root.resolve(copy.destination());
                if (copy.destination().endsWith("/") && copy.sources().size() > 1 || copy.destination().endsWith("/") && Files.isRegularFile(from)) {
                    to = to.resolve(from.getFileName().toString());
                }
                Files.createDirectories(to.getParent());
                if (Files.isDirectory(from)) {
                    Files.createSymbolicLink(to, from); // target/lib: 400 MB, linking is enough
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        assertThat(root.resolve("pom.xml")).doesNotExist();
        Path jre = fakeJre();

        Map<String, String> env = Map.of("JAVA_HOME", jre.toString(), "PATH", "/usr/bin:/bin",
                "STREAMNLP_JAVA_OPTS", "-Xmx256m");
        Result java = run(List.of(root.resolve("bin/java21").toString()), env);
        assertThat(java.exit()).as(java.output()).isZero();
        assertThat(java.output().strip()).isEqualTo(jre.toString());

        String entrypoint = DockerfileTest.MODEL.runtime().last("ENTRYPOINT").orElseThrow().words().getFirst();
        Result configDoc = run(List.of(image.resolve(entrypoint.substring(1)).toString(), "config-doc"), env);
        assertThat(configDoc.exit()).as(configDoc.output()).isZero();
        assertThat(configDoc.output()).doesNotContain("Building StreamNLP").contains("| `metrics.port` |", "| `state.dir` |");

        // In the repository, a Java home without javac is not enough: the launcher may have to build.
        Result repoJava = run(List.of(Repo.ROOT.resolve("bin/java21").toString()), env);
        assertThat(repoJava.output().strip()).isNotEqualTo(jre.toString());
    }

    /** A Java 21+ home with bin/java only, like eclipse-temurin:21-jre's. */
    private Path fakeJre() throws IOException {
        Path jre = image.resolve("opt/java/openjdk");
        Files.createDirectories(jre.resolve("bin"));
        Files.createSymbolicLink(jre.resolve("bin/java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        assertThat(jre.resolve("bin/javac")).doesNotExist();
        return jre;
    }

    record Result(int exit, String output) {}

    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }
}
