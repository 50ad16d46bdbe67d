package io.streamnlp.testing;

import java.util.List;

/** Just enough of the Prometheus text format: sums of samples by metric name (and one label). */
public record PrometheusText(List<String> samples) {

    public static PrometheusText parse(String body) {
        return new PrometheusText(body.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).toList());
    }

    public double sum(String name) {
        return sum(name, null, null);
    }

    /** The sum over the samples of {@code name} whose label {@code label} is {@code value} (any, when null). */
    public double sum(String name, String label, String value) {
        double sum = 0;
        for (String sample : samples) {
            int brace = sample.indexOf('{');
            int end = brace >= 0 ? brace : sample.indexOf(' ');
            if (!sample.substring(0, end).equals(name)) {
                continue;
            }
            if (label != null && (value == null ? !sample.contains(label + "=\"")
                    : !sample.contains(label + "=\"" + value + "\""))) {
                continue;
            }
            sum += Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
        }
        return sum;
    }

    /** The value of label {@code label} on the first sample of {@code name}, or null. */
    public String label(String name, String label) {
        for (String sample : samples) {
            if (sample.startsWith(name + "{")) {
                int at = sample.indexOf(label + "=\"");
                if (at >= 0) {
                    int from = at + label.length() + 2;
                    return sample.substring(from, sample.indexOf('"', from));
                }
            }
        }
        return null;
    }
}
