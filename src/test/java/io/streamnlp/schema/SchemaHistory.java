package io.streamnlp.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * The released versions of each public schema ({@code src/test/resources/schemas/history/<Record>/<n>.avsc},
 * in registration order) beside the current one, as the build generated it from {@code schemas/}.
 */
final class SchemaHistory {

    static final Path ROOT = Path.of("src", "test", "resources", "schemas", "history");

    record Versions(String record, List<Schema> released, Schema current) {}

    private SchemaHistory() {}

    /** The public schemas' folder ({@code schemas/*.avsc}; {@code schemas/internal} is never registered). */
    static final Path CURRENT = Path.of("schemas");

    /**
     * Every public record ({@code schemas/*.avsc}): its released versions in order (none for a record
     * new in this version) and its current schema.
     */
    static List<Versions> all() {
        List<Versions> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(CURRENT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                String name = file.getFileName().toString();
                String record = name.substring(0, name.length() - ".avsc".length());
                Path history = ROOT.resolve(record);
                all.add(new Versions(record, Files.isDirectory(history) ? released(history) : List.of(), current(record)));
            }
            try (Stream<Path> folders = Files.list(ROOT)) {
                for (Path folder : folders.filter(Files::isDirectory).toList()) {
                    String record = folder.getFileName().toString();
                    if (all.stream().noneMatch(v -> v.record().equals(record))) {
                        throw new IllegalStateException("schemas/history/" + record + " has no schemas/" + record + ".avsc");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** The schema of the generated class {@code io.streamnlp.schema.<record>}: what the serializers register. */
    static Schema current(String record) {
        try {
            return SpecificData.get().getSchema(Class.forName("io.streamnlp.schema." + record));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("schemas/history/" + record + " has no current schema in schemas/", e);
        }
    }

    private static List<Schema> released(Path folder) throws IOException {
        List<Schema> versions = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc"))
                    .sorted(Comparator.comparingInt(SchemaHistory::number)).toList()) {
                versions.add(new Schema.Parser().parse(Files.readString(file)));
            }
        }
        return versions;
    }

    private static int number(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(0, name.length() - ".avsc".length()));
    }
}
