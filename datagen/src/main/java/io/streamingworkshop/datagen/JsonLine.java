package io.streamingworkshop.datagen;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Builds one JSON object as bytes, fields in the order they are added. Hand-written rather than a
 * JSON library because it has to be fast (a million events a second) and its output byte-exact
 * (numbers with a fixed number of decimals, timestamps always with milliseconds), so that the
 * same seed gives the same files everywhere. Reused from one event to the next.
 */
final class JsonLine {

    private byte[] buffer = new byte[512];
    private int length;
    private boolean firstField;

    // The "yyyy-MM-ddTHH:mm:ss." prefix of the last second formatted: events a few ms apart share it.
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] cachedPrefix = new byte[20];

    JsonLine begin() {
        length = 0;
        firstField = true;
        put('{');
        return this;
    }

    /** The finished object, without a line break. */
    byte[] end() {
        put('}');
        return Arrays.copyOf(buffer, length);
    }

    JsonLine string(String name, String value) {
        name(name);
        quoted(value);
        return this;
    }

    JsonLine number(String name, long value) {
        name(name);
        digits(value);
        return this;
    }

    /** {@code unscaled} / 10^scale with exactly {@code scale} decimals, e.g. (2150, 2) is 21.50. */
    JsonLine decimal(String name, long unscaled, int scale) {
        name(name);
        decimal(unscaled, scale);
        return this;
    }

    /** A decimal written as a string with a unit, e.g. "21.5 C": the wrong type where a number belongs. */
    JsonLine decimalAsText(String name, long unscaled, int scale, String unit) {
        name(name);
        put('"');
        decimal(unscaled, scale);
        put(' ');
        ascii(unit);
        put('"');
        return this;
    }

    /**
     * The field every record type may write wrongly: a number, or for a malformed record of the
     * wrong-type kind the same value as text with its unit.
     */
    JsonLine measure(String name, long unscaled, int scale, String unit, boolean wrongType) {
        return wrongType ? decimalAsText(name, unscaled, scale, unit) : decimal(name, unscaled, scale);
    }

    /** ISO-8601 in UTC with milliseconds, e.g. "2024-05-01T10:00:00.250Z" (Spark's JSON default format). */
    JsonLine timestamp(String name, long epochMillis) {
        name(name);
        long second = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        if (second != cachedSecond) {
            String text = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).toString();
            // LocalDateTime drops ":00" seconds ("2024-05-01T10:00"); pad to the full form.
            if (text.length() == 16) {
                text = text + ":00";
            }
            for (int i = 0; i < 19; i++) {
                cachedPrefix[i] = (byte) text.charAt(i);
            }
            cachedPrefix[19] = '.';
            cachedSecond = second;
        }
        put('"');
        ensure(25);
        System.arraycopy(cachedPrefix, 0, buffer, length, 20);
        length += 20;
        buffer[length++] = (byte) ('0' + millis / 100);
        buffer[length++] = (byte) ('0' + millis / 10 % 10);
        buffer[length++] = (byte) ('0' + millis % 10);
        buffer[length++] = 'Z';
        put('"');
        return this;
    }

    JsonLine date(String name, LocalDate date) {
        return string(name, date.toString());
    }

    JsonLine stringArray(String name, String[] values) {
        name(name);
        put('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                put(',');
            }
            quoted(values[i]);
        }
        put(']');
        return this;
    }

    JsonLine beginObject(String name) {
        name(name);
        put('{');
        firstField = true;
        return this;
    }

    JsonLine endObject() {
        put('}');
        firstField = false;
        return this;
    }

    private void name(String name) {
        if (!firstField) {
            put(',');
        }
        firstField = false;
        quoted(name);
        put(':');
    }

    private void quoted(String value) {
        put('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                put('\\');
                put(c);
            } else if (c < 0x20 || c > 0x7E) {
                // The generators only produce printable ASCII; escape anything else rather than corrupt a line.
                ascii(String.format("\\u%04x", (int) c));
            } else {
                put(c);
            }
        }
        put('"');
    }

    private void decimal(long unscaled, int scale) {
        if (unscaled < 0) {
            put('-');
            unscaled = -unscaled;
        }
        long factor = 1;
        for (int i = 0; i < scale; i++) {
            factor *= 10;
        }
        digits(unscaled / factor);
        if (scale > 0) {
            put('.');
            long fraction = unscaled % factor;
            for (long f = factor / 10; f > 0; f /= 10) {
                put((char) ('0' + fraction / f % 10));
            }
        }
    }

    private void digits(long value) {
        if (value < 0) {
            put('-');
            if (value == Long.MIN_VALUE) {
                ascii("9223372036854775808");
                return;
            }
            value = -value;
        }
        ensure(20);
        int start = length;
        do {
            buffer[length++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte t = buffer[i];
            buffer[i] = buffer[j];
            buffer[j] = t;
        }
    }

    private void ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            put(text.charAt(i));
        }
    }

    private void put(char c) {
        if (length == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[length++] = (byte) c;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
