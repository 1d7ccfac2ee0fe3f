package io.streamingworkshop.monitoring;

/**
 * One alert: which rule, for which micro-batch, and a sentence for whoever is on call.
 *
 * @param kind    the rule that holds
 * @param batchId the micro-batch whose progress report made it hold
 * @param detail  the numbers behind it, e.g. "input 50.0 rows/s > processed 31.2 rows/s for 3 batches"
 */
public record Alert(AlertKind kind, long batchId, String detail) {}
