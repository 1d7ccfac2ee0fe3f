package io.streamingworkshop.datagen.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line picocli cannot parse becomes one line that names the option and says what it
 * takes, instead of picocli's message followed by the whole usage help.
 */
final class UsageErrors implements IParameterExceptionHandler {

    private final Terminal terminal;

    UsageErrors(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        terminal.err().println("datagen: " + DatagenCli.oneLine(message(e)));
        return DatagenCli.USAGE;
    }

    static String message(ParameterException e) {
        String command = e.getCommandLine().getCommandName();
        if (e instanceof UnmatchedArgumentException) {
            return unmatched(command, ((UnmatchedArgumentException) e).getUnmatched(), e.getCommandLine());
        }
        ArgSpec spec = optionOf(e);
        if (!(spec instanceof OptionSpec)) {
            return e.getMessage();
        }
        OptionSpec option = (OptionSpec) spec;
        String name = option.longestName();
        if (e.getCause() instanceof TypeConversionException) {
            return name + e.getCause().getMessage();
        }
        if (e instanceof OverwrittenOptionException) {
            return name + " is given twice";
        }
        if (e instanceof MissingParameterException) {
            return name + " needs a value: " + name + " " + option.paramLabel();
        }
        return e.getMessage();
    }

    /** picocli keeps the option an error is about in a different place for each kind of error. */
    private static ArgSpec optionOf(ParameterException e) {
        if (e instanceof MissingParameterException
                && !((MissingParameterException) e).getMissing().isEmpty()) {
            return ((MissingParameterException) e).getMissing().get(0);
        }
        if (e instanceof OverwrittenOptionException) {
            return ((OverwrittenOptionException) e).getOverwritten();
        }
        return e.getArgSpec();
    }

    private static String unmatched(String command, List<String> unmatched, CommandLine where) {
        String first = unmatched.isEmpty() ? "" : unmatched.get(0);
        if (where.getParent() == null) {
            return "Unknown command '" + first + "': use files, kafka, datasets or help";
        }
        if (first.startsWith("--") && first.length() > 2) {
            String name = first.substring(2).split("=", 2)[0];
            OptionSpec known = where.getCommandSpec().findOption("--" + name);
            if (known != null && known.arity().max() == 0) {
                return "--" + name + " takes no value"; // picocli does not match a flag given with =value
            }
            return "Unknown option --" + name + " for the " + command + " command (see " + command + " --help)";
        }
        return "Unexpected argument '" + first + "': options start with -- (see " + command + " --help)";
    }
}
