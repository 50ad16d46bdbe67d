package io.streamnlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code evaluate} refuses a misspelt option value at once, in one line with exit 2, before any encoder loads. */
class EvaluateCommandTest {

    private record Run(int exit, String stderr) {}

    private static Run evaluate(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "evaluate";
        System.arraycopy(args, 0, all, 1, args.length);
        PrintStream stderr = System.err;
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new StreamNlpCommand()).execute(all);
            // Under the fuzz profile the instrumenting agent reports each class it loads on stderr too; only the
            // command's own lines count.
            String own = errors.toString(StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("INFO: Instrumented ")).collect(Collectors.joining("\n"));
            return new Run(exit, own);
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void aProfileThatDoesNotExistIsExitTwoNamingTheChoices() {
        Run run = evaluate("--model", "e5-small-q", "--data", "no-such-folder", "--profile", "business");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr().strip()).isEqualTo("--profile must be research or commercial, got 'business'");
    }

    @Test
    void aMisspeltEntityTypeIsExitTwoInOneLine() {
        Run run = evaluate("--model", "e5-small-q", "--data", "no-such-folder", "--errors", "ORGG");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr().strip()).doesNotContain("\n").contains("ORGG");
    }
}
