package io.streamnlp.model;

/** CoNLL-2003 entity types. */
public enum EntityKind {
    PER,
    ORG,
    LOC,
    MISC
}
