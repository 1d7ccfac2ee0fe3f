package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The text-to-value conversions of the options, and nothing else: whether a value is in range is
 * checked once, by the library (GeneratorOptions, Datagen, Pacing). A conversion's message is the
 * rest of a sentence that starts with the option's name ({@link UsageErrors} puts it in front).
 */
final class Converters {

    private Converters() {}

    static void registerAll(CommandLine commandLine) {
        commandLine.registerConverter(Long.class, wholeNumber());
        commandLine.registerConverter(Integer.class, Converters::smallWholeNumber);
        commandLine.registerConverter(Double.class, Converters::number);
        commandLine.registerConverter(Duration.class, Converters::duration);
        commandLine.registerConverter(Instant.class, Converters::instant);
    }

    private static ITypeConverter<Long> wholeNumber() {
        return text -> {
            try {
                return Long.parseLong(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new TypeConversionException(" takes a whole number, got '" + text + "'");
            }
        };
    }

    private static Integer smallWholeNumber(String text) throws Exception {
        long value = wholeNumber().convert(text);
        if (value != (int) value) {
            throw new TypeConversionException(
                    " takes a whole number up to " + Integer.MAX_VALUE + ", got '" + text + "'");
        }
        return (int) value;
    }

    private static Double number(String text) {
        try {
            return Double.parseDouble(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new TypeConversionException(" takes a number, got '" + text + "'");
        }
    }

    private static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(": " + e.getMessage());
        }
    }

    /** {@code 2024-05-01T10:00:00Z}, or without the zone ({@code 2024-05-01T10:00:00}, {@code 2024-05-01 10:00}), read as UTC. */
    private static Instant instant(String text) {
        String value = text.trim();
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notWithZone) {
            try {
                return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(" takes a time such as 2024-05-01T10:00:00Z, got '" + value + "'");
            }
        }
    }
}
