package io.streamingworkshop.stateful;

/**
 * The state of a query after one micro-batch (exercise 5.7): what its state operators hold
 * together.
 *
 * @param batchId     the micro-batch
 * @param rows        the sum of {@code numRowsTotal} over the state operators
 * @param memoryBytes the sum of {@code memoryUsedBytes} over the state operators
 */
public record StateSize(long batchId, long rows, long memoryBytes) {}
