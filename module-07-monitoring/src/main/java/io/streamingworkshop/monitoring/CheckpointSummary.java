package io.streamingworkshop.monitoring;

import java.util.List;

/**
 * What a checkpoint directory holds (exercise 7.7).
 *
 * @param offsets        batch ids with a file in {@code offsets/}: the batches Spark planned (write-ahead log)
 * @param commits        batch ids with a file in {@code commits/}: the batches that finished
 * @param hasMetadata    whether the {@code metadata} file (the query's id) is there
 * @param stateOperators ids of the stateful operators, the directory names under {@code state/}
 */
public record CheckpointSummary(
        List<Long> offsets, List<Long> commits, boolean hasMetadata, List<String> stateOperators) {
    public CheckpointSummary {
        offsets = List.copyOf(offsets);
        commits = List.copyOf(commits);
        stateOperators = List.copyOf(stateOperators);
    }
}
