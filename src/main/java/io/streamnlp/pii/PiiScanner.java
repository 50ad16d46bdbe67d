package io.streamnlp.pii;

import io.streamnlp.model.EntitySpan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs the enabled detectors over one text and merges what they find: the pattern detectors over the
 * text itself, the entity detectors over the NER head's spans (computed on the same text). Where two
 * findings overlap they become one span covering both, named after the more specific type (see
 * {@link PiiType}), so a mask never leaves half of a value in clear. Thread-safe.
 */
public final class PiiScanner {

    private static final Comparator<PiiSpan> ORDER = Comparator.comparingInt(PiiSpan::start)
            .thenComparing(Comparator.comparingInt(PiiSpan::end).reversed())
            .thenComparing(PiiSpan::type);

    private final PiiSettings settings;
    private final List<PatternDetector> patterns;
    private final Masker masker;

    public PiiScanner(PiiSettings settings) {
        this.settings = settings;
        this.patterns = patternDetectors(settings);
        this.masker = settings.redact() ? new Masker(settings.mask(), settings.hashKey()) : null;
    }

    public PiiSettings settings() {
        return settings;
    }

    /** The enabled pattern detectors, in the order of {@link PiiType}. */
    static List<PatternDetector> patternDetectors(PiiSettings settings) {
        List<PatternDetector> detectors = new ArrayList<>();
        for (PiiType type : settings.detectors()) {
            PatternDetector detector = switch (type) {
                case URL_SECRET -> new UrlSecretDetector();
                case EMAIL -> new EmailDetector();
                case IBAN -> new IbanDetector();
                case CARD -> new CardDetector();
                case IP -> new IpDetector();
                case PHONE -> new PhoneDetector(settings.phoneRegions());
                case PER, LOC, ORG, MISC -> null;
            };
            if (detector != null) {
                detectors.add(detector);
            }
        }
        return List.copyOf(detectors);
    }

    /**
     * Every span of personal data in {@code text}, in text order, none overlapping.
     *
     * @param entities the NER head's spans of this text, or null when the head did not run
     */
    public List<PiiSpan> find(String text, List<EntitySpan> entities) {
        List<PiiSpan> found = findPatterns(text);
        if (entities != null) {
            for (EntitySpan entity : entities) {
                PiiType type = PiiType.of(entity.type());
                if (settings.detectors().contains(type) && entity.end() > entity.start()) {
                    found.add(new PiiSpan(type, entity.start(), entity.end()));
                }
            }
        }
        return merged(found);
    }

    /** The pattern detectors' spans only (what can be found in a record that was never parsed). */
    List<PiiSpan> findPatterns(String text) {
        List<PiiSpan> found = new ArrayList<>();
        for (PatternDetector detector : patterns) {
            detector.find(text, found);
        }
        return found;
    }

    static List<PiiSpan> merged(List<PiiSpan> found) {
        if (found.size() < 2) {
            return List.copyOf(found);
        }
        List<PiiSpan> sorted = new ArrayList<>(found);
        sorted.sort(ORDER);
        List<PiiSpan> merged = new ArrayList<>(sorted.size());
        for (PiiSpan span : sorted) {
            PiiSpan last = merged.isEmpty() ? null : merged.getLast();
            if (last == null || span.start() >= last.end()) {
                merged.add(span);
            } else if (span.end() > last.end()) {
                PiiType type = span.type().compareTo(last.type()) < 0 ? span.type() : last.type();
                merged.set(merged.size() - 1, new PiiSpan(type, last.start(), span.end()));
            } else if (span.type().compareTo(last.type()) < 0) {
                merged.set(merged.size() - 1, new PiiSpan(span.type(), last.start(), last.end()));
            }
        }
        return List.copyOf(merged);
    }

    /** The text with every span masked, and where each mask landed. Needs {@code pii.redact}. */
    public Redaction redact(String text, List<PiiSpan> spans) {
        requireRedaction();
        StringBuilder out = new StringBuilder(text.length());
        List<Redaction.Placed> placed = new ArrayList<>(spans.size());
        int at = 0;
        for (PiiSpan span : spans) {
            out.append(text, at, span.start());
            int maskStart = out.length();
            out.append(masker.mask(span.type(), text.substring(span.start(), span.end())));
            placed.add(new Redaction.Placed(span, maskStart, out.length()));
            at = span.end();
        }
        out.append(text, at, text.length());
        return new Redaction(out.toString(), placed);
    }

    /**
     * The part {@code start..end} of {@code text} with what of it lies in a span masked (an entity's
     * surface text: a person's name is masked exactly as in the redacted text; an organization whose name
     * holds an e-mail address loses that part).
     */
    public String maskPart(String text, int start, int end, List<PiiSpan> spans) {
        requireRedaction();
        StringBuilder out = null;
        int at = start;
        for (PiiSpan span : spans) {
            if (!span.overlaps(start, end)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder();
            }
            out.append(text, at, Math.max(at, span.start()));
            // The whole span's value is hashed, so the part shows the same mask as the redacted text.
            out.append(masker.mask(span.type(), text.substring(span.start(), span.end())));
            at = Math.min(end, span.end());
        }
        if (out == null) {
            return text.substring(start, end);
        }
        out.append(text, at, end);
        return out.toString();
    }

    /** A text that was never parsed (a dead letter's value): the pattern detectors' findings masked. */
    public String redactPatterns(String text) {
        return redact(text, merged(findPatterns(text))).text();
    }

    private void requireRedaction() {
        if (masker == null) {
            throw new IllegalStateException("redaction is off (pii.redact=false)");
        }
    }
}
