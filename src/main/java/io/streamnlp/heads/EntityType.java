package io.streamnlp.heads;

/** CoNLL-2003 entity types. */
public enum EntityType {
    PER,
    ORG,
    LOC,
    MISC
}
