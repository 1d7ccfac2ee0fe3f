package io.streamingworkshop.datagen;

/** One IoT sensor reading (see the README's schema table). */
record IotReading(
        String id,
        long timeNanos,
        Device device,
        int sensor,
        long temperatureTenths,
        long humidityTenths,
        String[] tags,
        int batteryPct)
        implements Event {

    @Override
    public RecordType type() {
        return RecordType.IOT_READING;
    }

    @Override
    public String key() {
        return device.id();
    }

    @Override
    public byte[] render(JsonLine json, boolean withAddedField, boolean wrongType) {
        json.begin()
                .string("event_id", id)
                .string("device_id", device.id())
                .string("sensor_id", device.sensorIds()[sensor]);
        json.measure("temperature", temperatureTenths, 1, "C", wrongType);
        json.decimal("humidity", humidityTenths, 1)
                .beginObject("location")
                .string("site", device.site())
                .decimal("lat", device.latE4(), 4)
                .decimal("lon", device.lonE4(), 4)
                .endObject()
                .stringArray("tags", tags)
                .timestamp("event_time", Math.floorDiv(timeNanos, 1_000_000L));
        if (withAddedField) {
            json.number("battery_pct", batteryPct);
        }
        return json.end();
    }
}
