package io.streamnlp.cli;

import io.streamnlp.ops.AppVersion;
import io.streamnlp.inference.OfflineDjl;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code streamnlp <command>}. Each command parses its flags and calls one capability. */
@Command(name = "streamnlp", mixinStandardHelpOptions = true, versionProvider = StreamNlpCommand.Version.class,
        description = "Enriches Kafka text events with embeddings, sentiment and named entities.",
        subcommands = {RunCommand.class, ReplayCommand.class, DemoCommand.class, BenchCommand.class, ConfigDocCommand.class, TrainCommand.class,
                EvaluateCommand.class})
public final class StreamNlpCommand implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        OfflineDjl.configure();
        int exitCode = new CommandLine(new StreamNlpCommand()).execute(args);
        System.exit(exitCode);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"StreamNLP " + AppVersion.get()};
        }
    }
}
