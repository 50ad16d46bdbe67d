package io.streamnlp.training;

import io.streamnlp.model.Polarity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Readers of the labelled public data under {@code ../shared/data} (see its README): SST-2, SST
 * sentence level (binary and fine), the customer reviews and CoNLL-2003. The data is read in place
 * and never copied into the project.
 */
public final class HeadData {

    public static final String SST2_TRAIN = "sentiment/sst2/train.tsv";
    public static final String SST2_DEV = "sentiment/sst2/dev.tsv";
    public static final String SST2_TEST = "sentiment/sst2/test.tsv";
    public static final String SST_FINE_TRAIN = "sentiment/sst-sentence-level/stsa.fine.train";
    public static final String SST_FINE_DEV = "sentiment/sst-sentence-level/stsa.fine.dev";
    public static final String SST_FINE_TEST = "sentiment/sst-sentence-level/stsa.fine.test";
    public static final String CR = "sentiment/cr-customer-reviews/custrev.all";
    public static final String CONLL_TRAIN = "ner/conll2003/conllpp_train.txt";
    public static final String CONLL_DEV = "ner/conll2003/conllpp_dev.txt";
    public static final String CONLL_TEST_PP = "ner/conll2003/conllpp_test.txt";
    public static final String CONLL_TEST_ORIGINAL = "ner/conll2003/test_original.txt";

    /** A text with its class: {@link Polarity} ordinal (0 negative, 1 neutral, 2 positive). */
    public record LabelledText(String text, int label) {}

    /**
     * One CoNLL sentence; its text is the tokens joined by single spaces.
     *
     * @param tags IOB2 tags (any IOB1 input is normalised)
     */
    public record ConllSentence(List<String> tokens, List<String> tags) {

        /** A sentence with its tags normalised to IOB2 (IOB1 input and stray I- tags open a chunk). */
        public static ConllSentence of(List<String> tokens, List<String> tags) {
            return sentence(tokens, tags);
        }

        public String text() {
            return String.join(" ", tokens);
        }

        /** Start offset of each token in {@link #text()}. */
        public int[] starts() {
            int[] starts = new int[tokens.size()];
            int at = 0;
            for (int i = 0; i < tokens.size(); i++) {
                starts[i] = at;
                at += tokens.get(i).length() + 1;
            }
            return starts;
        }

        /** Gold entity spans as character offsets into {@link #text()}. */
        public List<ConllEval.Span> goldSpans() {
            int[] starts = starts();
            List<ConllEval.Span> spans = new ArrayList<>();
            for (ConllEval.Chunk c : ConllEval.chunks(tags)) {
                spans.add(new ConllEval.Span(c.type(), starts[c.start()],
                        starts[c.end() - 1] + tokens.get(c.end() - 1).length()));
            }
            return spans;
        }
    }

    private HeadData() {}

    /** Fails with a clear message when a data file is missing. */
    public static Path file(Path dataDir, String relative) {
        Path p = dataDir.resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("Data file " + p + " not found; --data must point at the shared "
                    + "data folder (the one with README.md, sentiment/ and ner/)");
        }
        return p;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** SST-2 GLUE tsv: header, then {@code label<TAB>sentence}; 0 negative, 1 positive. */
    public static List<LabelledText> sst2(Path file) {
        List<LabelledText> out = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 1; i < lines.size(); i++) {
            String line = strip(lines.get(i));
            if (line.isEmpty()) {
                continue;
            }
            int tab = line.indexOf('\t');
            int label = Integer.parseInt(line.substring(0, tab).trim());
            out.add(new LabelledText(line.substring(tab + 1).trim(), label == 1 ? 2 : 0));
        }
        return out;
    }

    /** {@code <0|1> sentence} (stsa.binary, custrev.all): 0 negative, 1 positive. */
    public static List<LabelledText> binary(Path file) {
        List<LabelledText> out = new ArrayList<>();
        for (String raw : lines(file)) {
            String line = strip(raw);
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            int label = Integer.parseInt(line.substring(0, space));
            out.add(new LabelledText(line.substring(space + 1).trim(), label == 1 ? 2 : 0));
        }
        return out;
    }

    /** {@code <0..4> sentence} (stsa.fine), grouped: 0-1 negative, 2 neutral, 3-4 positive. */
    public static List<LabelledText> fineGrouped(Path file) {
        List<LabelledText> out = new ArrayList<>();
        for (String raw : lines(file)) {
            String line = strip(raw);
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            int fine = Integer.parseInt(line.substring(0, space));
            out.add(new LabelledText(line.substring(space + 1).trim(), fine <= 1 ? 0 : fine == 2 ? 1 : 2));
        }
        return out;
    }

    /**
     * CoNLL columns: token first, NER tag last (4 columns in conllpp_*, 2 in test_original.txt, CRLF
     * tolerated); blank lines end sentences; -DOCSTART- lines are skipped.
     */
    public static List<ConllSentence> conll(Path file) {
        List<ConllSentence> out = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (String raw : lines(file)) {
            String line = strip(raw);
            if (line.isEmpty() || line.startsWith("-DOCSTART-")) {
                if (!tokens.isEmpty()) {
                    out.add(sentence(tokens, tags));
                    tokens = new ArrayList<>();
                    tags = new ArrayList<>();
                }
                continue;
            }
            String[] cols = line.split("\\s+");
            tokens.add(cols[0]);
            tags.add(cols[cols.length - 1]);
        }
        if (!tokens.isEmpty()) {
            out.add(sentence(tokens, tags));
        }
        return out;
    }

    private static ConllSentence sentence(List<String> tokens, List<String> tags) {
        String[] iob2 = new String[tags.size()];
        java.util.Arrays.fill(iob2, "O");
        for (ConllEval.Chunk c : ConllEval.chunks(tags)) {
            iob2[c.start()] = "B-" + c.type();
            for (int i = c.start() + 1; i < c.end(); i++) {
                iob2[i] = "I-" + c.type();
            }
        }
        return new ConllSentence(List.copyOf(tokens), List.of(iob2));
    }

    private static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** A fixed sample of {@code n} items (seeded; kept in their original order); all when {@code n <= 0} or {@code n >= size}. */
    public static <T> List<T> sample(List<T> items, int n, long seed) {
        if (n <= 0 || n >= items.size()) {
            return items;
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            idx.add(i);
        }
        java.util.Collections.shuffle(idx, new Random(seed));
        List<Integer> chosen = new ArrayList<>(idx.subList(0, n));
        java.util.Collections.sort(chosen);
        List<T> out = new ArrayList<>(n);
        for (int i : chosen) {
            out.add(items.get(i));
        }
        return out;
    }

    public static List<String> texts(List<LabelledText> items) {
        return items.stream().map(LabelledText::text).toList();
    }
}
