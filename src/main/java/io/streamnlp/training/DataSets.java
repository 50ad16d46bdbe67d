package io.streamnlp.training;

import io.streamnlp.model.EntityKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The labelled sets of the shared data folder (see its README) and of the user's own files, read in
 * place, with their labels mapped onto the heads' classes: negative / neutral / positive and
 * PER / ORG / LOC / MISC. The mapping of every set is documented in the model card
 * ({@code heads/MODEL_CARD.md}, "Data and licences"); this class is its implementation.
 *
 * <p>A set is read whole: every text of its file is kept, in file order, so that the feature cache
 * encodes a file once whatever is later filtered out. Items a mapping drops (GoEmotions comments
 * labelled both negative and positive, ABSA sentences whose aspects disagree) and training items
 * removed by de-duplication carry the label {@link #DROPPED} (sentiment) or {@code use = false}
 * (NER).
 */
public final class DataSets {

    /** Label of a sentiment item that is not used (dropped by its set's mapping or by de-duplication). */
    public static final int DROPPED = -1;

    // Sentiment files (relative to the data folder).
    public static final String SEMEVAL = "sentiment/semeval2017-task4a/";
    /** The SemEval-2017 4A files trained on: every 2013-2016 release but the 2016 devtest and test. */
    public static final List<String> SEMEVAL_TRAIN = List.of("twitter-2013train-A.txt", "twitter-2013dev-A.txt",
            "twitter-2013test-A.txt", "twitter-2014test-A.txt", "twitter-2014sarcasm-A.txt",
            "twitter-2015train-A.txt", "twitter-2015test-A.txt", "twitter-2016train-A.txt", "twitter-2016dev-A.txt",
            "sms-2013test-A.tsv", "livejournal-2014test-A.tsv");
    /** Model selection only, never trained on. */
    public static final String SEMEVAL_SELECT = SEMEVAL + "twitter-2016devtest-A.txt";
    /** Held out. */
    public static final String SEMEVAL_TEST = SEMEVAL + "twitter-2016test-A.txt";
    public static final String GOEMOTIONS_TRAIN = "sentiment/goemotions/group/train.tsv";
    public static final String GOEMOTIONS_DEV = "sentiment/goemotions/group/dev.tsv";
    public static final String GOEMOTIONS_TEST = "sentiment/goemotions/group/test.tsv";
    public static final String ABSA_RESTAURANTS = "sentiment/semeval2014-absa/Restaurants_Train_v2.xml";
    public static final String ABSA_LAPTOPS = "sentiment/semeval2014-absa/Laptop_Train_v2.xml";
    public static final String AIRLINE = "sentiment/airline-tweets/Tweets.csv";

    // NER files.
    public static final String BTC_TRAIN = "ner/broad-twitter-corpus/btc.train";
    public static final String BTC_DEV = "ner/broad-twitter-corpus/btc.dev";
    public static final String BTC_TEST = "ner/broad-twitter-corpus/btc.test";
    public static final String WNUT_TRAIN = "ner/wnut17/wnut17train.conll";
    public static final String WNUT_DEV = "ner/wnut17/emerging.dev.conll";
    public static final String UNER_DEV = "ner/uner-english-ewt/en_ewt-ud-dev.iob2";
    public static final String UNER_TEST = "ner/uner-english-ewt/en_ewt-ud-test.iob2";
    public static final String TWEEBANK_TRAIN = "ner/tweebank-ner/train.bio";
    public static final String TWEEBANK_DEV = "ner/tweebank-ner/dev.bio";
    public static final String TWEEBANK_TEST = "ner/tweebank-ner/test.bio";

    public static final Set<EntityKind> ALL_TYPES = EnumSet.allOf(EntityKind.class);
    public static final Set<EntityKind> PER_ORG_LOC = EnumSet.of(EntityKind.PER, EntityKind.ORG, EntityKind.LOC);

    /**
     * WNUT-17 types onto the heads' types: person, location, corporation as the issue maps them;
     * group (bands, teams, parties: ORG in CoNLL's guidelines) to ORG; product and creative-work
     * (CoNLL puts works of art and products under MISC) to MISC.
     */
    public static final Map<String, String> WNUT_TYPES = Map.of("person", "PER", "location", "LOC", "corporation",
            "ORG", "group", "ORG", "product", "MISC", "creative-work", "MISC");

    /**
     * One sentiment set: every text of its file with its class (0 negative, 1 neutral, 2 positive,
     * {@link #DROPPED}).
     *
     * @param twoClass labels are negative / positive only: scored on the two-class view
     * @param domain for per-domain weights and reports: sst, tweets, reddit, reviews, user
     */
    public record SentimentCorpus(String name, String cacheName, List<String> texts, int[] labels, boolean twoClass,
            String domain) {

        public int used() {
            int n = 0;
            for (int l : labels) {
                n += l >= 0 ? 1 : 0;
            }
            return n;
        }

        /** A copy with other labels (e.g. after de-duplication). */
        public SentimentCorpus withLabels(int[] newLabels) {
            return new SentimentCorpus(name, cacheName, texts, newLabels, twoClass, domain);
        }

        /** The used items, as the older readers return them. */
        public List<HeadData.LabelledText> items() {
            List<HeadData.LabelledText> out = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                if (labels[i] >= 0) {
                    out.add(new HeadData.LabelledText(texts.get(i), labels[i]));
                }
            }
            return out;
        }
    }

    /**
     * One NER set: every sentence of its file; {@code use[i]} is false for sentences dropped by
     * de-duplication.
     *
     * @param types the entity types the set annotates: a word tagged O in a set without MISC may be
     *     a MISC entity of CoNLL's guidelines, so training lets it be O or MISC, and evaluation scores
     *     only these types
     */
    public record NerCorpus(String name, String cacheName, List<HeadData.ConllSentence> sentences, boolean[] use,
            Set<EntityKind> types, String domain) {

        public int used() {
            int n = 0;
            for (boolean u : use) {
                n += u ? 1 : 0;
            }
            return n;
        }

        public NerCorpus withUse(boolean[] newUse) {
            return new NerCorpus(name, cacheName, sentences, newUse, types, domain);
        }

        public List<String> texts() {
            return sentences.stream().map(HeadData.ConllSentence::text).toList();
        }

        /** The used sentences. */
        public List<HeadData.ConllSentence> usedSentences() {
            List<HeadData.ConllSentence> out = new ArrayList<>();
            for (int i = 0; i < sentences.size(); i++) {
                if (use[i]) {
                    out.add(sentences.get(i));
                }
            }
            return out;
        }
    }

    private DataSets() {}

    // ---------------------------------------------------------------- sentiment readers

    static SentimentCorpus sentiment(String name, String cacheName, List<HeadData.LabelledText> items, boolean twoClass,
            String domain) {
        List<String> texts = new ArrayList<>(items.size());
        int[] labels = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            texts.add(items.get(i).text());
            labels[i] = items.get(i).label();
        }
        return new SentimentCorpus(name, cacheName, texts, labels, twoClass, domain);
    }

    public static SentimentCorpus sst2(Path data, String file, String name, String cacheName) {
        return sentiment(name, cacheName, HeadData.sst2(HeadData.file(data, file)), true, "sst");
    }

    public static SentimentCorpus sstFine(Path data, String file, String name, String cacheName) {
        return sentiment(name, cacheName, HeadData.fineGrouped(HeadData.file(data, file)), false, "sst");
    }

    public static SentimentCorpus cr(Path data) {
        return sentiment("CR", "cr", HeadData.binary(HeadData.file(data, HeadData.CR)), true, "reviews");
    }

    /** A SemEval item keeps its tweet id for de-duplication across the releases. */
    public record Identified(String id, String text, int label) {}

    /**
     * SemEval-2017 4A: {@code id<TAB>label<TAB>text} (twitter-*.txt) or {@code id<TAB>id<TAB>label<TAB>text}
     * (sms, livejournal); {@code \u2019}-style escapes decoded; the 2016 test's CSV quoting
     * ({@code "..."} with {@code ""} inside, fields that run over a line end) undone.
     */
    public static List<Identified> semeval(Path file) {
        List<String> lines = lines(file);
        boolean fourColumns = file.getFileName().toString().endsWith(".tsv");
        java.util.regex.Pattern record = java.util.regex.Pattern.compile(fourColumns
                ? "^[^\\t]+\\t[^\\t]+\\t(positive|negative|neutral)\\t.*"
                : "^[^\\t]+\\t(positive|negative|neutral)\\t.*", java.util.regex.Pattern.DOTALL);
        // Physical lines into records: a line that does not start like a record continues the last one.
        List<String> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (record.matcher(line).matches()) {
                records.add(line);
            } else if (!records.isEmpty() && !line.isBlank()) {
                records.set(records.size() - 1, records.get(records.size() - 1) + "\n" + line);
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a SemEval record");
            }
        }
        List<Identified> out = new ArrayList<>();
        int labelCol = fourColumns ? 2 : 1;
        for (String r : records) {
            String[] cols = r.split("\t", -1);
            String id = fourColumns ? cols[0] + "/" + cols[1] : cols[0];
            String text = String.join("\t", Arrays.copyOfRange(cols, labelCol + 1, cols.length)).strip();
            if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
                // CSV quoting, applied twice in some releases (\"""" for one quote).
                text = text.substring(1, text.length() - 1);
                while (text.contains("\"\"")) {
                    text = text.replace("\"\"", "\"");
                }
                text = text.replace("\\\"", "\"");
            }
            out.add(new Identified(id, unescape(text).strip(), polarity(cols[labelCol].trim(), file)));
        }
        return out;
    }

    /** Decodes {@code \\uXXXX} escapes (SemEval's files carry them for commas, quotes, apostrophes). */
    static String unescape(String s) {
        if (s.indexOf("\\u") < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 5 < s.length() && s.charAt(i + 1) == 'u' && isHex(s, i + 2, i + 6)) {
                sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isHex(String s, int from, int to) {
        if (to > s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** negative / neutral / positive (any case) to 0 / 1 / 2. */
    public static int polarity(String label, Object where) {
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "negative" -> 0;
            case "neutral" -> 1;
            case "positive" -> 2;
            default -> throw new IllegalArgumentException(where + ": unknown sentiment label '" + label
                    + "' (expected negative, neutral or positive)");
        };
    }

    public static SentimentCorpus semevalSet(Path data, String file, String name, String cacheName) {
        List<Identified> items = semeval(HeadData.file(data, file));
        List<String> texts = new ArrayList<>();
        int[] labels = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            texts.add(items.get(i).text());
            labels[i] = items.get(i).label();
        }
        return new SentimentCorpus(name, cacheName, texts, labels, false, "tweets");
    }

    /**
     * The SemEval training releases as one set, de-duplicated by tweet id (the first release that
     * has an id keeps it; ids repeat across releases).
     */
    public static SentimentCorpus semevalTrain(Path data) {
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String f : SEMEVAL_TRAIN) {
            for (Identified item : semeval(HeadData.file(data, SEMEVAL + f))) {
                texts.add(item.text());
                labels.add(seen.add(item.id()) ? item.label() : DROPPED);
            }
        }
        return new SentimentCorpus("SemEval-2017 4A train (2013-2016)", "semeval_train", texts,
                labels.stream().mapToInt(Integer::intValue).toArray(), false, "tweets");
    }

    /** Tweet ids of a SemEval file (the held-out and selection files' ids are removed from training). */
    public static Set<String> semevalIds(Path data, String file) {
        Set<String> ids = new java.util.HashSet<>();
        for (Identified item : semeval(HeadData.file(data, file))) {
            ids.add(item.id());
        }
        return ids;
    }

    /**
     * Drops the SemEval training items whose tweet id is in {@code excluded} (an id of the held-out
     * or selection releases).
     */
    public static SentimentCorpus withoutIds(Path data, SentimentCorpus train, Set<String> excluded) {
        int[] labels = train.labels().clone();
        int k = 0;
        for (String f : SEMEVAL_TRAIN) {
            for (Identified item : semeval(HeadData.file(data, SEMEVAL + f))) {
                if (excluded.contains(item.id())) {
                    labels[k] = DROPPED;
                }
                k++;
            }
        }
        return train.withLabels(labels);
    }

    /**
     * GoEmotions grouped to sentiment ({@code text<TAB>labels<TAB>id}, labels indices of
     * ambiguous, negative, neutral, positive): a comment with both negative and positive is dropped;
     * else negative or positive if either is among its labels; else (neutral, ambiguous: surprise,
     * curiosity, confusion, realisation) neutral.
     */
    public static SentimentCorpus goEmotions(Path data, String file, String name, String cacheName) {
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String line : lines(HeadData.file(data, file))) {
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            boolean neg = false;
            boolean pos = false;
            for (String l : cols[1].split(",")) {
                switch (l.trim()) {
                    case "1" -> neg = true;
                    case "3" -> pos = true;
                    case "0", "2" -> { }
                    default -> throw new IllegalArgumentException(file + ": unknown GoEmotions group '" + l + "'");
                }
            }
            texts.add(cols[0].strip());
            labels.add(neg && pos ? DROPPED : neg ? 0 : pos ? 2 : 1);
        }
        return new SentimentCorpus(name, cacheName, texts, labels.stream().mapToInt(Integer::intValue).toArray(), false,
                "reddit");
    }

    /**
     * SemEval-2014 ABSA review sentences: the sentence takes the polarity its aspect terms and aspect
     * categories agree on: all polar ones (positive, negative) equal, neutral ones not counting
     * against; only neutral aspects: neutral. Dropped: sentences with a conflict aspect, with both
     * polarities, or with no aspect at all (most of the laptop file's unannotated sentences).
     */
    public static SentimentCorpus absa(Path data, String file, String name, String cacheName) {
        Document doc;
        try (InputStream in = Files.newInputStream(HeadData.file(data, file))) {
            byte[] bytes = in.readAllBytes();
            String xml = new String(bytes, StandardCharsets.UTF_8).strip(); // the laptop file starts with a space
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            doc = factory.newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (Exception e) {
            throw new IllegalArgumentException("Cannot parse " + file + ": " + e.getMessage(), e);
        }
        NodeList sentences = doc.getElementsByTagName("sentence");
        List<String> texts = new ArrayList<>();
        int[] labels = new int[sentences.getLength()];
        for (int i = 0; i < sentences.getLength(); i++) {
            Element s = (Element) sentences.item(i);
            texts.add(s.getElementsByTagName("text").item(0).getTextContent().strip());
            boolean neg = false;
            boolean pos = false;
            boolean neutral = false;
            boolean conflict = false;
            for (String tag : List.of("aspectTerm", "aspectCategory")) {
                NodeList aspects = s.getElementsByTagName(tag);
                for (int a = 0; a < aspects.getLength(); a++) {
                    switch (((Element) aspects.item(a)).getAttribute("polarity")) {
                        case "negative" -> neg = true;
                        case "positive" -> pos = true;
                        case "neutral" -> neutral = true;
                        default -> conflict = true;
                    }
                }
            }
            labels[i] = conflict || (neg && pos) ? DROPPED : neg ? 0 : pos ? 2 : neutral ? 1 : DROPPED;
        }
        return new SentimentCorpus(name, cacheName, texts, labels, false, "reviews");
    }

    /** The airline tweets (CSV: {@code airline_sentiment}, {@code text} columns). CC BY-NC-SA 4.0. */
    public static SentimentCorpus airline(Path data) {
        List<List<String>> rows = csv(readString(HeadData.file(data, AIRLINE)));
        List<String> header = rows.get(0);
        int label = header.indexOf("airline_sentiment");
        int text = header.indexOf("text");
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() <= Math.max(label, text)) {
                continue;
            }
            texts.add(row.get(text).strip());
            labels.add(polarity(row.get(label).trim(), AIRLINE));
        }
        return new SentimentCorpus("Airline tweets", "airline", texts,
                labels.stream().mapToInt(Integer::intValue).toArray(), false, "tweets");
    }

    /** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line ends. */
    static List<List<String>> csv(String content) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < content.length() && content.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                if (!(row.size() == 1 && row.get(0).isEmpty())) {
                    rows.add(row);
                }
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (!field.isEmpty() || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    /**
     * The user's own sentiment data: UTF-8, one item per line, {@code text<TAB>label} with label
     * negative, neutral or positive; blank lines and lines starting with {@code #} are skipped.
     */
    public static SentimentCorpus userSentiment(Path file) {
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.lastIndexOf('\t');
            if (tab <= 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1)
                        + ": expected text<TAB>negative|neutral|positive");
            }
            texts.add(line.substring(0, tab).strip());
            labels.add(polarity(line.substring(tab + 1).trim(), file + ":" + (i + 1)));
        }
        String base = file.getFileName().toString();
        return new SentimentCorpus("user: " + base, "user_" + base.replaceAll("[^A-Za-z0-9_.-]", "_"), texts,
                labels.stream().mapToInt(Integer::intValue).toArray(), false, "user");
    }

    // ---------------------------------------------------------------- NER readers

    public static NerCorpus ner(String name, String cacheName, List<HeadData.ConllSentence> sentences,
            Set<EntityKind> types, String domain) {
        boolean[] use = new boolean[sentences.size()];
        Arrays.fill(use, true);
        return new NerCorpus(name, cacheName, sentences, use, types, domain);
    }

    public static NerCorpus conll(Path data, String file, String name, String cacheName) {
        return ner(name, cacheName, HeadData.conll(HeadData.file(data, file)), ALL_TYPES, "news");
    }

    /**
     * Broad Twitter Corpus ({@code token<TAB>tag}, PER/ORG/LOC). Its user mentions are tagged as
     * entities, the {@code @} and the handle each as a B- chunk of its own; this project follows
     * WNUT-17 and Tweebank, where a mention is not an entity, so with {@code mentionsO} the two tokens
     * are relabelled O (training, and the "mentions O" evaluation row).
     */
    public static NerCorpus btc(Path data, String file, String name, String cacheName, boolean mentionsO) {
        List<HeadData.ConllSentence> sentences = columns(HeadData.file(data, file), 0, -1, Map.of(), "\t");
        if (mentionsO) {
            sentences = sentences.stream().map(DataSets::mentionsToO).toList();
        }
        return ner(name, cacheName, sentences, PER_ORG_LOC, "tweets");
    }

    /** Relabels O the tokens of user mentions: a token "@" and the token after it, or a token "@handle". */
    static HeadData.ConllSentence mentionsToO(HeadData.ConllSentence s) {
        List<String> tags = new ArrayList<>(s.tags());
        boolean changed = false;
        for (int i = 0; i < tags.size(); i++) {
            String tok = s.tokens().get(i);
            boolean mention = tok.length() > 1 && tok.charAt(0) == '@';
            if (tok.equals("@") && i + 1 < tags.size()) {
                changed |= !tags.get(i).equals("O") || !tags.get(i + 1).equals("O");
                tags.set(i, "O");
                tags.set(i + 1, "O");
                i++;
            } else if (mention && !tags.get(i).equals("O")) {
                tags.set(i, "O");
                changed = true;
            }
        }
        return changed ? HeadData.ConllSentence.of(s.tokens(), tags) : s;
    }

    /** WNUT-17 ({@code token<TAB>tag}), types mapped with {@link #WNUT_TYPES}. */
    public static NerCorpus wnut(Path data, String file, String name, String cacheName) {
        return ner(name, cacheName, columns(HeadData.file(data, file), 0, -1, WNUT_TYPES, "\t"), ALL_TYPES, "tweets");
    }

    /** Tweebank-NER ({@code token - - tag}, space separated, PER/ORG/LOC/MISC). */
    public static NerCorpus tweebank(Path data, String file, String name, String cacheName) {
        return ner(name, cacheName, columns(HeadData.file(data, file), 0, -1, Map.of(), "\\s+"), ALL_TYPES, "tweets");
    }

    /**
     * Universal NER over the English Web Treebank ({@code # ...} comments, then
     * {@code index<TAB>token<TAB>tag<TAB>-<TAB>-}; PER/ORG/LOC). {@code part}: all sentences (-1), or
     * only those of documents whose index (order of {@code # newdoc}) mod 4 is (part = 3) or is not
     * (part = 0..2, i.e. "the other three quarters") 3: the dev split is three quarters training and
     * one quarter model selection.
     */
    public static NerCorpus uner(Path data, String file, String name, String cacheName, int part) {
        List<HeadData.ConllSentence> out = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int doc = -1;
        int sentenceDoc = 0;
        for (String line : lines(HeadData.file(data, file))) {
            if (line.startsWith("# newdoc")) {
                doc++;
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank()) {
                if (!tokens.isEmpty()) {
                    if (keep(part, sentenceDoc)) {
                        out.add(HeadData.ConllSentence.of(tokens, tags));
                    }
                    tokens = new ArrayList<>();
                    tags = new ArrayList<>();
                }
                continue;
            }
            String[] cols = line.split("\t");
            if (cols[0].contains("-") || cols[0].contains(".")) {
                continue; // multi-word token ranges / empty nodes, if any
            }
            if (tokens.isEmpty()) {
                sentenceDoc = Math.max(doc, 0);
            }
            tokens.add(cols[1]);
            tags.add(cols[2]);
        }
        if (!tokens.isEmpty() && keep(part, sentenceDoc)) {
            out.add(HeadData.ConllSentence.of(tokens, tags));
        }
        return ner(name, cacheName, out, PER_ORG_LOC, "web");
    }

    private static boolean keep(int part, int doc) {
        return part < 0 || (part == 3 ? doc % 4 == 3 : doc % 4 != 3);
    }

    /**
     * The user's own NER data: CoNLL columns (whitespace separated, token first, IOB2 or IOB1 tag
     * last, types PER, ORG, LOC, MISC), blank lines between sentences, {@code -DOCSTART-} lines
     * skipped; the types it annotates are {@code types} (all four unless said otherwise).
     */
    public static NerCorpus userNer(Path file, Set<EntityKind> types) {
        List<HeadData.ConllSentence> sentences = columns(file, 0, -1, Map.of(), "\\s+");
        for (HeadData.ConllSentence s : sentences) {
            for (String tag : s.tags()) {
                if (!tag.equals("O")) {
                    String type = tag.substring(2);
                    try {
                        EntityKind.valueOf(type);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(file + ": unknown entity type '" + type
                                + "' (expected PER, ORG, LOC or MISC)");
                    }
                }
            }
        }
        String base = file.getFileName().toString();
        return ner("user: " + base, "user_" + base.replaceAll("[^A-Za-z0-9_.-]", "_"), sentences, types, "user");
    }

    /**
     * A column file: blank lines end sentences, {@code -DOCSTART-} lines skipped; token in column
     * {@code tokenCol}, tag in column {@code tagCol} (-1 = last); tag types renamed by {@code typeMap}
     * (types absent from a non-empty map are an error).
     */
    static List<HeadData.ConllSentence> columns(Path file, int tokenCol, int tagCol, Map<String, String> typeMap,
            String separator) {
        List<HeadData.ConllSentence> out = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        List<String> lines = lines(file);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank() || line.startsWith("-DOCSTART-")) {
                if (!tokens.isEmpty()) {
                    out.add(HeadData.ConllSentence.of(tokens, tags));
                    tokens = new ArrayList<>();
                    tags = new ArrayList<>();
                }
                continue;
            }
            String[] cols = separator.equals("\t") ? line.split("\t") : line.strip().split(separator);
            if (cols.length < 2) {
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": expected a token and a tag");
            }
            String token = cols[tokenCol].strip();
            String tag = cols[tagCol < 0 ? cols.length - 1 : tagCol].strip();
            if (token.isEmpty()) {
                continue;
            }
            if (!tag.equals("O")) {
                if (tag.length() < 3 || tag.charAt(1) != '-' || "BI".indexOf(tag.charAt(0)) < 0) {
                    throw new IllegalArgumentException(file + ":" + (n + 1) + ": bad tag '" + tag + "'");
                }
                String type = tag.substring(2);
                if (!typeMap.isEmpty()) {
                    String mapped = typeMap.get(type);
                    if (mapped == null) {
                        throw new IllegalArgumentException(file + ":" + (n + 1) + ": unmapped type '" + type + "'");
                    }
                    type = mapped;
                }
                tag = tag.charAt(0) + "-" + type;
            }
            tokens.add(token);
            tags.add(tag);
        }
        if (!tokens.isEmpty()) {
            out.add(HeadData.ConllSentence.of(tokens, tags));
        }
        return out;
    }

    // ---------------------------------------------------------------- de-duplication

    /** The key texts are compared by: NFC, lower case, whitespace collapsed. */
    public static String key(String text) {
        return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC).toLowerCase(Locale.ROOT)
                .replaceAll("\\s+", " ").strip();
    }

    /**
     * Drops from the training sets every item whose text (by {@link #key}) is in a held-out or
     * selection set, and every repeat of a text already used by an earlier training item (sets in
     * order). Returns the counts dropped per set name.
     */
    public static Map<String, int[]> dedupeSentiment(List<SentimentCorpus> train, List<SentimentCorpus> heldOut,
            List<SentimentCorpus> out) {
        Set<String> blocked = new java.util.HashSet<>();
        for (SentimentCorpus s : heldOut) {
            for (String t : s.texts()) {
                blocked.add(key(t));
            }
        }
        Set<String> seen = new java.util.HashSet<>();
        Map<String, int[]> dropped = new LinkedHashMap<>();
        for (SentimentCorpus s : train) {
            int[] labels = s.labels().clone();
            int[] counts = new int[2];
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0) {
                    continue;
                }
                String k = key(s.texts().get(i));
                if (blocked.contains(k)) {
                    labels[i] = DROPPED;
                    counts[0]++;
                } else if (!seen.add(k)) {
                    labels[i] = DROPPED;
                    counts[1]++;
                }
            }
            dropped.put(s.name(), counts);
            out.add(s.withLabels(labels));
        }
        return dropped;
    }

    /** As {@link #dedupeSentiment}, for NER sentences (by the key of their token text). */
    public static Map<String, int[]> dedupeNer(List<NerCorpus> train, List<NerCorpus> heldOut, List<NerCorpus> out) {
        Set<String> blocked = new java.util.HashSet<>();
        for (NerCorpus s : heldOut) {
            for (HeadData.ConllSentence t : s.sentences()) {
                blocked.add(key(t.text()));
            }
        }
        Set<String> seen = new java.util.HashSet<>();
        Map<String, int[]> dropped = new LinkedHashMap<>();
        for (NerCorpus s : train) {
            boolean[] use = s.use().clone();
            int[] counts = new int[2];
            for (int i = 0; i < use.length; i++) {
                if (!use[i]) {
                    continue;
                }
                String k = key(s.sentences().get(i).text());
                if (blocked.contains(k)) {
                    use[i] = false;
                    counts[0]++;
                } else if (!seen.add(k)) {
                    use[i] = false;
                    counts[1]++;
                }
            }
            dropped.put(s.name(), counts);
            out.add(s.withUse(use));
        }
        return dropped;
    }

    // ---------------------------------------------------------------- files

    static List<String> lines(Path file) {
        String s = readString(file);
        List<String> out = new ArrayList<>(Arrays.asList(s.split("\r?\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    static String readString(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Counts of each label among the used items: [negative, neutral, positive]. */
    static int[] labelCounts(SentimentCorpus s) {
        int[] c = new int[3];
        for (int l : s.labels()) {
            if (l >= 0) {
                c[l]++;
            }
        }
        return c;
    }

    static Map<String, Integer> typeCounts(NerCorpus s) {
        Map<String, Integer> c = new HashMap<>();
        for (int i = 0; i < s.sentences().size(); i++) {
            if (s.use()[i]) {
                for (ConllEval.Chunk ch : ConllEval.chunks(s.sentences().get(i).tags())) {
                    c.merge(ch.type(), 1, Integer::sum);
                }
            }
        }
        return c;
    }
}
