package io.streamingworkshop.monitoring;

import java.util.UUID;

/**
 * What a query says about itself (exercise 7.3).
 *
 * @param id            the query's id: the same for every run on one checkpoint
 * @param runId         the id of this run: new on every start, restarts included
 * @param active        {@code isActive()}
 * @param message       the status message, e.g. "Waiting for data to arrive"
 * @param dataAvailable the status' {@code isDataAvailable}
 * @param triggerActive the status' {@code isTriggerActive}
 * @param terminated    whether the query had ended within the wait ({@code awaitTermination})
 * @param error         for a failed query, the message of the innermost cause of its exception; else null
 */
public record QuerySnapshot(
        UUID id,
        UUID runId,
        boolean active,
        String message,
        boolean dataAvailable,
        boolean triggerActive,
        boolean terminated,
        String error) {}
