package io.streamingworkshop.datagen;

/**
 * An IoT device: where it stands, its sensors, and how warm it usually runs. Readings wander
 * around the device's base temperature in a slow wave, so windows over a device show a trend;
 * most devices run between 18 and 65 degrees, and the few hot ones (88 to 99) sit above the
 * workshop's warning threshold (80) and now and then cross its critical one (100).
 */
record Device(
        String id,
        String[] sensorIds,
        String site,
        long latE4,
        long lonE4,
        double baseTemperature,
        double amplitude,
        double periodSeconds,
        double phase,
        double baseHumidity,
        String[] tags,
        int initialBatteryPct) {}
