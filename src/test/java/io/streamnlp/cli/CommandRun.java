package io.streamnlp.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * One {@code streamnlp} command run in this JVM, as a user at the shell sees it: the exit code and what
 * it printed. Under the fuzz profile the instrumenting agent reports each class it loads on stderr too;
 * those lines are not the command's and are left out.
 */
record CommandRun(int exit, String stdout, String stderr) {

    /** Runs {@code streamnlp <command> <args...>}. */
    static CommandRun of(String command, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new StreamNlpCommand()).execute(all);
            String own = errors.toString(StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("INFO: Instrumented ")).collect(Collectors.joining("\n"));
            return new CommandRun(exit, printed.toString(StandardCharsets.UTF_8), own);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
