package io.streamnlp.cli;

import io.streamnlp.config.StreamNlpConfig;
import picocli.CommandLine.Command;

/** Prints the configuration reference (the README's table is generated from it). */
@Command(name = "config-doc", mixinStandardHelpOptions = true,
        description = "Print every setting with its default, as Markdown tables (one per group).")
final class ConfigDocCommand implements Runnable {
    @Override
    public void run() {
        System.out.print(StreamNlpConfig.documentation());
    }
}
