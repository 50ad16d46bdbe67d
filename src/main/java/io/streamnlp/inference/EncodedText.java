package io.streamnlp.inference;

/**
 * The encoder's output for one text: what every task head works from, so that one forward pass
 * serves embeddings, sentiment and entities alike.
 *
 * @param sentenceVector pooled and L2-normalised sentence embedding
 * @param tokenStates last_hidden_state of this text's real tokens (no padding), flat [length x dim]
 * @param dimension hidden size
 * @param intermediateStates the hidden states of the encoder's intermediate layer
 *     ({@link EncoderSpec#intermediateOutput()}) for the same tokens, flat [length x dim]; null where the
 *     encoder exposes none
 */
public record EncodedText(float[] sentenceVector, float[] tokenStates, int dimension, float[] intermediateStates) {

    /** The output of an encoder that exposes no intermediate layer. */
    public EncodedText(float[] sentenceVector, float[] tokenStates, int dimension) {
        this(sentenceVector, tokenStates, dimension, null);
    }

    public int tokenCount() {
        return tokenStates.length / dimension;
    }
}
