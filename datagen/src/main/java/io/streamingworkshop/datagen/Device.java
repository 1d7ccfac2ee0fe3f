package io.streamingworkshop.datagen;

/**
 * An IoT device: where it stands, its sensors, and how warm it usually runs. Readings wander
 * around the device's base temperature in a slow wave, so windows over a device show a trend
 * and a few hot devices cross the alert thresholds the labs use (80 and 100 degrees).
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
        int initialBatteryPct) {
}
