package io.streamingworkshop.testkit;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Timestamps for test data, always in UTC (the workshop's session time zone). */
public final class Times {

    private Times() {}

    /** {@code "2024-05-01 10:02:30"} or {@code "2024-05-01T10:02:30"}, read as UTC. */
    public static Timestamp ts(String utc) {
        return Timestamp.from(instant(utc));
    }

    public static Instant instant(String utc) {
        return LocalDateTime.parse(utc.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    /** How Spark prints a timestamp in UTC: {@code 2024-05-01 10:02:30}. */
    public static String format(Timestamp timestamp) {
        LocalDateTime utc = LocalDateTime.ofInstant(timestamp.toInstant(), ZoneOffset.UTC);
        String text = utc.toString().replace('T', ' ');
        return text.length() == 16 ? text + ":00" : text;
    }
}
