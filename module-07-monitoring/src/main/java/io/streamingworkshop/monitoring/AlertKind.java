package io.streamingworkshop.monitoring;

/**
 * The alert rules of exercise 7.5. Every rule looks only at progress reports that read at least
 * one row; "the previous report" means the previous such report.
 */
public enum AlertKind {
    /**
     * The query falls behind: rows arrive faster than it processes them. Holds for a report when
     * it and the {@code consecutiveBatches - 1} reports before it all have
     * {@code inputRowsPerSecond > processedRowsPerSecond}.
     */
    FALLING_BEHIND,
    /** A batch took longer than the trigger interval: {@code batchDuration > triggerIntervalMs}. */
    SLOW_BATCH,
    /**
     * The state keeps growing: the total {@code numRowsTotal} of the state operators rose over the
     * previous report's, {@code consecutiveBatches} times in a row, ending with this report.
     */
    STATE_GROWING,
    /** The watermark dropped rows in this batch: the state operators' {@code numRowsDroppedByWatermark} add up to more than 0. */
    LATE_ROWS_DROPPED
}
