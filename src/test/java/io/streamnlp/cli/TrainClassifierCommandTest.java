package io.streamnlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.heads.ClassifierHead;
import io.streamnlp.heads.HeadFile;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code train} as a user with nothing but a labelled file runs it: no {@code --data}, the table printed. */
class TrainClassifierCommandTest {

    @TempDir
    Path out;

    private static int train(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "train";
        System.arraycopy(args, 0, all, 1, args.length);
        return new CommandLine(new StreamNlpCommand()).execute(all);
    }

    @Test
    void aClassifierTrainsFromTheUsersFileAloneAndPrintsItsHeldOutTable() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = train("--model", "e5-small-q", "--classifier", "tickets", "--classifier-data",
                    "examples/support-tickets.tsv", "--out", out.toString(), "--no-cache", "--threads", "1");
        } finally {
            System.setOut(stdout);
        }
        assertThat(exit).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Held out (50 texts)", "softmax regression (floor)",
                "billing", "Wrote " + out.resolve("e5-small-q").resolve("classifier-tickets.bin"));
        try (InputStream in = Files.newInputStream(out.resolve("e5-small-q").resolve("classifier-tickets.bin"))) {
            HeadFile file = HeadFile.read(in);
            assertThat(file.kind()).isEqualTo(ClassifierHead.KIND);
            assertThat(file.meta(ClassifierHead.NAME)).isEqualTo("tickets");
        }
    }

    @Test
    void withoutDataOrAClassifierOrWithAMissingFileItExitsTwo() {
        assertThat(train("--model", "e5-small-q")).isEqualTo(2);
        assertThat(train("--model", "e5-small-q", "--classifier", "tickets", "--classifier-data",
                out.resolve("missing.tsv").toString())).isEqualTo(2);
        assertThat(train("--model", "e5-small-q", "--classifier", "no/slash", "--classifier-data",
                "examples/support-tickets.tsv")).isEqualTo(2);
    }
}
