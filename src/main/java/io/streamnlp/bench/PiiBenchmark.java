package io.streamnlp.bench;

import io.streamnlp.pii.MaskStyle;
import io.streamnlp.pii.PiiScanner;
import io.streamnlp.pii.PiiSettings;
import io.streamnlp.pii.PiiSpan;
import io.streamnlp.pii.PiiType;
import io.streamnlp.pii.DeadLetterValues;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * PII detection and redaction's cost per text ({@code pii.redact=true}, every pattern detector on, the default
 * phone regions): one thread, one text at a time, after the JIT has compiled the detectors. Every fourth text
 * carries an e-mail address, a phone number and a card number, so the detectors' matching paths are timed too,
 * not only their scans. The NER head's person and place spans cost nothing more here: they are merged, not found.
 */
final class PiiBenchmark {

    /** Appended to every fourth text: one value for each of the costlier detectors. */
    static final String PERSONAL = " Write to jane+orders@example.co.uk or call +44 20 7946 0958; card 4111 1111 1111 1111.";

    record Result(double microsPerText, double cpuMicrosPerText, double spansPerText) {}

    private PiiBenchmark() {}

    static Result run(List<String> reviews) {
        List<String> texts = new ArrayList<>(reviews.size());
        for (int i = 0; i < reviews.size(); i++) {
            texts.add(i % 4 == 0 ? reviews.get(i) + PERSONAL : reviews.get(i));
        }
        PiiScanner scanner = new PiiScanner(new PiiSettings(true, true, EnumSet.allOf(PiiType.class),
                List.of("US", "GB", "DE", "FR"), MaskStyle.TYPE, null, DeadLetterValues.REDACT));
        WarmUp.untilTheJitIsQuiet(() -> {
            for (String text : texts) {
                scanAndRedact(scanner, text);
            }
        });
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long spans = 0;
        long started = System.nanoTime();
        long cpu = mx.getCurrentThreadCpuTime();
        for (String text : texts) {
            spans += scanAndRedact(scanner, text);
        }
        double n = texts.size();
        return new Result((System.nanoTime() - started) / 1e3 / n, (mx.getCurrentThreadCpuTime() - cpu) / 1e3 / n,
                spans / n);
    }

    private static int scanAndRedact(PiiScanner scanner, String text) {
        List<PiiSpan> spans = scanner.find(text, List.of());
        scanner.redact(text, spans);
        return spans.size();
    }
}
