package io.streamingworkshop.datagen;

/**
 * The range checks of every numeric option, each written once. {@code option} is the command
 * line's name ({@code late-fraction}), {@code name} the library's ({@code late fraction}).
 */
final class OptionChecks {

    private OptionChecks() {}

    static long wholeNumber(long value, long min, long max, String option, String name) {
        if (value < min || value > max) {
            String range = " must be between " + min + " and " + max + ", got " + value;
            throw new InvalidOptionException(name + range, "--" + option + range);
        }
        return value;
    }

    static double fraction(double value, String option, String name) {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidOptionException(
                    name + " must be between 0 and 1, got " + value,
                    "--" + option + " must be a fraction between 0 and 1 (e.g. 0.05 for 5%), got " + text(value));
        }
        return value;
    }

    static double aboveZero(double value, String option, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidOptionException(
                    name + " must be above 0, got " + value,
                    "--" + option + " must be a number above 0, got " + text(value));
        }
        return value;
    }

    /** A number as a person typed it: {@code 2}, not {@code 2.0}. */
    static String text(double value) {
        if (Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return String.valueOf(value);
    }
}
