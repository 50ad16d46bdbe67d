package io.streamnlp.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void headerIsMagicByteThenBigEndianId() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, 0x01020304);

        assertThat(out.toByteArray()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void readsTheIdItWrote() {
        for (int id : new int[] {0, 1, 255, 256, 65_536, 999_999, Integer.MAX_VALUE, -1}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            WireFormat.writeHeader(out, id);
            out.write(42); // an Avro body follows the header

            assertThat(WireFormat.schemaId(out.toByteArray())).as("id %d", id).isEqualTo(id);
        }
    }

    @Test
    void acceptsAnEmptyBody() {
        // A record with no fields encodes to zero bytes of Avro.
        assertThat(WireFormat.schemaId(new byte[] {0, 0, 0, 0, 7})).isEqualTo(7);
    }

    @Test
    void rejectsJsonWithAHint() {
        byte[] json = "{\"id\":\"1\",\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WireFormat.schemaId(json))
                .isInstanceOf(SerializationException.class)
                .hasMessage("unknown magic byte 0x7b: not Confluent Avro (JSON?)");
    }

    @Test
    void rejectsPlainText() {
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WireFormat.schemaId(text))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("unknown magic byte 0x68: not Confluent Avro (plain text?)");
    }

    @Test
    void rejectsOtherMagicBytes() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("unknown magic byte 0x01: not Confluent Avro");
    }

    @Test
    void rejectsRecordsShorterThanTheHeader() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("record shorter than 5 bytes (3)");
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[0]))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("record shorter than 5 bytes (0)");
    }
}
