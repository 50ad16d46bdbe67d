package io.streamnlp.bench;

import io.streamnlp.heads.Heads;
import io.streamnlp.inference.EncodedText;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSession;
import io.streamnlp.inference.TokenizedText;
import java.util.List;

/** The task heads' cost per text, on the encoder's real output, next to the encoder's own cost. */
final class HeadsBenchmark {

    record Result(double sentimentMicrosPerText, double nerMicrosPerText) {}

    private HeadsBenchmark() {}

    static Result run(Encoder encoder, Heads heads, List<String> texts, List<TokenizedText> tokens, int batchSize) {
        EncodedText[] encoded = new EncodedText[texts.size()];
        try (EncoderSession session = encoder.newSession()) {
            for (int i = 0; i < texts.size(); i += batchSize) {
                EncodedText[] batch = session.encode(tokens.subList(i, Math.min(texts.size(), i + batchSize)));
                System.arraycopy(batch, 0, encoded, i, batch.length);
            }
        }
        for (int warm = 0; warm < Math.min(50, texts.size()); warm++) {
            heads.sentiment().predict(encoded[warm]);
            heads.ner().predict(texts.get(warm), tokens.get(warm), encoded[warm]);
        }
        long started = System.nanoTime();
        for (EncodedText e : encoded) {
            heads.sentiment().predict(e);
        }
        long sentimentNanos = System.nanoTime() - started;
        started = System.nanoTime();
        for (int i = 0; i < texts.size(); i++) {
            heads.ner().predict(texts.get(i), tokens.get(i), encoded[i]);
        }
        long nerNanos = System.nanoTime() - started;
        return new Result(sentimentNanos / 1e3 / texts.size(), nerNanos / 1e3 / texts.size());
    }
}
