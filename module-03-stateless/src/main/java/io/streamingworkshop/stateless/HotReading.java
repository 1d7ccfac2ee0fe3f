package io.streamingworkshop.stateless;

import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;

/** A reading above the hot threshold, with its temperature in both units: the output of exercise 3.5. */
public class HotReading implements Serializable {

    private static final long serialVersionUID = 1L;

    private String eventId;
    private String deviceId;
    private double temperature;
    private double tempFahrenheit;

    public HotReading() {}

    public HotReading(String eventId, String deviceId, double temperature, double tempFahrenheit) {
        this.eventId = eventId;
        this.deviceId = deviceId;
        this.temperature = temperature;
        this.tempFahrenheit = tempFahrenheit;
    }

    public static Encoder<HotReading> encoder() {
        return Encoders.bean(HotReading.class);
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

    /** Degrees Celsius. */
    public double getTemperature() {
        return temperature;
    }

    public void setTemperature(double temperature) {
        this.temperature = temperature;
    }

    /** Degrees Fahrenheit. */
    public double getTempFahrenheit() {
        return tempFahrenheit;
    }

    public void setTempFahrenheit(double tempFahrenheit) {
        this.tempFahrenheit = tempFahrenheit;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof HotReading)) {
            return false;
        }
        HotReading that = (HotReading) other;
        return Objects.equals(eventId, that.eventId)
                && Objects.equals(deviceId, that.deviceId)
                && Double.compare(temperature, that.temperature) == 0
                && Double.compare(tempFahrenheit, that.tempFahrenheit) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, deviceId, temperature, tempFahrenheit);
    }

    @Override
    public String toString() {
        return "HotReading[eventId=" + eventId + ", deviceId=" + deviceId + ", temperature=" + temperature
                + ", tempFahrenheit=" + tempFahrenheit + "]";
    }
}
