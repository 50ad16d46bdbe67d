package io.streamnlp.local;

import io.streamnlp.samples.SampleReviews;
import io.streamnlp.schema.EmbeddingRecord;
import io.streamnlp.schema.ClassLabel;
import io.streamnlp.schema.EntitiesRecord;
import io.streamnlp.schema.LabelsRecord;
import io.streamnlp.schema.SentimentRecord;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Prints the demo's table: id, first words, tokens, sentiment, entities, and the nearest other sample by cosine. */
final class DemoReport {

    private final PrintStream out;
    private final int rows;

    DemoReport(PrintStream out, int rows) {
        this.out = out;
        this.rows = rows;
    }

    void print(List<SampleReviews.Review> reviews, Map<String, EmbeddingRecord> embeddings,
            Map<String, SentimentRecord> sentiment, Map<String, EntitiesRecord> entities) {
        EmbeddingRecord any = embeddings.values().iterator().next();
        SentimentRecord anySentiment = sentiment.values().iterator().next();
        out.printf("Model %s (%s), dimension %d; heads: sentiment %s, entities %s%n", any.getModel(),
                any.getModelVersion(), any.getDimension(), anySentiment.getHeadVersion(),
                entities.values().iterator().next().getHeadVersion());
        String format = "%-6s %-34s %4s  %-12s %-30s %-6s %-24s %5s%n";
        out.printf(format, "id", "text", "tok", "sentiment", "entities", "near", "nearest other review", "cos");
        out.printf(format, "-".repeat(6), "-".repeat(34), "-".repeat(4), "-".repeat(12), "-".repeat(30), "-".repeat(6),
                "-".repeat(24), "-".repeat(5));
        float[][] vectors = reviews.stream().map(r -> toArray(embeddings.get(r.id()))).toArray(float[][]::new);
        int shown = Math.min(rows, reviews.size());
        for (int i = 0; i < shown; i++) {
            SampleReviews.Review review = reviews.get(i);
            int nearest = -1;
            double best = -2;
            for (int j = 0; j < reviews.size(); j++) {
                if (j != i && !reviews.get(j).text().equals(review.text())) {
                    double cosine = dot(vectors[i], vectors[j]);
                    if (cosine > best) {
                        best = cosine;
                        nearest = j;
                    }
                }
            }
            EmbeddingRecord record = embeddings.get(review.id());
            String tokens = record.getTokenCount() + (record.getTruncated() ? "+" : "");
            out.printf(format, review.id(), clip(review.text(), 34), tokens, sentiment(sentiment.get(review.id())),
                    clip(entities(entities.get(review.id())), 30), reviews.get(nearest).id(),
                    clip(reviews.get(nearest).text(), 24), String.format("%.2f", best));
        }
        if (shown < reviews.size()) {
            out.printf("(%d of %d rows; --rows N shows more; '+' marks a truncated text)%n", shown, reviews.size());
        }
    }

    /**
     * The classifier heads' answers ({@code classifiers}, from {@code <prefix>.labels}): one row per
     * review as in the table above, each classifier's label and its probability.
     */
    void printLabels(List<SampleReviews.Review> reviews, Map<String, LabelsRecord> labels) {
        LabelsRecord any = labels.values().iterator().next();
        out.printf("%nClassifier heads: %s%n", String.join(", ", any.getLabels().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().getHeadVersion()).toList()));
        String format = "%-6s %-50s %s%n";
        out.printf(format, "id", "text", "labels");
        out.printf(format, "-".repeat(6), "-".repeat(50), "-".repeat(30));
        int shown = Math.min(rows, reviews.size());
        for (int i = 0; i < shown; i++) {
            SampleReviews.Review review = reviews.get(i);
            StringBuilder answers = new StringBuilder();
            for (Map.Entry<String, ClassLabel> answer : labels.get(review.id()).getLabels().entrySet()) {
                ClassLabel label = answer.getValue();
                answers.append(answers.isEmpty() ? "" : ", ").append(answer.getKey()).append('=').append(label.getLabel())
                        .append(String.format(" %.2f", label.getProbabilities().get(label.getLabel())));
            }
            out.printf(format, review.id(), clip(review.text(), 50), answers);
        }
    }

    private static String sentiment(SentimentRecord record) {
        if (record.getLabel() == null) {
            // Not judged: the text's language is none of the heads' (language.unsupported.policy=skip).
            return "- (" + record.getDetectedLanguage() + ")";
        }
        float p = switch (record.getLabel()) {
            case NEGATIVE -> record.getNegative();
            case NEUTRAL -> record.getNeutral();
            case POSITIVE -> record.getPositive();
        };
        return String.format("%s %.2f", record.getLabel().name().substring(0, 3).toLowerCase(), p);
    }

    private static String entities(EntitiesRecord record) {
        return record.getEntities().stream().map(e -> e.getText() + "/" + e.getType())
                .reduce((a, b) -> a + ", " + b).orElse("-");
    }

    private static float[] toArray(EmbeddingRecord record) {
        List<Float> values = record.getVector();
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static String clip(String text, int width) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= width ? flat : flat.substring(0, width - 1) + "…";
    }
}
