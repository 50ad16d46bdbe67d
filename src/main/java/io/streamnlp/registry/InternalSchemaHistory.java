package io.streamnlp.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every schema an internal record (by-text topic, state stores, their changelogs) was ever written
 * with, oldest first: the resources {@value #ROOT}{@code <RecordName>-<n>.avsc}, n = 1, 2, ... Version 1
 * is the schema of the first release, which wrote plain Avro binary without any header (the
 * "legacy" encoding); every later release writes Avro's single-object encoding, whose header names
 * the writer schema by its CRC-64-AVRO fingerprint.
 *
 * <p>A released version is never edited and never removed: state written with it may still be in a
 * store, a changelog or the by-text topic. Changing a record means adding the next file (a copy of
 * the new {@code schemas/internal/<RecordName>.avsc}); {@link InternalAvroSerde} refuses to start
 * when the generated class is not the newest version here.
 */
public final class InternalSchemaHistory {

    static final String ROOT = "/schemas/internal/history/";

    private final String recordName;
    private final List<Schema> versions;
    private final List<Long> fingerprints;

    private InternalSchemaHistory(String recordName, List<Schema> versions) {
        this.recordName = recordName;
        this.versions = List.copyOf(versions);
        this.fingerprints = versions.stream().map(SchemaNormalization::parsingFingerprint64).toList();
    }

    /** The history of the record with this simple name (e.g. {@code PendingText}); at least version 1. */
    public static InternalSchemaHistory of(String recordName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = ROOT + recordName + "-" + version + ".avsc";
            try (InputStream in = InternalSchemaHistory.class.getResourceAsStream(resource)) {
                if (in == null) {
                    break;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalStateException("No schema history for internal record " + recordName + ": expected "
                    + ROOT + recordName + "-1.avsc on the class path");
        }
        return new InternalSchemaHistory(recordName, versions);
    }

    public String recordName() {
        return recordName;
    }

    /** Every version, oldest (version 1) first. */
    public List<Schema> versions() {
        return versions;
    }

    /** Version {@code n}, counted from 1. */
    public Schema version(int n) {
        return versions.get(n - 1);
    }

    public Schema newest() {
        return versions.getLast();
    }

    /** The schema of the unframed bytes written before the single-object encoding: version 1. */
    public Schema legacy() {
        return versions.getFirst();
    }

    /** The version (from 1) with this CRC-64-AVRO fingerprint, if it is one of this history's. */
    public Optional<Integer> versionOf(long fingerprint) {
        int index = fingerprints.indexOf(fingerprint);
        return index < 0 ? Optional.empty() : Optional.of(index + 1);
    }

    /** "v1 0x…, v2 0x…": for error messages. */
    String describe() {
        List<String> known = new ArrayList<>();
        for (int i = 0; i < fingerprints.size(); i++) {
            known.add("v" + (i + 1) + " " + hex(fingerprints.get(i)));
        }
        return String.join(", ", known);
    }

    static String hex(long fingerprint) {
        return String.format(Locale.ROOT, "0x%016x", fingerprint);
    }
}
