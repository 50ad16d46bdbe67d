package io.streamnlp;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The layering, held by a test rather than by goodwill. The packages table of
 * {@code docs/ARCHITECTURE.md} is the source: each row names a package, its one job, the StreamNLP
 * packages it may import and whether it may use Kafka. This test reads that table and checks the
 * production classes (tests aside) against it, so the document and the code cannot drift apart: a new
 * package, or a new import across packages, needs a row or a cell changed there first.
 *
 * <p>On top of the table, the rules the design rests on are spelled out on their own, so that nobody
 * loosens them by editing one cell: no package cycles; the pure core ({@code model}, {@code inference},
 * {@code heads}, {@code enrich}) never sees Kafka; the tools ({@code training}, {@code bench},
 * {@code local}) are reached only from {@code cli}; nothing imports {@code cli}.
 */
class ArchitectureTest {

    private static final String ROOT = "io.streamnlp";
    private static final Path ARCHITECTURE_MD = Path.of("docs", "ARCHITECTURE.md");
    /** A row of the packages table: | `pkg` | job | `a`, `b` or — | yes/no/... | */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z.]+)`\\s*\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|\\s*$");

    private static JavaClasses production;
    private static Map<String, PackageRow> table;

    record PackageRow(String name, Set<String> mayImport, boolean kafka) {}

    @BeforeAll
    static void importClasses() throws IOException {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(ROOT);
        table = readTable(Files.readAllLines(ARCHITECTURE_MD));
    }

    /** The packages table: the rows after the "## Packages" heading. */
    static Map<String, PackageRow> readTable(List<String> lines) {
        Map<String, PackageRow> rows = new LinkedHashMap<>();
        boolean inPackages = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inPackages = line.equals("## Packages");
                continue;
            }
            Matcher row = inPackages ? ROW.matcher(line) : null;
            if (row != null && row.matches()) {
                Set<String> imports = new TreeSet<>();
                Matcher name = Pattern.compile("`([a-z.]+)`").matcher(row.group(3));
                while (name.find()) {
                    imports.add(name.group(1));
                }
                rows.put(row.group(1), new PackageRow(row.group(1), imports, !row.group(4).trim().startsWith("no")));
            }
        }
        return rows;
    }

    private static String pkg(String relative) {
        return ROOT + "." + relative;
    }

    private static Set<String> packagesInCode() {
        return production.stream()
                .map(JavaClass::getPackageName)
                .filter(name -> name.startsWith(ROOT + "."))
                .map(name -> name.substring(ROOT.length() + 1))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theTableListsEveryPackageAndNoOther() {
        assertThat(table).as("packages table of %s", ARCHITECTURE_MD).isNotEmpty();
        assertThat(table.keySet())
                .as("rows of the packages table in %s (add a row for a new package, remove one for a deleted package)",
                        ARCHITECTURE_MD)
                .containsExactlyInAnyOrderElementsOf(packagesInCode());
        for (PackageRow row : table.values()) {
            assertThat(table.keySet()).as("packages named as imports of %s", row.name()).containsAll(row.mayImport());
        }
    }

    @TestFactory
    Stream<DynamicTest> eachPackageImportsOnlyWhatItsRowAllows() {
        return table.values().stream().map(row -> DynamicTest.dynamicTest(row.name(), () -> {
            List<String> allowed = new ArrayList<>();
            allowed.add(pkg(row.name()));
            row.mayImport().forEach(name -> allowed.add(pkg(name)));
            classes().that().resideInAPackage(pkg(row.name()))
                    .should().onlyDependOnClassesThat(
                            not(resideInAPackage(ROOT + "..")).or(resideInAnyPackage(allowed.toArray(String[]::new))))
                    .because("docs/ARCHITECTURE.md says " + row.name() + " may import " + row.mayImport())
                    .allowEmptyShould(true)
                    .check(production);
        }));
    }

    @TestFactory
    Stream<DynamicTest> packagesMarkedKafkaFreeUseNoKafka() {
        return table.values().stream().filter(row -> !row.kafka()).map(row -> DynamicTest.dynamicTest(row.name(), () ->
                noClasses().that().resideInAPackage(pkg(row.name()))
                        .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                        .because("docs/ARCHITECTURE.md marks " + row.name() + " as Kafka-free")
                        .allowEmptyShould(true)
                        .check(production)));
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(production);
    }

    @Test
    void thePureCoreNeverSeesKafkaNorTheStagesAboveIt() {
        Set<String> core = Set.of("model", "inference", "heads", "heads.features", "enrich");
        for (String name : core) {
            assertThat(table).as("%s is in the packages table", name).containsKey(name);
            assertThat(table.get(name).kafka()).as("%s is marked Kafka-free in %s", name, ARCHITECTURE_MD).isFalse();
            assertThat(core).as("what %s may import stays inside the core", name).containsAll(table.get(name).mayImport());
        }
        noClasses().that().resideInAnyPackage(core.stream().map(ArchitectureTest::pkg).toArray(String[]::new))
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                .check(production);
    }

    @Test
    void toolsAreReachedOnlyFromTheCommandLine() {
        for (String tool : List.of("training", "bench", "local")) {
            noClasses().that().resideOutsideOfPackages(pkg(tool) + "..", pkg("cli"))
                    .should().dependOnClassesThat().resideInAPackage(pkg(tool) + "..")
                    .because(tool + " is a tool of the command line, not part of the serving path")
                    .check(production);
        }
    }

    @Test
    void nothingImportsTheCommandLine() {
        noClasses().that().resideOutsideOfPackage(pkg("cli"))
                .should().dependOnClassesThat().resideInAPackage(pkg("cli"))
                .check(production);
    }
}
