package io.streamnlp.config;

import static io.streamnlp.config.StreamNlpConfig.CLASSIFIERS;
import static io.streamnlp.config.StreamNlpConfig.CLASSIFIER_PATH;
import static io.streamnlp.config.StreamNlpConfig.GROUP_MODEL;
import static io.streamnlp.config.StreamNlpConfig.HEADS_PROFILE;
import static io.streamnlp.config.StreamNlpConfig.INFERENCE_INTRA_OP_THREADS;
import static io.streamnlp.config.StreamNlpConfig.INFERENCE_PARALLEL_CALLS;
import static io.streamnlp.config.StreamNlpConfig.LANGUAGE_ACCURACY;
import static io.streamnlp.config.StreamNlpConfig.LANGUAGE_CANDIDATES;
import static io.streamnlp.config.StreamNlpConfig.LANGUAGE_DETECT;
import static io.streamnlp.config.StreamNlpConfig.LANGUAGE_MIN_CONFIDENCE;
import static io.streamnlp.config.StreamNlpConfig.LANGUAGE_MIN_LENGTH;
import static io.streamnlp.config.StreamNlpConfig.LANGUAGE_UNSUPPORTED_POLICY;
import static io.streamnlp.config.StreamNlpConfig.LONG_TEXT_MAX_WINDOWS;
import static io.streamnlp.config.StreamNlpConfig.LONG_TEXT_MODE;
import static io.streamnlp.config.StreamNlpConfig.LONG_TEXT_STRIDE;
import static io.streamnlp.config.StreamNlpConfig.MODEL_CHANGE;
import static io.streamnlp.config.StreamNlpConfig.MODEL_GRAPH;
import static io.streamnlp.config.StreamNlpConfig.MODEL_MAX_LENGTH;
import static io.streamnlp.config.StreamNlpConfig.MODEL_NAME;
import static io.streamnlp.config.StreamNlpConfig.MODEL_PATH;

import io.streamnlp.inference.ModelCatalogue;
import io.streamnlp.inference.TextTokenizer;
import io.streamnlp.language.LanguageDetector;
import io.streamnlp.language.LanguageSettings;
import io.streamnlp.language.UnsupportedLanguagePolicy;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The {@value StreamNlpConfig#GROUP_MODEL} settings: the encoder, its token window, long texts, the ONNX Runtime threads,
 * and language identification (which texts the task heads judge).
 */
final class ModelGroup {

    private ModelGroup() {
    }

    static void define(ConfigDefinitions definitions) {
        definitions.group(GROUP_MODEL);
        definitions.define(MODEL_NAME, Type.STRING, ModelCatalogue.DEFAULT_MODEL, null, Importance.HIGH, Width.MEDIUM, "Model",
                "Encoder from the model catalogue: minilm-l6-q, minilm-l6, bge-small-q, e5-small-q.");
        definitions.define(MODEL_PATH, Type.STRING, "", null, Importance.HIGH, Width.LONG, "Model path",
                "Your own encoder instead of model.name: a directory with model.onnx, tokenizer.json and model.properties "
                        + "(name, version, pooling, hidden.size, query.prefix, max.length, intermediate.output), and heads/ if trained by "
                        + "'streamnlp train --model-path'. Without heads it serves outputs=embeddings only. See the README, "
                        + "'Your own encoder'.");
        definitions.define(MODEL_GRAPH, Type.STRING, "auto", ValidString.in("auto", "packaged", "fused"), Importance.LOW,
                Width.SHORT, "Encoder graph",
                "Which graph of the encoder runs: fused (the same int8 weights, each layer's attention one fused operator: "
                        + "1.2-1.3 x faster on the CPU; catalogue -q encoders only) or packaged (the ONNX file as the model's "
                        + "artifact ships it). The fused graph's outputs differ by a rounding, so it has its own fingerprint "
                        + "(see model.change). auto (default) runs fused where the encoder has it, unless the output prefix "
                        + "holds vectors of the packaged graph (an upgrade from a release before fused was the default): "
                        + "there it keeps packaged, so a topic never mixes the two. docs/BENCHMARKS.md has the speed and "
                        + "the heads' quality on each.");
        definitions.define(HEADS_PROFILE, Type.STRING, "research", ValidString.in("research", "commercial"), Importance.MEDIUM,
                Width.SHORT, "Heads profile",
                "Which packaged sentiment and NER heads of a catalogue encoder run: research (default; the best, but some "
                        + "of their training data is for research use only) or commercial (trained only on data whose "
                        + "licence allows commercial use; lower figures; e5-small-q only). The model card says what each "
                        + "profile's data allows. Not for model.path, whose heads are your own.");
        definitions.define(CLASSIFIERS, Type.LIST, "", classifierNamesValidator(), Importance.MEDIUM, Width.LONG,
                "Classifiers",
                "Classifier heads over your own labels to run on each text's vector, by name (train one with 'streamnlp "
                        + "train --classifier NAME --classifier-data FILE'): each result (label, probabilities, head version) "
                        + "goes on the enriched record's labels map and on <prefix>.labels when outputs has labels. A head "
                        + "trained on another encoder (fingerprint) stops the start. Empty: none.");
        definitions.define(CLASSIFIER_PATH, Type.STRING, "", null, Importance.MEDIUM, Width.LONG, "Classifier path",
                "Folder of the classifier heads: classifier-NAME.bin in <classifier.path>/<encoder>/ (where 'train --out "
                        + "<classifier.path>' writes it) or in <classifier.path>/. Empty: beside the encoder's other heads "
                        + "(the bundled heads/<encoder>/, or <model.path>/heads/).");
        definitions.define(MODEL_MAX_LENGTH, Type.INT, 256, Range.between(8, TextTokenizer.HARD_MAX_LENGTH), Importance.MEDIUM,
                Width.SHORT, "Max length",
                "Tokens per encoder pass (one window), special tokens included; longer texts are encoded in windows or truncated (long.text.mode).");
        definitions.define(LONG_TEXT_MODE, Type.STRING, "window", ValidString.in("window", "truncate"), Importance.MEDIUM,
                Width.SHORT, "Long text mode",
                "What a text longer than model.max.length becomes: window (default): overlapping windows of at most "
                        + "model.max.length tokens, in the same micro-batches and token budget, their entities merged with "
                        + "offsets into the whole text, their vectors and sentiment probabilities averaged by length; "
                        + "truncate: its head only. Records say how many windows were used and whether the text was truncated.");
        definitions.define(LONG_TEXT_STRIDE, Type.INT, 0, Range.atLeast(0), Importance.LOW, Width.SHORT, "Long text overlap",
                "Tokens of text that two neighbouring windows share; 0 = a quarter of model.max.length. Must be less than "
                        + "model.max.length.");
        definitions.define(LONG_TEXT_MAX_WINDOWS, Type.INT, 32, Range.atLeast(1), Importance.LOW, Width.SHORT, "Long text max windows",
                "Most windows per text (and at most batch.max.tokens / model.max.length, so one text fits one batch); "
                        + "a text that needs more is encoded in this many and flagged truncated.");
        definitions.define(MODEL_CHANGE, Type.STRING, "refuse", ValidString.in("refuse", "allow"), Importance.MEDIUM, Width.SHORT,
                "Model change",
                "refuse (default): a start whose encoder (fingerprint of its files, pooling and prefix) differs from the one "
                        + "recorded in <prefix>.models for this output prefix stops with an error, so one output set never "
                        + "mixes two vector spaces; allow: start anyway and record the new encoder. See the README, 'Changing the model'.");
        definitions.define(INFERENCE_PARALLEL_CALLS, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM, Width.SHORT,
                "Parallel encoder calls",
                "Encoder calls one stream thread runs at once, each on a slice of its micro-batch (texts of similar length), "
                        + "each in its own session. 0 = cores / (num.stream.threads x inference.intra.op.threads), at least 1. "
                        + "Several single-threaded calls keep the cores busier than one call split over them "
                        + "(docs/BENCHMARKS.md, levers).");
        definitions.define(INFERENCE_INTRA_OP_THREADS, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM, Width.SHORT,
                "Intra-op threads",
                "ONNX Runtime threads per encoder call. 0 = 1 when inference.parallel.calls is 0 too, else "
                        + "cores / (num.stream.threads x inference.parallel.calls), at least 1; so stream threads x "
                        + "parallel calls x intra-op threads <= cores.");
        defineLanguage(definitions);
    }

    /** Language identification: it decides which texts the task heads judge. */
    private static void defineLanguage(ConfigDefinitions definitions) {
        definitions.define(LANGUAGE_DETECT, Type.BOOLEAN, true, null, Importance.MEDIUM, Width.SHORT, "Language identification",
                "Identify every text's language before the encoder (detectedLanguage and languageConfidence on every "
                        + "output) and apply language.unsupported.policy to texts the task heads were not trained for. "
                        + "false: no identification, every text analysed as English-trained heads see it.");
        definitions.define(LANGUAGE_CANDIDATES, Type.LIST, String.join(",", LanguageSettings.DEFAULT_CANDIDATES),
                languageCandidatesValidator(), Importance.MEDIUM, Width.LONG, "Candidate languages",
                "ISO 639-1 codes of the languages the detector tells apart (at least two). A text in another language "
                        + "is reported as the nearest candidate; each candidate costs detection time and memory.");
        definitions.define(LANGUAGE_ACCURACY, Type.STRING, "auto", ValidString.in("auto", "high", "low"), Importance.LOW,
                Width.SHORT, "Language detection accuracy",
                "auto: all of the detector's n-gram models (1 to 5) for a text under 120 characters, trigrams only from "
                        + "there (as good there, in under half the time); high: all models for every text; low: trigrams "
                        + "only for every text, less memory and time, weaker below about 120 characters.");
        definitions.define(LANGUAGE_MIN_CONFIDENCE, Type.DOUBLE, LanguageSettings.DEFAULT_MIN_CONFIDENCE, Range.between(0.0, 1.0),
                Importance.LOW, Width.SHORT, "Language min confidence",
                "A text whose detected language is less than this far ahead of the next most likely one (languageConfidence: "
                        + "the detector's relative distance between the two, 0..1) counts as the heads' language: an "
                        + "ambiguous text is analysed, not skipped on a guess.");
        definitions.define(LANGUAGE_MIN_LENGTH, Type.INT, LanguageSettings.DEFAULT_MIN_LENGTH, Range.atLeast(0), Importance.LOW,
                Width.SHORT, "Language min length",
                "A text with fewer letters than this, counted in words that do not start with a capital (names, "
                        + "headlines in capitals and lists of places tell no language), counts as the heads' language: a "
                        + "short text is analysed, not skipped on a guess.");
        definitions.define(LANGUAGE_UNSUPPORTED_POLICY, Type.STRING, "skip", ValidString.in(UnsupportedLanguagePolicy.settingValues()),
                Importance.MEDIUM, Width.SHORT, "Unsupported language policy",
                "What happens to a text whose language is none of the task heads' (the model card's list; a custom "
                        + "model's heads.languages): skip = the embedding is written, sentiment and entities are marked "
                        + "skipReason=language-not-supported instead of guessed; enrich = analysed like any text; "
                        + "dead-letter = to the dead-letter topic, reason unsupported-language, with its original bytes.");
    }

    private static ConfigDef.Validator languageCandidatesValidator() {
        return (name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> codes = (List<String>) value;
            try {
                LanguageDetector.check(codes);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        };
    }

    /** Names a classifier file can have, none twice. */
    private static org.apache.kafka.common.config.ConfigDef.Validator classifierNamesValidator() {
        return org.apache.kafka.common.config.ConfigDef.LambdaValidator.with((name, value) -> {
            @SuppressWarnings("unchecked")
            java.util.List<String> names = (java.util.List<String>) value;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String n : names == null ? java.util.List.<String>of() : names) {
                String trimmed = n.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (!trimmed.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                    throw new org.apache.kafka.common.config.ConfigException(name, value, "'" + trimmed
                            + "' is not a classifier name (letters, digits, _ . -, up to 64)");
                }
                if (!seen.add(trimmed)) {
                    throw new org.apache.kafka.common.config.ConfigException(name, value, "'" + trimmed + "' is listed twice");
                }
            }
        }, () -> "classifier names (letters, digits, _ . -), comma-separated");
    }
}
