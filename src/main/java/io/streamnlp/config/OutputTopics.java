package io.streamnlp.config;

import java.util.List;

/** The topics StreamNLP writes, one per result kind plus the dead letters. */
public record OutputTopics(String embeddings, String sentiment, String entities, String deadLetters) {

    public static OutputTopics withPrefix(String prefix) {
        return new OutputTopics(
                prefix + ".embeddings", prefix + ".sentiment", prefix + ".entities", prefix + ".dlq");
    }

    public List<String> all() {
        return List.of(embeddings, sentiment, entities, deadLetters);
    }
}
