package io.streamnlp.training;

import io.streamnlp.heads.ClassifierHead;
import io.streamnlp.heads.HeadFile;
import io.streamnlp.heads.Mlp;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderGraph;
import io.streamnlp.inference.EncoderSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Trains a classifier head over the user's own labels ({@code train --classifier NAME --classifier-data FILE})
 * on the frozen pooled sentence vectors, and writes {@code classifier-<NAME>.bin}.
 *
 * <ul>
 *   <li>Data: UTF-8 lines {@code text<TAB>label} (any label set, at least two labels; blank lines skipped; one
 *       label per line; the label is after the last tab). A text seen again (same normal form) is used
 *       once, with its first label.</li>
 *   <li>Held out: the {@code --classifier-held-out} files, else a seeded, per-label (stratified) {@value
 *       #DEFAULT_HELD_OUT_PERCENT} % of the texts (at least one of every label with two or more); never
 *       trained on, never used for a choice; only reported.</li>
 *   <li>Model choice: of the rest, a seeded, stratified 15 % is the validation split; a softmax (logistic)
 *       regression and a one-hidden-layer MLP (256 ReLU units, dropout) are trained on the other 85 % with
 *       AdamW, each keeping its best epoch by validation macro F1, and the better of the two on the
 *       validation split is written.</li>
 * </ul>
 *
 * Seeded and deterministic: the same files, seed and thread count write the same bytes.
 */
public final class ClassifierTrainer {

    /** Release of the classifier head format: the {@code v1} in {@code classifier-tickets-v1-3fa2b1c0}. */
    public static final String RELEASE = "1";
    public static final int DEFAULT_HELD_OUT_PERCENT = 20;
    static final double VALIDATION_FRACTION = 0.15;
    static final int MLP_HIDDEN = 256;

    /** One labelled text. */
    public record Example(String text, String label) {}

    /**
     * @param name the classifier's name (its file, its key on the records, the {@code classifiers} setting)
     * @param data the training files
     * @param heldOut files held out for the report; empty: a share of {@code data} is held out instead
     * @param heldOutFraction the share of {@code data} held out when {@code heldOut} is empty
     */
    public record Options(String name, List<Path> data, List<Path> heldOut, double heldOutFraction, long seed,
            int threads) {

        public Options {
            if (!ClassifierHead.VALID_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("--classifier '" + name + "': use letters, digits, _ . - (up to 64)");
            }
            if (data.isEmpty()) {
                throw new IllegalArgumentException("--classifier " + name + " needs --classifier-data FILE[:FILE...]");
            }
            if (heldOutFraction <= 0 || heldOutFraction >= 0.9) {
                throw new IllegalArgumentException("--held-out-fraction must be above 0 and below 0.9");
            }
        }
    }

    /** Accuracy, macro F1 and the per-label figures of one model on one set. */
    public record Scores(double accuracy, double macroF1, Map<String, double[]> perLabel, int n) {}

    /** What a run produced: the head and its held-out scores, with the floor's (the softmax regression). */
    public record Result(HeadFile file, Scores heldOut, Scores floorHeldOut, Scores mlpHeldOut, String chosen,
            int trainExamples, int validationExamples, double trainSeconds) {}

    private final Options o;
    private final PrintStream log;

    public ClassifierTrainer(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    /** The labelled lines of one file, in order. */
    public static List<Example> read(Path file) {
        List<String> lines;
        try {
            lines = List.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString().split("\r?\n"));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int tab = line.lastIndexOf('\t');
            String text = tab < 0 ? "" : line.substring(0, tab).strip();
            String label = tab < 0 ? "" : line.substring(tab + 1).strip();
            if (text.isEmpty() || label.isEmpty()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected text<TAB>label");
            }
            examples.add(new Example(text, label));
        }
        return examples;
    }

    /**
     * Trains, prints the held-out table and returns the head (not yet written).
     *
     * @param fingerprint {@code Encoder#fingerprint()} of the encoder behind {@code cache}
     */
    public Result train(FeatureCache cache, EncoderSpec spec, String fingerprint) {
        List<Example> all = new ArrayList<>();
        for (Path f : o.data()) {
            all.addAll(read(f));
        }
        List<Example> given = new ArrayList<>();
        for (Path f : o.heldOut()) {
            given.addAll(read(f));
        }
        int[] dropped = new int[2];
        List<Example> unique = dedupe(all, given, dropped);
        List<String> labels = labelsInOrder(unique);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("Classifier " + o.name() + " needs at least two labels; the data has "
                    + labels);
        }
        SplittableRandom rng = new SplittableRandom(o.seed());
        List<List<Example>> split = given.isEmpty() ? stratified(unique, labels, o.heldOutFraction(), rng)
                : List.of(unique, given);
        List<Example> rest = split.get(0);
        List<Example> heldOut = split.get(1);
        List<List<Example>> fit = stratified(rest, labels, VALIDATION_FRACTION, rng);
        List<Example> train = fit.get(0);
        List<Example> validation = fit.get(1);
        for (Example e : heldOut) {
            if (!labels.contains(e.label())) {
                throw new IllegalArgumentException("Held-out label '" + e.label() + "' is not among the training labels "
                        + labels);
            }
        }
        log.printf(Locale.ROOT, "Classifier %s on %s: %d labels %s; %,d texts (%,d repeats and %,d texts of the held-out "
                + "files dropped): train %,d, validation %,d, held out %,d (%s)%n", o.name(), spec.name(), labels.size(),
                labels, unique.size(), dropped[0], dropped[1], train.size(), validation.size(), heldOut.size(),
                given.isEmpty() ? String.format(Locale.ROOT, "seeded %.0f %% per label, seed %d", 100 * o.heldOutFraction(),
                        o.seed()) : "the given files");

        float[][] xTrain = vectors(cache, "train", train);
        float[][] xVal = vectors(cache, "validation", validation);
        float[][] xHeld = vectors(cache, "heldout", heldOut);
        long started = System.nanoTime();
        int dim = spec.dimension();
        float[] mean = new float[dim];
        float[] invStd = new float[dim];
        standardisation(xTrain, mean, invStd);
        float[][] sTrain = standardise(xTrain, mean, invStd);
        float[][] sVal = standardise(xVal, mean, invStd);
        float[][] sHeld = standardise(xHeld, mean, invStd);
        int[] yTrain = indices(train, labels);
        int[] yVal = indices(validation, labels);
        int[] yHeld = indices(heldOut, labels);

        Mlp softmax = fit(sTrain, yTrain, sVal, yVal, labels, 0);
        Mlp mlp = fit(sTrain, yTrain, sVal, yVal, labels, MLP_HIDDEN);
        double softmaxVal = scores(softmax, sVal, yVal, labels).macroF1();
        double mlpVal = scores(mlp, sVal, yVal, labels).macroF1();
        boolean pickMlp = mlpVal > softmaxVal;
        Mlp chosen = pickMlp ? mlp : softmax;
        double seconds = (System.nanoTime() - started) / 1e9;
        Scores floorHeld = scores(softmax, sHeld, yHeld, labels);
        Scores mlpHeld = scores(mlp, sHeld, yHeld, labels);
        Scores held = pickMlp ? mlpHeld : floorHeld;

        Map<String, String> meta = new TreeMap<>();
        meta.put(ClassifierHead.NAME, o.name());
        meta.put(ClassifierHead.ENCODER_FINGERPRINT, fingerprint);
        meta.put(ClassifierHead.DATA_DIGEST, digest(o.data()));
        meta.put(ClassifierHead.ARCH, pickMlp ? "mlp" : "softmax");
        meta.put("seed", Long.toString(o.seed()));
        meta.put("examples.train", Integer.toString(train.size()));
        meta.put("examples.validation", Integer.toString(validation.size()));
        meta.put("examples.heldout", Integer.toString(heldOut.size()));
        meta.put("heldout.accuracy", String.format(Locale.ROOT, "%.4f", held.accuracy()));
        meta.put("heldout.macro_f1", String.format(Locale.ROOT, "%.4f", held.macroF1()));
        List<HeadFile.Tensor> tensors = new ArrayList<>();
        tensors.add(new HeadFile.Tensor("mean", new int[] {dim}, mean, false));
        tensors.add(new HeadFile.Tensor("inv_std", new int[] {dim}, invStd, false));
        tensors.addAll(chosen.tensors(false)); // f32: the file scores exactly as reported
        HeadFile file = HeadFile.createNamed(ClassifierHead.KIND, ClassifierHead.KIND + "-" + o.name(), RELEASE,
                spec.name(), spec.version(), labels, meta, tensors);

        log.printf(Locale.ROOT, "Validation macro F1: softmax regression %.4f, MLP-%d %.4f -> %s%n", softmaxVal, MLP_HIDDEN,
                mlpVal, pickMlp ? "MLP" : "softmax regression");
        log.println(table(floorHeld, mlpHeld, pickMlp, labels));
        log.printf(Locale.ROOT, "Trained in %.1f s (both models, %d thread(s); encoding not counted)%n", seconds,
                o.threads());
        return new Result(file, held, floorHeld, mlpHeld, pickMlp ? "mlp" : "softmax", train.size(), validation.size(),
                seconds);
    }

    /**
     * Loads the encoder, trains and writes the head into {@code folder}.
     *
     * @param cacheDir the encoded-feature cache, or null to encode afresh
     * @param graph the graph of the encoder the stream will run it on ({@code model.graph}): its fingerprint is the head's
     */
    public Result run(EncoderSpec spec, Path folder, Path cacheDir, int maxLength, EncoderGraph graph) {
        try (Encoder encoder = Encoder.load(spec, maxLength, o.threads(), true, graph)) {
            Result result = train(new FeatureCache(encoder, cacheDir, 64, log), spec, encoder.fingerprint());
            write(folder, result.file());
            return result;
        }
    }

    /** Writes the head as {@code folder/classifier-<name>.bin}; returns the path. */
    public Path write(Path folder, HeadFile file) {
        Path path = folder.resolve(ClassifierHead.fileName(o.name()));
        try {
            Files.createDirectories(folder);
            Files.write(path, file.toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + path, e);
        }
        log.printf("Wrote %s (%s, %,d bytes)%n", path, file.version(), file.toBytes().length);
        return path;
    }

    /** The held-out table: both models' accuracy and macro F1, then the written one per label. */
    static String table(Scores floor, Scores mlp, boolean pickMlp, List<String> labels) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Held out (%,d texts):%n", floor.n()));
        s.append(String.format(Locale.ROOT, "  %-32s %9s %9s%n", "model", "accuracy", "macro F1"));
        s.append(String.format(Locale.ROOT, "  %-32s %9.4f %9.4f%n", "softmax regression (floor)" + (pickMlp ? "" : " *"),
                floor.accuracy(), floor.macroF1()));
        s.append(String.format(Locale.ROOT, "  %-32s %9.4f %9.4f%n", "MLP-" + MLP_HIDDEN + (pickMlp ? " *" : ""),
                mlp.accuracy(), mlp.macroF1()));
        Scores chosen = pickMlp ? mlp : floor;
        s.append(String.format(Locale.ROOT, "  per label (* written):%n  %-24s %9s %9s %9s %8s%n", "label", "precision",
                "recall", "F1", "support"));
        for (String label : labels) {
            double[] p = chosen.perLabel().get(label);
            s.append(String.format(Locale.ROOT, "  %-24s %9.4f %9.4f %9.4f %8d%n", label, p[0], p[1], p[2], (int) p[3]));
        }
        return s.toString().stripTrailing();
    }

    private Mlp fit(float[][] x, int[] y, float[][] xVal, int[] yVal, List<String> labels, int hidden) {
        int batch = 32;
        int stepsPerEpoch = (x.length + batch - 1) / batch;
        int epochs = Math.max(8, Math.min(150, (1500 + stepsPerEpoch - 1) / stepsPerEpoch));
        MlpTrainer.Config config = hidden == 0
                ? new MlpTrainer.Config(0, epochs, batch, 0.005f, 1e-4f, 0f, 0f, 0f, o.seed(), o.threads())
                : new MlpTrainer.Config(hidden, epochs, batch, 0.001f, 1e-4f, 0.3f, 0.1f, 0f, o.seed(), o.threads());
        MlpTrainer.Rows rows = new MlpTrainer.Rows() {
            @Override
            public int size() {
                return x.length;
            }

            @Override
            public int dim() {
                return x[0].length;
            }

            @Override
            public void fill(int example, float[] dst) {
                System.arraycopy(x[example], 0, dst, 0, dst.length);
            }
        };
        return MlpTrainer.train(rows, y, null, labels.size(), config,
                model -> scores(model, xVal, yVal, labels).macroF1(), null, o.name());
    }

    /** Accuracy, macro F1 (over labels with support or predictions) and per label precision, recall, F1, support. */
    static Scores scores(Mlp model, float[][] x, int[] y, List<String> labels) {
        int k = labels.size();
        int[] tp = new int[k];
        int[] predicted = new int[k];
        int[] support = new int[k];
        int correct = 0;
        float[][] p = x.length == 0 ? new float[0][] : model.logits(x);
        for (int i = 0; i < x.length; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            predicted[best]++;
            support[y[i]]++;
            if (best == y[i]) {
                tp[best]++;
                correct++;
            }
        }
        Map<String, double[]> perLabel = new LinkedHashMap<>();
        double f1Sum = 0;
        int counted = 0;
        for (int c = 0; c < k; c++) {
            double precision = predicted[c] == 0 ? 0 : (double) tp[c] / predicted[c];
            double recall = support[c] == 0 ? 0 : (double) tp[c] / support[c];
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perLabel.put(labels.get(c), new double[] {precision, recall, f1, support[c]});
            if (support[c] > 0 || predicted[c] > 0) {
                f1Sum += f1;
                counted++;
            }
        }
        return new Scores(x.length == 0 ? 0 : (double) correct / x.length, counted == 0 ? 0 : f1Sum / counted, perLabel,
                x.length);
    }

    /** Each text once (its first label); texts equal to a held-out file's text are dropped. */
    static List<Example> dedupe(List<Example> all, List<Example> heldOut, int[] dropped) {
        java.util.Set<String> held = new java.util.HashSet<>();
        for (Example e : heldOut) {
            held.add(DataSets.key(e.text()));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Example> unique = new ArrayList<>();
        for (Example e : all) {
            String key = DataSets.key(e.text());
            if (held.contains(key)) {
                dropped[1]++;
            } else if (!seen.add(key)) {
                dropped[0]++;
            } else {
                unique.add(e);
            }
        }
        return unique;
    }

    static List<String> labelsInOrder(List<Example> examples) {
        List<String> labels = new ArrayList<>();
        for (Example e : examples) {
            if (!labels.contains(e.label())) {
                labels.add(e.label());
            }
        }
        return labels;
    }

    /**
     * A seeded split per label: of each label's texts, {@code fraction} (rounded, at least one where the label
     * has two or more) goes to the second list, in file order within each list.
     */
    static List<List<Example>> stratified(List<Example> examples, List<String> labels, double fraction,
            SplittableRandom rng) {
        Map<String, List<Integer>> byLabel = new HashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            byLabel.computeIfAbsent(examples.get(i).label(), l -> new ArrayList<>()).add(i);
        }
        boolean[] second = new boolean[examples.size()];
        for (String label : labels) {
            List<Integer> idx = byLabel.getOrDefault(label, List.of());
            int[] order = UserSplits.shuffled(idx, rng);
            int take = order.length < 2 ? 0 : Math.max(1, (int) Math.round(fraction * order.length));
            for (int i = 0; i < take; i++) {
                second[order[i]] = true;
            }
        }
        List<Example> first = new ArrayList<>();
        List<Example> rest = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            (second[i] ? rest : first).add(examples.get(i));
        }
        return List.of(first, rest);
    }

    private static void standardisation(float[][] x, float[] mean, float[] invStd) {
        int dim = mean.length;
        double[] sum = new double[dim];
        double[] sq = new double[dim];
        for (float[] v : x) {
            for (int d = 0; d < dim; d++) {
                sum[d] += v[d];
                sq[d] += (double) v[d] * v[d];
            }
        }
        for (int d = 0; d < dim; d++) {
            double m = sum[d] / x.length;
            mean[d] = (float) m;
            invStd[d] = (float) (1.0 / Math.sqrt(Math.max(sq[d] / x.length - m * m, 1e-12)));
        }
    }

    private static float[][] standardise(float[][] x, float[] mean, float[] invStd) {
        float[][] out = new float[x.length][mean.length];
        for (int i = 0; i < x.length; i++) {
            for (int d = 0; d < mean.length; d++) {
                out[i][d] = (x[i][d] - mean[d]) * invStd[d];
            }
        }
        return out;
    }

    private static int[] indices(List<Example> examples, List<String> labels) {
        int[] y = new int[examples.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.indexOf(examples.get(i).label());
        }
        return y;
    }

    private static List<String> texts(List<Example> examples) {
        return examples.stream().map(Example::text).toList();
    }

    /** The split's sentence vectors (the feature cache keys its files by the texts themselves). */
    private static float[][] vectors(FeatureCache cache, String split, List<Example> examples) {
        return examples.isEmpty() ? new float[0][] : cache.sentenceVectors("classifier_" + split, texts(examples));
    }

    /** The first 16 hex digits of SHA-256 over the files' bytes, in order. */
    static String digest(List<Path> files) {
        MessageDigest sha = sha256();
        for (Path f : files) {
            try {
                sha.update(Files.readAllBytes(f));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + f, e);
            }
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
