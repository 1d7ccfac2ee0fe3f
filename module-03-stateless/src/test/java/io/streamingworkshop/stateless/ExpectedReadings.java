package io.streamingworkshop.stateless;

import static io.streamingworkshop.testkit.Check.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingworkshop.datagen.GeneratedRecord;
import io.streamingworkshop.testkit.Times;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * What the tests expect, worked out from the JSON that datagen wrote with Jackson and plain Java,
 * not with Spark, so that a test never checks Spark against itself. Also the inputs the tests
 * build by hand: Kafka records and readings.
 */
final class ExpectedReadings {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Timestamp TEN_O_CLOCK = Times.ts("2024-05-01 10:00:00");

    private ExpectedReadings() {}

    /** The row of {@link Stateless#READINGS} that a readable datagen record holds, field by field. */
    static Object[] reading(GeneratedRecord record) {
        JsonNode json = parse(record.json());
        JsonNode location = json.get("location");
        return row(
                text(json, "event_id"),
                text(json, "device_id"),
                text(json, "sensor_id"),
                number(json, "temperature"),
                number(json, "humidity"),
                row(text(location, "site"), number(location, "lat"), number(location, "lon")),
                tags(json),
                Timestamp.from(Instant.parse(text(json, "event_time"))));
    }

    /**
     * The rows exercise 3.9 makes of a readable record: one per tag when it is hotter than 75
     * degrees (event_id, device_id, site, temperature, temp_fahrenheit, severity, tag, event_time).
     */
    static List<Object[]> alerts(GeneratedRecord record) {
        JsonNode json = parse(record.json());
        Double temperature = number(json, "temperature");
        List<Object[]> rows = new ArrayList<>();
        if (temperature == null || temperature <= 75) {
            return rows;
        }
        List<String> tags = tags(json);
        for (String tag : tags.isEmpty() ? Collections.<String>singletonList(null) : tags) {
            rows.add(row(
                    text(json, "event_id"),
                    text(json, "device_id"),
                    text(json.get("location"), "site"),
                    temperature,
                    fahrenheit(temperature),
                    severity(temperature),
                    tag,
                    Timestamp.from(Instant.parse(text(json, "event_time")))));
        }
        return rows;
    }

    static double fahrenheit(double celsius) {
        return celsius * 1.8 + 32;
    }

    /** The workshop's rule: above 100 Critical, above 80 Warning, else Normal; no temperature, no severity. */
    static String severity(Double celsius) {
        if (celsius == null) {
            return null;
        }
        return celsius > 100 ? "Critical" : celsius > 80 ? "Warning" : "Normal";
    }

    /** A record as Spark's Kafka source gives it ({@link Stateless#KAFKA_RECORDS}); a null value stays null. */
    static Row kafkaRecord(String key, String value, long offset) {
        return RowFactory.create(
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                "readings",
                0,
                offset,
                TEN_O_CLOCK,
                0);
    }

    static Row kafkaRecord(GeneratedRecord record) {
        return kafkaRecord(record.key(), record.json(), record.sequence());
    }

    /** A reading's JSON as datagen writes it, location and time fixed. */
    static String readingJson(String eventId, String deviceId, double temperature, String... tags) {
        StringBuilder tagList = new StringBuilder();
        for (String tag : tags) {
            tagList.append(tagList.length() == 0 ? "" : ",")
                    .append('"')
                    .append(tag)
                    .append('"');
        }
        return "{\"event_id\":\"" + eventId + "\",\"device_id\":\"" + deviceId + "\",\"sensor_id\":\"" + deviceId
                + "-s1\",\"temperature\":" + temperature + ",\"humidity\":40.0,\"location\":{\"site\":\"plant-lyon\","
                + "\"lat\":45.764,\"lon\":4.8357},\"tags\":[" + tagList
                + "],\"event_time\":\"2024-05-01T10:00:00.000Z\"}";
    }

    /** A row of {@link Stateless#READINGS}: device {@code d} at site {@code plant-d}, sensor {@code d-s1}, 10:00. */
    static Row readingRow(String eventId, String deviceId, Double temperature, String... tags) {
        return RowFactory.create(
                eventId,
                deviceId,
                deviceId + "-s1",
                temperature,
                40.0,
                RowFactory.create("plant-" + deviceId, 45.764, 4.8357),
                List.of(tags),
                TEN_O_CLOCK);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("The test expected readable JSON: " + json, e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asDouble();
    }

    private static List<String> tags(JsonNode json) {
        List<String> tags = new ArrayList<>();
        JsonNode array = json.get("tags");
        if (array != null) {
            array.forEach(tag -> tags.add(tag.asText()));
        }
        return tags;
    }
}
