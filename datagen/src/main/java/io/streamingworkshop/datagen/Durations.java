package io.streamingworkshop.datagen;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on a command line: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h30m}, {@code 2d}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    /** Parses {@code 10m}, {@code 1h30m}, {@code 250ms} or ISO-8601 ({@code PT10M}). */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("pt") || value.startsWith("p")) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw notADuration(text);
            }
        }
        Matcher m = PART.matcher(value);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < value.length() && m.find(at) && m.start() == at) {
            long amount = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    total = total.plusMillis(amount);
                    break;
                case "s":
                    total = total.plusSeconds(amount);
                    break;
                case "m":
                    total = total.plusMinutes(amount);
                    break;
                case "h":
                    total = total.plusHours(amount);
                    break;
                default:
                    total = total.plusDays(amount);
                    break;
            }
            at = m.end();
        }
        if (value.isEmpty() || at != value.length()) {
            throw notADuration(text);
        }
        return total;
    }

    /** The shortest form {@link #parse} reads back: {@code 10m}, {@code 1h30m}, {@code 1500ms}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        StringBuilder text = new StringBuilder();
        if (duration.toMillisPart() != 0) {
            return text.append(duration.toMillis()).append("ms").toString();
        }
        long days = duration.toDaysPart();
        if (days > 0) {
            text.append(days).append('d');
        }
        if (duration.toHoursPart() > 0) {
            text.append(duration.toHoursPart()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0) {
            text.append(duration.toSecondsPart()).append('s');
        }
        return text.toString();
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 30s, 10m, 1h30m, 2d)");
    }
}
