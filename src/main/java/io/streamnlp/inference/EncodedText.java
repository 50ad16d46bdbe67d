package io.streamnlp.inference;

/**
 * The encoder's output for one text: what every task head works from, so that one forward pass
 * serves embeddings, sentiment and entities alike.
 *
 * @param sentenceVector pooled and L2-normalised sentence embedding
 * @param tokenStates last_hidden_state of this text's real tokens (no padding), flat [length x dim]
 * @param dimension hidden size
 */
public record EncodedText(float[] sentenceVector, float[] tokenStates, int dimension) {

    public int tokenCount() {
        return tokenStates.length / dimension;
    }
}
