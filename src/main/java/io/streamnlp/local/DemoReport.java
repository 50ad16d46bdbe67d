package io.streamnlp.local;

import io.streamnlp.schema.EmbeddingRecord;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Prints the demo's table: id, first words, tokens, and the nearest other sample by cosine. */
final class DemoReport {

    private final PrintStream out;
    private final int rows;

    DemoReport(PrintStream out, int rows) {
        this.out = out;
        this.rows = rows;
    }

    void print(List<SampleReviews.Review> reviews, Map<String, EmbeddingRecord> embeddings) {
        EmbeddingRecord any = embeddings.values().iterator().next();
        out.printf("Model %s (%s), dimension %d%n", any.getModel(), any.getModelVersion(), any.getDimension());
        String format = "%-6s %-44s %6s  %-6s %-40s %6s%n";
        out.printf(format, "id", "text", "tokens", "near", "nearest other review", "cosine");
        out.printf(format, "-".repeat(6), "-".repeat(44), "-".repeat(6), "-".repeat(6), "-".repeat(40), "-".repeat(6));
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
            out.printf(format, review.id(), clip(review.text(), 44), tokens, reviews.get(nearest).id(),
                    clip(reviews.get(nearest).text(), 40), String.format("%.3f", best));
        }
        if (shown < reviews.size()) {
            out.printf("(%d of %d rows; --rows N shows more; '+' marks a truncated text)%n", shown, reviews.size());
        }
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
