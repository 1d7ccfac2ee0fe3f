package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.DatagenException;
import io.streamingworkshop.datagen.InvalidOptionException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/**
 * The datagen command line: {@code files}, {@code kafka}, {@code datasets}, {@code help}. Run it
 * from the repository root with
 * {@code ./mvnw -q -pl datagen exec:java -Dexec.args="files --dataset iot --out data/iot"}.
 *
 * <p>Every failure ends with one line on standard error and a non-zero exit code (2 for a bad
 * command line, 1 when the run itself fails), never a stack trace: in exec:java a thrown exception
 * would become a page of Maven output. {@link #run} returns the exit code, so tests can call it.
 */
public final class DatagenCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private DatagenCli() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (Throwable e) {
            // run() catches everything it expects; this is the last line of defence against a stack trace.
            System.err.println("datagen: unexpected error: " + e);
            code = FAILED;
        }
        System.out.flush();
        if (code != OK) {
            System.exit(code);
        }
    }

    /** Runs one command line; returns the exit code (0 success, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = commandLine(new Terminal(out, err));
        try {
            return commandLine.execute(args == null ? new String[0] : args);
        } finally {
            commandLine.getOut().flush();
        }
    }

    /** The commands, and how they are parsed: exactly as typed, with no {@code @file} expansion. */
    static CommandLine commandLine(Terminal terminal) {
        CommandLine commandLine = new CommandLine(new DatagenCommand(terminal))
                .addSubcommand(new CommandLine(new FilesCommand(terminal)))
                .addSubcommand(new CommandLine(new KafkaCommand(terminal)))
                .addSubcommand(new CommandLine(new DatasetsCommand(terminal)))
                .addSubcommand(new CommandLine(new HelpCommand(terminal)));
        Converters.registerAll(commandLine);
        commandLine.setExpandAtFiles(false);
        commandLine.setSeparator(" ");
        commandLine.setUsageHelpWidth(110);
        commandLine.setUsageHelpLongOptionsMaxWidth(36);
        commandLine.setOut(new PrintWriter(terminal.out(), false, Charset.defaultCharset()));
        commandLine.setErr(new PrintWriter(terminal.err(), true, Charset.defaultCharset()));
        for (String command : new String[] {"files", "kafka"}) {
            commandLine
                    .getSubcommands()
                    .get(command)
                    .getHelpSectionMap()
                    .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, new SectionedOptionList());
        }
        commandLine.setParameterExceptionHandler(new UsageErrors(terminal));
        commandLine.setExecutionExceptionHandler((e, where, parsed) -> failed(terminal, e));
        return commandLine;
    }

    /** The one line a failed run ends with, and its exit code. */
    private static int failed(Terminal terminal, Exception e) {
        if (e instanceof InvalidOptionException) {
            terminal.err().println("datagen: " + oneLine(((InvalidOptionException) e).commandLineMessage()));
            return USAGE;
        }
        if (e instanceof UsageException || e instanceof IllegalArgumentException) {
            terminal.err().println("datagen: " + oneLine(e.getMessage()));
            return USAGE;
        }
        if (e instanceof DatagenException) {
            terminal.err().println("datagen: " + oneLine(e.getMessage()));
            return FAILED;
        }
        terminal.err()
                .println("datagen: unexpected error: " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
        return FAILED;
    }

    static String oneLine(String message) {
        return message == null
                ? "(no message)"
                : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
