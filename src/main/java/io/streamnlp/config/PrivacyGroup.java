package io.streamnlp.config;

import static io.streamnlp.config.StreamNlpConfig.GROUP_PRIVACY;
import static io.streamnlp.config.StreamNlpConfig.PII_DEAD_LETTERS;
import static io.streamnlp.config.StreamNlpConfig.PII_DETECT;
import static io.streamnlp.config.StreamNlpConfig.PII_DETECTORS;
import static io.streamnlp.config.StreamNlpConfig.PII_HASH_KEY;
import static io.streamnlp.config.StreamNlpConfig.PII_MASK;
import static io.streamnlp.config.StreamNlpConfig.PII_PHONE_REGIONS;
import static io.streamnlp.config.StreamNlpConfig.PII_REDACT;

import io.streamnlp.pii.PiiSettings;
import io.streamnlp.pii.PiiType;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** The {@value StreamNlpConfig#GROUP_PRIVACY} settings: personal data found and redacted (opt-in). */
final class PrivacyGroup {

    static final String DEFAULT_DETECTORS = "email,phone,card,iban,ip,url-secret,person,location";
    /** The shortest {@code pii.hash.key} accepted: 128 bits of a random key written in ASCII. */
    static final int MIN_HASH_KEY_CHARS = 16;

    private PrivacyGroup() {
    }

    static void define(ConfigDefinitions definitions) {
        definitions.group(GROUP_PRIVACY);
        definitions.define(PII_DETECT, Type.BOOLEAN, false, null, Importance.MEDIUM, Width.SHORT, "PII: detect",
                "Find personal data in each text (the detectors of pii.detectors) and put the spans, with their type and "
                        + "offsets, on <prefix>.enriched records (field pii). The text itself is written as before.");
        definitions.define(PII_REDACT, Type.BOOLEAN, false, null, Importance.MEDIUM, Width.SHORT, "PII: redact",
                "Mask what is found wherever the text would leave the pipeline (implies pii.detect): the enriched record "
                        + "gets redactedText, and its text field (enriched.include.text) stays empty; entity records mask "
                        + "a redacted span's surface text; the live page shows only the redacted text; dead letters follow "
                        + "pii.dead.letters. Embeddings, sentiment and entities are still computed on the original text, "
                        + "in memory. The internal by-text topic and the state stores' changelogs hold the original text, "
                        + "as the input topic does: restrict them with the same ACLs.");
        definitions.define(PII_DETECTORS, Type.LIST, DEFAULT_DETECTORS, detectorsValidator(), Importance.MEDIUM, Width.LONG,
                "PII: detectors",
                "Which detectors run: any of " + PiiType.detectorNames().replace(",", ", ") + ". person, location, "
                        + "organization and misc take the NER head's spans of that type (only where the head runs: "
                        + "the entities or enriched output is selected).");
        definitions.define(PII_PHONE_REGIONS, Type.LIST, "US,GB,DE,FR", regionsValidator(), Importance.LOW, Width.MEDIUM,
                "PII: phone regions",
                "Regions (ISO 3166 alpha-2) whose national phone formats are recognised, e.g. (212) 736-5000 for US, "
                        + "030 901820 for DE; a number in international form (+44 ..., 0044 ...) is found whatever this "
                        + "says. Each region is one more pass over texts with digits.");
        definitions.define(PII_MASK, Type.STRING, "type", ValidString.in("type", "stars", "hash"), Importance.MEDIUM,
                Width.SHORT, "PII: mask",
                "How a redacted span is written: type ([EMAIL], [PHONE], [PER], ...), stars (****), or hash "
                        + "([EMAIL:5f0c2a9e41b7d3c8]: HMAC-SHA256 under pii.hash.key of the value in canonical form, "
                        + "first 64 bits, so one value has one mask and records can still be joined).");
        definitions.define(PII_HASH_KEY, Type.PASSWORD, null, null, Importance.MEDIUM, Width.MEDIUM, "PII: hash key",
                "The secret key of pii.mask=hash (at least " + MIN_HASH_KEY_CHARS + " characters; required with it). "
                        + "Keep it as secret as the data: with it, candidate values can be hashed and compared.");
        definitions.define(PII_DEAD_LETTERS, Type.STRING, "redact", ValidString.in("redact", "drop", "keep"),
                Importance.LOW, Width.SHORT, "PII: dead letters",
                "With pii.redact, what a dead letter's value becomes: redact (the pattern detectors run over the value "
                        + "read as UTF-8 and mask what they find; header streamnlp.pii.redacted=patterns; names and places "
                        + "are not found there, and an Avro value no longer decodes once a mask changed its length), drop "
                        + "(an empty value; header streamnlp.pii.redacted=dropped) or keep (the original bytes: guard the "
                        + "dead-letter topic instead). The error message header is redacted the same way.");
    }

    /** The settings, checked across keys: a hash needs its key. */
    static void check(StreamNlpConfig config) {
        if (config.getBoolean(PII_REDACT) && "hash".equals(config.getString(PII_MASK))) {
            var key = config.getPassword(PII_HASH_KEY);
            if (key == null || key.value().length() < MIN_HASH_KEY_CHARS) {
                throw new ConfigException(PII_HASH_KEY, "[hidden]", "pii.mask=hash needs a secret key of at least "
                        + MIN_HASH_KEY_CHARS + " characters in " + PII_HASH_KEY + " (or choose pii.mask=type or stars)");
            }
        }
    }

    private static ConfigDef.Validator detectorsValidator() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) value;
            for (String detector : names) {
                try {
                    PiiType.byDetector(detector);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        }, () -> "any of " + PiiType.detectorNames());
    }

    private static ConfigDef.Validator regionsValidator() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> regions = (List<String>) value;
            List<String> unknown = PiiSettings.unknownPhoneRegions(regions);
            if (!unknown.isEmpty()) {
                throw new ConfigException(name, value, "unknown region(s) " + unknown + ": use ISO 3166 alpha-2 codes "
                        + "such as US, GB, DE, FR");
            }
        }, () -> "ISO 3166 alpha-2 region codes");
    }
}
