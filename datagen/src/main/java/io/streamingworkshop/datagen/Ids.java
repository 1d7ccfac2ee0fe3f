package io.streamingworkshop.datagen;

/** Readable ids such as {@code iot-00000042}: a prefix and a zero-padded number, cheap to build. */
final class Ids {

    private Ids() {}

    static String padded(String prefix, long number, int width) {
        String digits = Long.toString(number);
        StringBuilder id = new StringBuilder(prefix.length() + Math.max(width, digits.length()));
        id.append(prefix);
        for (int i = digits.length(); i < width; i++) {
            id.append('0');
        }
        return id.append(digits).toString();
    }

    /** Digits needed for {@code count}, at least {@code minimum}: ids of one run all have the same width. */
    static int width(long count, int minimum) {
        return Math.max(minimum, Long.toString(count).length());
    }
}
