package io.streamnlp.pii;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The labelled corpus {@code src/test/resources/pii/corpus.txt}: texts with their gold spans. */
final class PiiCorpus {

    record Example(String text, List<PiiSpan> gold) {}

    private static final Pattern MARK = Pattern.compile("\\[\\[([A-Z_]+):(.*?)]]");

    private PiiCorpus() {}

    /** The development corpus (the detectors were tuned on it). */
    static List<Example> load() {
        return load("/pii/corpus.txt");
    }

    /** The held-out corpus, written after tuning and never used for it. */
    static List<Example> heldOut() {
        return load("/pii/heldout.txt");
    }

    static List<Example> load(String resource) {
        try (InputStream in = PiiCorpus.class.getResourceAsStream(resource)) {
            List<Example> examples = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    examples.add(parse(line));
                }
            }
            return examples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Example parse(String marked) {
        StringBuilder text = new StringBuilder();
        List<PiiSpan> gold = new ArrayList<>();
        Matcher m = MARK.matcher(marked);
        int at = 0;
        while (m.find()) {
            text.append(marked, at, m.start());
            int start = text.length();
            text.append(m.group(2));
            gold.add(new PiiSpan(PiiType.valueOf(m.group(1)), start, text.length()));
            at = m.end();
        }
        text.append(marked.substring(at));
        return new Example(text.toString(), gold);
    }
}
