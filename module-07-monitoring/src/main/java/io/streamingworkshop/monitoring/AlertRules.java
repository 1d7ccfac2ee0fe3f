package io.streamingworkshop.monitoring;

/**
 * The thresholds of the alert rules (exercise 7.5).
 *
 * @param consecutiveBatches how many reports in a row FALLING_BEHIND and STATE_GROWING need (at least 1)
 * @param triggerIntervalMs  the query's trigger interval: a longer batch is a SLOW_BATCH
 */
public record AlertRules(int consecutiveBatches, long triggerIntervalMs) {
    public AlertRules {
        if (consecutiveBatches < 1) {
            throw new IllegalArgumentException("consecutiveBatches must be at least 1, not " + consecutiveBatches);
        }
        if (triggerIntervalMs < 0) {
            throw new IllegalArgumentException("triggerIntervalMs must not be negative, not " + triggerIntervalMs);
        }
    }
}
