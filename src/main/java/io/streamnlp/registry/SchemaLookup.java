package io.streamnlp.registry;

import org.apache.avro.Schema;

/**
 * Where a {@link ConfluentAvroDeserializer} finds the writer schema a record's schema id names:
 * {@link SchemaRegistryClient} in the application. An interface so that the wire-format decoding can be
 * exercised on its own (the fuzz tests answer a fixed table of schemas), without an HTTP registry.
 */
@FunctionalInterface
public interface SchemaLookup {

    /**
     * The schema registered under {@code id}.
     *
     * @throws SchemaRegistryException as {@link SchemaRegistryClient#getSchemaById}: {@link
     *     SchemaRegistryException.Reason#NOT_FOUND} for an unknown id, and so on
     */
    Schema getSchemaById(int id);
}
