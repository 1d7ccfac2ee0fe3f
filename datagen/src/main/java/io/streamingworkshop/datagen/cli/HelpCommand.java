package io.streamingworkshop.datagen.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code help [files|kafka|datasets]}: the overview, or the help of one command. */
@Command(name = "help")
final class HelpCommand implements Callable<Integer> {

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "COMMAND")
    String topic;

    HelpCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (topic == null) {
            terminal.out().print(DatagenCommand.overview());
        } else if (topic.equals("files") || topic.equals("kafka")) {
            CommandLine command = spec.parent().subcommands().get(topic);
            command.usage(terminal.out());
        } else if (topic.equals("datasets")) {
            terminal.out().print(DatasetsCommand.text());
        } else {
            throw new UsageException("No help for '" + topic + "': try help files, help kafka or help datasets");
        }
        return DatagenCli.OK;
    }
}
