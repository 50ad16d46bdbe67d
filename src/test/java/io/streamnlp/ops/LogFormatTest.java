package io.streamnlp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shipped logback.xml: text lines by default, one JSON object per line with log.format=json. */
class LogFormatTest {

    @Test
    void textByDefault() throws Exception {
        String out = logOneLine(null);
        assertThat(out).contains("INFO").contains("io.streamnlp.Check").contains("enriched 3 records").doesNotStartWith("{");
    }

    @Test
    void jsonBySwitch() throws Exception {
        String out = logOneLine("json");
        JsonNode line = new ObjectMapper().readTree(out.lines().findFirst().orElseThrow());
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("loggerName").asText()).isEqualTo("io.streamnlp.Check");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("enriched 3 records");
    }

    /** Configures a fresh logging context from the shipped logback.xml and logs one line through it. */
    private static String logOneLine(String format) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String previous = System.getProperty("streamnlp.log.format");
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            if (format == null) {
                System.clearProperty("streamnlp.log.format");
            } else {
                System.setProperty("streamnlp.log.format", format);
            }
            LoggerContext context = new LoggerContext();
            context.setMDCAdapter(new LogbackMDCAdapter());
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
            context.getLogger("io.streamnlp.Check").info("enriched {} records", 3);
            context.stop();
        } finally {
            System.setErr(err);
            if (previous == null) {
                System.clearProperty("streamnlp.log.format");
            } else {
                System.setProperty("streamnlp.log.format", previous);
            }
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
