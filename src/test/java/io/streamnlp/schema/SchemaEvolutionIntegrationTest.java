package io.streamnlp.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.registry.RegistrySettings;
import io.streamnlp.registry.SchemaRegistryClient;
import io.streamnlp.registry.SchemaRegistryException;
import io.streamnlp.testing.TestRegistry;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The current public schemas register as new versions in a real registry (Apicurio, global
 * compatibility BACKWARD) that already holds every released version, as a registry in production
 * does: a consumer upgrade never needs a compatibility override.
 */
class SchemaEvolutionIntegrationTest {

    private static SchemaRegistryClient registry;

    @BeforeAll
    static void connect() {
        registry = new SchemaRegistryClient(RegistrySettings.of(TestRegistry.url()));
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    @Test
    void everyCurrentSchemaRegistersOverItsReleasedVersions() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (SchemaHistory.Versions versions : SchemaHistory.all()) {
            String subject = SchemaRegistryClient.valueSubject("evolution-" + run + "." + versions.record());
            int previous = -1;
            for (Schema released : versions.released()) {
                previous = registry.register(subject, released);
            }
            int current = registry.register(subject, versions.current()); // throws (HTTP 409) if incompatible
            if (versions.record().equals("EntitiesRecord")) {
                assertThat(current).as("entity spans gained code-point offsets: a new version").isNotEqualTo(previous);
            }
        }
    }

    @Test
    void theRegistryRefusesABreakingChangeOverTheReleasedEntitiesRecord() {
        String subject = SchemaRegistryClient.valueSubject("evolution-" + UUID.randomUUID().toString().substring(0, 8)
                + ".entities");
        SchemaHistory.Versions entities = SchemaHistory.all().stream()
                .filter(v -> v.record().equals("EntitiesRecord")).findFirst().orElseThrow();
        entities.released().forEach(released -> registry.register(subject, released));
        Schema breaking = new Schema.Parser().parse(entities.current().toString().replace(",\"default\":-1", ""));

        assertThatThrownBy(() -> registry.register(subject, breaking))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(409));
        registry.register(subject, entities.current());
    }
}
