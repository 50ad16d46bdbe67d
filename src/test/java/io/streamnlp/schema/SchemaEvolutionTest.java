package io.streamnlp.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * BACKWARD compatibility, checked by Avro itself: a consumer on the current schema reads every record
 * written with any released version (transitively, not only the latest), which is what the registry's
 * BACKWARD check enforces at registration ({@code SchemaEvolutionIntegrationTest} asks a real one).
 */
class SchemaEvolutionTest {

    @Test
    void theCurrentSchemaOfEveryRecordReadsEveryReleasedVersion() {
        List<SchemaHistory.Versions> all = SchemaHistory.all();
        assertThat(all).extracting(SchemaHistory.Versions::record)
                .contains("EmbeddingRecord", "EntitiesRecord", "SentimentRecord", "TextEvent", "DeadLetter");
        List<String> shipped = List.of("EmbeddingRecord", "EntitiesRecord", "SentimentRecord", "TextEvent", "DeadLetter");
        for (SchemaHistory.Versions versions : all) {
            if (shipped.contains(versions.record())) {
                assertThat(versions.released()).as("released versions of " + versions.record()).isNotEmpty();
            }
            for (Schema released : versions.released()) {
                var result = SchemaCompatibility.checkReaderWriterCompatibility(versions.current(), released);
                assertThat(result.getType()).as("%s: current reads a released version: %s", versions.record(),
                        result.getResult().getIncompatibilities()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    @Test
    void entitySpansKeepTheirUtf16OffsetsAndReadOldRecordsWithUnknownCodePoints() {
        Schema entity = EntitiesRecord.getClassSchema().getField("entities").schema().getElementType();
        assertThat(entity.getField("start").schema().getType()).isEqualTo(Schema.Type.INT);
        assertThat(entity.getField("end").schema().getType()).isEqualTo(Schema.Type.INT);
        assertThat(entity.getField("startCodePoint").defaultVal()).isEqualTo(-1);
        assertThat(entity.getField("endCodePoint").defaultVal()).isEqualTo(-1);
        assertThat(entity.getField("startCodePoint").doc()).contains("code points", "Python");
        assertThat(entity.getField("start").doc()).contains("UTF-16", "JavaScript");
    }

    @Test
    void aRequiredNewFieldWouldNotBeBackwardCompatible() {
        // The check itself can fail: the same released version against a schema that adds a field
        // without a default (what the registry would refuse with HTTP 409).
        Schema released = SchemaHistory.all().stream().filter(v -> v.record().equals("EntitiesRecord")).findFirst()
                .orElseThrow().released().getFirst();
        Schema breaking = new Schema.Parser().parse(EntitiesRecord.getClassSchema().toString()
                .replace(",\"default\":-1", ""));
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(breaking, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }
}
