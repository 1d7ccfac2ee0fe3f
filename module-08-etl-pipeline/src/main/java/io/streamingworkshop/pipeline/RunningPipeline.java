package io.streamingworkshop.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * The queries of a started pipeline, by table name (bronze, silver, quarantine, gold_5m, gold_1h),
 * in the order they were started. Not an exercise.
 */
public record RunningPipeline(PipelineConfig config, Map<String, StreamingQuery> queries) {

    public RunningPipeline {
        queries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(queries));
    }

    public StreamingQuery query(String name) {
        StreamingQuery query = queries.get(name);
        if (query == null) {
            throw new IllegalArgumentException("no query named '" + name + "'; the pipeline has " + queries.keySet());
        }
        return query;
    }

    /**
     * Processes everything available, layer after layer, until no query has anything left to do:
     * every table has reached every query that reads it, and every gold window the watermark has
     * closed is written (that takes a batch without new data after the last one with data, which
     * {@link StreamingQuery#processAllAvailable()} waits for).
     */
    public void processAllAvailable() {
        // A layer's output is the next layer's input, and a query's processAllAvailable may end on a
        // trigger that looked at its source just before the layer before it committed: so repeat the
        // passes until one in which no query ran a batch.
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            Map<String, Long> before = batchIds();
            queries.values().forEach(StreamingQuery::processAllAvailable);
            if (batchIds().equals(before)) {
                return;
            }
        }
        throw new IllegalStateException("the pipeline still ran batches after " + MAX_PASSES
                + " passes over its queries: is something still writing to its input?");
    }

    private static final int MAX_PASSES = 20;

    /** The id of each query's last batch that ran (with data or without), -1 before the first. */
    private Map<String, Long> batchIds() {
        Map<String, Long> ids = new LinkedHashMap<>();
        queries.forEach((name, query) -> {
            long last = -1;
            for (var progress : query.recentProgress()) {
                // A trigger that found nothing to do reports too, under the next batch's id, without a batch.
                if (progress.durationMs().containsKey("addBatch")) {
                    last = Math.max(last, progress.batchId());
                }
            }
            ids.put(name, last);
        });
        return ids;
    }

    /** Stops every query, the last layer first; each stop waits for its running batch to end. */
    public void stop() throws TimeoutException {
        var names = new java.util.ArrayList<>(queries.keySet());
        java.util.Collections.reverse(names);
        TimeoutException first = null;
        for (String name : names) {
            try {
                queries.get(name).stop();
            } catch (TimeoutException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
