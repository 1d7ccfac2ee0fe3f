package io.streamingworkshop.stateless;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * One IoT reading as a JavaBean, for the typed API (exercises 3.5 and 3.6). A bean, not a record:
 * {@code Encoders.bean} finds properties through getters and setters and builds objects with the
 * no-argument constructor, and a Java record has neither (its bean schema is empty).
 *
 * <p>The temperature is a {@code Double}, not a {@code double}: a reading may come without one,
 * and then {@link #getTemperature()} returns null.
 */
public class SensorReading implements Serializable {

    private static final long serialVersionUID = 1L;

    private String eventId;
    private String deviceId;
    private String sensorId;
    private Double temperature;
    private List<String> tags;
    private Timestamp eventTime;

    /** For Spark's bean encoder, which creates the object first and then calls the setters. */
    public SensorReading() {}

    public SensorReading(
            String eventId,
            String deviceId,
            String sensorId,
            Double temperature,
            List<String> tags,
            Timestamp eventTime) {
        this.eventId = eventId;
        this.deviceId = deviceId;
        this.sensorId = sensorId;
        this.temperature = temperature;
        this.tags = tags;
        this.eventTime = eventTime;
    }

    /** The encoder of this bean: its Spark columns are the property names, {@code eventId}, {@code deviceId}, ... */
    public static Encoder<SensorReading> encoder() {
        return Encoders.bean(SensorReading.class);
    }

    /**
     * Parsed readings (columns {@code event_id}, {@code device_id}, ... as in {@link Stateless#READINGS})
     * as beans. The bean encoder matches columns to properties by name, so the snake_case columns
     * are renamed first; without that Spark says "A column or function parameter with name
     * `deviceId` cannot be resolved".
     */
    public static Dataset<SensorReading> fromReadings(Dataset<Row> readings) {
        return readings.select(
                        col("event_id").as("eventId"),
                        col("device_id").as("deviceId"),
                        col("sensor_id").as("sensorId"),
                        col("temperature"),
                        col("tags"),
                        col("event_time").as("eventTime"))
                .as(encoder());
    }

    public String getEventId() {
        return eventId;
    }

    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    public String getDeviceId() {
        return deviceId;
    }

    public void setDeviceId(String deviceId) {
        this.deviceId = deviceId;
    }

    public String getSensorId() {
        return sensorId;
    }

    public void setSensorId(String sensorId) {
        this.sensorId = sensorId;
    }

    /** Degrees Celsius, or null when the reading came without a temperature. */
    public Double getTemperature() {
        return temperature;
    }

    public void setTemperature(Double temperature) {
        this.temperature = temperature;
    }

    /** The device's tags; may be null or empty. */
    public List<String> getTags() {
        return tags;
    }

    public void setTags(List<String> tags) {
        this.tags = tags;
    }

    public Timestamp getEventTime() {
        return eventTime;
    }

    public void setEventTime(Timestamp eventTime) {
        this.eventTime = eventTime;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof SensorReading)) {
            return false;
        }
        SensorReading that = (SensorReading) other;
        return Objects.equals(eventId, that.eventId)
                && Objects.equals(deviceId, that.deviceId)
                && Objects.equals(sensorId, that.sensorId)
                && Objects.equals(temperature, that.temperature)
                && Objects.equals(tags, that.tags)
                && Objects.equals(eventTime, that.eventTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, deviceId, sensorId, temperature, tags, eventTime);
    }

    @Override
    public String toString() {
        return "SensorReading[eventId=" + eventId + ", deviceId=" + deviceId + ", sensorId=" + sensorId
                + ", temperature=" + temperature + ", tags=" + tags + ", eventTime=" + eventTime + "]";
    }
}
