package io.streamingworkshop.datagen;

import java.util.Arrays;

/**
 * IoT readings: each event comes from a device picked at random, one of its sensors, with a
 * temperature that follows the device's slow wave plus noise, and a battery that drains over
 * simulated time (seen only once the schema change adds {@code battery_pct}).
 */
final class IotSource implements EventSource {

    private static final double MAINTENANCE_CHANCE = 0.02;

    private final Device[] devices;
    private final SeededRandom random;
    private final long events;
    private final int idWidth;
    private final long startNanos;

    IotSource(GeneratorOptions options) {
        this.devices = Catalog.devices(options.devices());
        this.random = SeededRandom.derive(options.seed(), "iot", "events");
        this.events = options.events();
        this.idWidth = Ids.width(events, 8);
        this.startNanos = Simulation.epochNanos(options.start());
    }

    @Override
    public long count(RecordType type) {
        return type == RecordType.IOT_READING ? events : 0;
    }

    @Override
    public Event primary(long index, long timeNanos) {
        Device device = devices[random.nextInt(devices.length)];
        int sensor = random.nextInt(device.sensorIds().length);
        double seconds = (timeNanos - startNanos) / 1e9;
        double wave = StrictMath.sin(2 * StrictMath.PI * (seconds / device.periodSeconds() + device.phase()));
        double temperature = device.baseTemperature() + device.amplitude() * wave + 0.8 * random.gaussian();
        double humidity = Math.max(0, Math.min(100, device.baseHumidity() + 3 * random.gaussian()));
        String[] tags = device.tags();
        if (random.chance(MAINTENANCE_CHANCE)) {
            tags = Arrays.copyOf(tags, tags.length + 1);
            tags[tags.length - 1] = "maintenance";
        }
        int battery = (int) Math.max(5, device.initialBatteryPct() - (long) (seconds / 900));
        return new IotReading(
                Ids.padded("iot-", index + 1, idWidth),
                timeNanos,
                device,
                sensor,
                Math.round(temperature * 10),
                Math.round(humidity * 10),
                tags,
                battery);
    }
}
