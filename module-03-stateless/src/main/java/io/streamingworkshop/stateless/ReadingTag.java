package io.streamingworkshop.stateless;

import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;

/** One tag of one reading, with the reading's keys: the output of exercise 3.6. */
public class ReadingTag implements Serializable {

    private static final long serialVersionUID = 1L;

    private String eventId;
    private String deviceId;
    private String tag;

    public ReadingTag() {}

    public ReadingTag(String eventId, String deviceId, String tag) {
        this.eventId = eventId;
        this.deviceId = deviceId;
        this.tag = tag;
    }

    public static Encoder<ReadingTag> encoder() {
        return Encoders.bean(ReadingTag.class);
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

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ReadingTag)) {
            return false;
        }
        ReadingTag that = (ReadingTag) other;
        return Objects.equals(eventId, that.eventId)
                && Objects.equals(deviceId, that.deviceId)
                && Objects.equals(tag, that.tag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, deviceId, tag);
    }

    @Override
    public String toString() {
        return "ReadingTag[eventId=" + eventId + ", deviceId=" + deviceId + ", tag=" + tag + "]";
    }
}
