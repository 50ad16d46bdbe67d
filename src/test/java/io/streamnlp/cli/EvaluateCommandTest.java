package io.streamnlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code evaluate} refuses a misspelt option value at once, in one line with exit 2, before any encoder loads. */
class EvaluateCommandTest {

    private static CommandRun evaluate(String... args) {
        return CommandRun.of("evaluate", args);
    }

    @Test
    void aProfileThatDoesNotExistIsExitTwoNamingTheChoices() {
        CommandRun run = evaluate("--model", "e5-small-q", "--data", "no-such-folder", "--profile", "business");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr().strip()).isEqualTo("--profile must be research or commercial, got 'business'");
    }

    @Test
    void aMisspeltEntityTypeIsExitTwoInOneLine() {
        CommandRun run = evaluate("--model", "e5-small-q", "--data", "no-such-folder", "--errors", "ORGG");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr().strip()).doesNotContain("\n").contains("ORGG");
    }
}
