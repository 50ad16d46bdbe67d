package io.streamnlp.deadletter;

import io.streamnlp.registry.SchemaRegistryException;
import io.streamnlp.registry.UnknownInternalSchemaException;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Whose fault an error is. Only a record's own fault may dead-letter it; anything else (the registry
 * unreachable, overloaded or refusing our credentials, an interrupt, memory, a broken encoder,
 * internal state written by a newer release) fails the stream thread so that nothing is skipped.
 */
public final class Blame {

    private Blame() {}

    /** True when the record being processed caused {@code error}, so dead-lettering it is right. */
    public static boolean recordAtFault(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NotTheRecordsFault || t instanceof InterruptException || t instanceof InterruptedException
                    || t instanceof VirtualMachineError || t instanceof UnknownInternalSchemaException) {
                return false;
            }
            if (t instanceof SchemaRegistryException registry) {
                return registry.isRecordsFault();
            }
        }
        return true;
    }
}
