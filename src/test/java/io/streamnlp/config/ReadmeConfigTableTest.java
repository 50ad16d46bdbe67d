package io.streamnlp.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is exactly what {@code bin/streamnlp config-doc} prints. */
class ReadmeConfigTableTest {

    static final String START = "<!-- config-doc:start -->\n";
    static final String END = "<!-- config-doc:end -->";

    @Test
    void readmeTableIsTheGeneratedOne() throws IOException {
        // Maven runs tests in the project root.
        String readme = Files.readString(Path.of("README.md")).replace("\r\n", "\n");
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("README.md has a line '%s'", START.strip()).isNotNegative();
        assertThat(end).as("README.md has a line '%s' after the start marker", END).isGreaterThan(start);
        String section = readme.substring(start + START.length(), end);
        assertThat(section)
                .as("The configuration reference in README.md (between %s and %s) is out of date: run "
                        + "`bin/streamnlp config-doc` and paste its output between the markers", START.strip(), END)
                .isEqualTo(StreamNlpConfig.documentation());
    }
}
