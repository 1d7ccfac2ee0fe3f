package io.streamingworkshop.datagen.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.streamingworkshop.datagen.Durations;

/**
 * The options of one command, parsed and checked one by one: {@code --name value} or
 * {@code --name=value}. Each typed getter fails with a message that names the option and says
 * what it takes, so a typo never turns into a stack trace or a silently ignored setting.
 */
final class ParsedArgs {

    private final String command;
    private final Map<CliOption, List<String>> values = new EnumMap<>(CliOption.class);

    private ParsedArgs(String command) {
        this.command = command;
    }

    static ParsedArgs parse(String command, List<String> args) {
        ParsedArgs parsed = new ParsedArgs(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h")) {
                arg = "--help";
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("Unexpected argument '" + arg + "': options start with -- (see " + command
                        + " --help)");
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            CliOption option = CliOption.named(name);
            if (option == null || !option.belongsTo(command)) {
                throw new UsageException("Unknown option --" + name + " for the " + command + " command (see " + command
                        + " --help)");
            }
            if (option.takesValue() && value == null) {
                if (i + 1 >= args.size() || (args.get(i + 1).startsWith("--") && !looksNumeric(args.get(i + 1)))) {
                    throw new UsageException("--" + name + " needs a value: --" + name + " " + option.argument);
                }
                value = args.get(++i);
            } else if (!option.takesValue() && value != null) {
                throw new UsageException("--" + name + " takes no value");
            }
            List<String> list = parsed.values.computeIfAbsent(option, o -> new ArrayList<>());
            if (!list.isEmpty() && !option.repeatable()) {
                throw new UsageException("--" + name + " is given twice");
            }
            list.add(value == null ? "" : value);
        }
        return parsed;
    }

    private static boolean looksNumeric(String arg) {
        return arg.matches("--?\\d.*");
    }

    String command() {
        return command;
    }

    boolean has(CliOption option) {
        return values.containsKey(option);
    }

    Iterable<CliOption> given() {
        return values.keySet();
    }

    String text(CliOption option) {
        List<String> list = values.get(option);
        return list == null ? null : list.get(0);
    }

    List<String> all(CliOption option) {
        return values.getOrDefault(option, List.of());
    }

    String required(CliOption option) {
        String value = text(option);
        if (value == null || value.isBlank()) {
            throw new UsageException("The " + command + " command needs --" + option.name + " " + option.argument
                    + " (see " + command + " --help)");
        }
        return value;
    }

    long wholeNumber(CliOption option, long min, long max) {
        String value = text(option).replace("_", "");
        try {
            long number = Long.parseLong(value);
            if (number < min || number > max) {
                throw new UsageException("--" + option.name + " must be between " + min + " and " + max + ", got " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + option.name + " takes a whole number, got '" + text(option) + "'");
        }
    }

    double fraction(CliOption option) {
        double value = decimal(option);
        if (!(value >= 0 && value <= 1)) {
            throw new UsageException("--" + option.name + " must be a fraction between 0 and 1 (e.g. 0.05 for 5%), got "
                    + text(option));
        }
        return value;
    }

    double positive(CliOption option) {
        double value = decimal(option);
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new UsageException("--" + option.name + " must be a number above 0, got " + text(option));
        }
        return value;
    }

    private double decimal(CliOption option) {
        try {
            return Double.parseDouble(text(option).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + option.name + " takes a number, got '" + text(option) + "'");
        }
    }

    Duration duration(CliOption option) {
        try {
            return Durations.parse(text(option));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + option.name + ": " + e.getMessage());
        }
    }

    /** {@code 2024-05-01T10:00:00Z}, or without the zone ({@code 2024-05-01T10:00:00}, {@code 2024-05-01 10:00}), read as UTC. */
    Instant instant(CliOption option) {
        String value = text(option).trim();
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notWithZone) {
            try {
                return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new UsageException("--" + option.name + " takes a time such as 2024-05-01T10:00:00Z, got '" + value
                        + "'");
            }
        }
    }
}
