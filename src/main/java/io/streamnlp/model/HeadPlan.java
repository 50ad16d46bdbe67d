package io.streamnlp.model;

/**
 * Which task heads run on each encoder pass: only those whose result a selected output carries
 * ({@code outputs}). The embedding is always computed: it is the encoder pass itself.
 *
 * @param sentiment run the sentiment head (the sentiment or enriched output is selected)
 * @param entities run the NER head (the entities or enriched output is selected)
 */
public record HeadPlan(boolean sentiment, boolean entities) {

    /** Both heads: what every output together needs. */
    public static final HeadPlan ALL = new HeadPlan(true, true);
    /** No head: embeddings only. */
    public static final HeadPlan NONE = new HeadPlan(false, false);

    /** Whether any head runs at all. */
    public boolean any() {
        return sentiment || entities;
    }
}
