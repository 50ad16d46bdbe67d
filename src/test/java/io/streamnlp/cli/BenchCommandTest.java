package io.streamnlp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    void soakDurationsReadAsPeopleWriteThem() {
        assertThat(BenchCommand.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(BenchCommand.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(BenchCommand.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(BenchCommand.parseDuration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aBadDurationNamesTheOptionAndTheForm() {
        assertThatThrownBy(() -> BenchCommand.parseDuration("ten minutes"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--soak").hasMessageContaining("10m");
    }

    @Test
    void outputReplacesOnlyItsOwnSection() {
        String first = BenchCommand.withSection("# Benchmarks\n\nRead this.\n", "table", "| a |\n");
        assertThat(first).isEqualTo("# Benchmarks\n\nRead this.\n\n<!-- bench:table:start -->\n| a |\n<!-- bench:table:end -->\n");
        String both = BenchCommand.withSection(first + "\nKept by hand.\n", "soak", "| s |\n");
        String again = BenchCommand.withSection(both, "table", "| b |\n");
        assertThat(again).contains("Read this.", "| b |", "Kept by hand.", "| s |").doesNotContain("| a |");
    }

    @Test
    void aSettingStreamNlpDoesNotKnowStopsTheRunBeforeAnythingStartsNamingIt() {
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = new CommandLine(new BenchCommand()).setErr(new java.io.PrintWriter(err))
                .execute("--set", "cache.placment=by-text", "--soak", "1m");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--set", "'cache.placment' is no StreamNLP setting");
    }

    @Test
    void aValueStreamNlpRefusesStopsTheRunNamingTheSetting() {
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = new CommandLine(new BenchCommand()).setErr(new java.io.PrintWriter(err))
                .execute("--set", "cache.placement=sideways", "--levers");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--set", "cache.placement", "sideways");
    }

    @Test
    void aSoakRateWithoutASoakOrNotAboveZeroStopsTheRunNamingTheOption() {
        for (String[] args : List.of(new String[] {"--soak-rate", "100", "--levers"},
                new String[] {"--soak", "1m", "--soak-rate", "0"}, new String[] {"--soak", "1m", "--soak-rate", "-5"})) {
            java.io.StringWriter err = new java.io.StringWriter();
            int exit = new CommandLine(new BenchCommand()).setErr(new java.io.PrintWriter(err)).execute(args);
            assertThat(exit).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", args)).contains("--soak-rate");
        }
    }

    @Test
    void runsWithSettingsWriteASectionOfTheirOwn() {
        BenchCommand command = new BenchCommand();
        CommandLine.populateCommand(command, "--set", "cache.placement=by-text", "--soak", "10m");
        String plain = BenchCommand.withSection("# Benchmarks\n", "soak", "| default |\n");
        String both = BenchCommand.withSection(plain, command.section("soak"), "| by-text |\n");
        assertThat(both).contains("<!-- bench:soak:start -->", "| default |",
                "<!-- bench:soak cache.placement=by-text:start -->", "| by-text |");
    }
}
