package io.streamingworkshop.windowing;

import java.util.Objects;

/**
 * What one run of the five-minute window count produced over the same input with one watermark
 * delay (exercise 4.8), so that runs with different delays can be compared (exercise 4.9).
 */
public final class WatermarkRun {

    private final String delay;
    private final long emittedWindows;
    private final long countedEvents;
    private final long droppedEvents;
    private final int maxBatchesWaited;

    /**
     * @param delay            the watermark delay of the run, e.g. {@code "5 minutes"}
     * @param emittedWindows   rows (window, device) the append-mode sink received
     * @param countedEvents    the sum of their counts: events that made it into a final result
     * @param droppedEvents    input rows the aggregation dropped as too late (from the query's progress)
     * @param maxBatchesWaited the longest wait of an emitted window, in input batches, from the batch
     *                         that brought its first event to the batch after which it was emitted
     */
    public WatermarkRun(
            String delay, long emittedWindows, long countedEvents, long droppedEvents, int maxBatchesWaited) {
        this.delay = Objects.requireNonNull(delay, "delay");
        this.emittedWindows = emittedWindows;
        this.countedEvents = countedEvents;
        this.droppedEvents = droppedEvents;
        this.maxBatchesWaited = maxBatchesWaited;
    }

    public String delay() {
        return delay;
    }

    public long emittedWindows() {
        return emittedWindows;
    }

    public long countedEvents() {
        return countedEvents;
    }

    public long droppedEvents() {
        return droppedEvents;
    }

    public int maxBatchesWaited() {
        return maxBatchesWaited;
    }

    /** The share of {@code totalEvents} that reached a final result. */
    public double completeness(long totalEvents) {
        return totalEvents == 0 ? 1.0 : (double) countedEvents / totalEvents;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof WatermarkRun)) {
            return false;
        }
        WatermarkRun that = (WatermarkRun) other;
        return delay.equals(that.delay)
                && emittedWindows == that.emittedWindows
                && countedEvents == that.countedEvents
                && droppedEvents == that.droppedEvents
                && maxBatchesWaited == that.maxBatchesWaited;
    }

    @Override
    public int hashCode() {
        return Objects.hash(delay, emittedWindows, countedEvents, droppedEvents, maxBatchesWaited);
    }

    @Override
    public String toString() {
        return "WatermarkRun[delay=" + delay + ", emittedWindows=" + emittedWindows + ", countedEvents=" + countedEvents
                + ", droppedEvents=" + droppedEvents + ", maxBatchesWaited=" + maxBatchesWaited + "]";
    }
}
