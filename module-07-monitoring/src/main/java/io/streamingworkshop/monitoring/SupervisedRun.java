package io.streamingworkshop.monitoring;

import java.util.List;

/**
 * How a supervised query went (exercise 7.6).
 *
 * @param attempts  how many times the query was started
 * @param completed whether the last start ran to its end without failing
 * @param failures  the message of each failed attempt's root cause, in order
 */
public record SupervisedRun(int attempts, boolean completed, List<String> failures) {
    public SupervisedRun {
        failures = List.copyOf(failures);
    }
}
