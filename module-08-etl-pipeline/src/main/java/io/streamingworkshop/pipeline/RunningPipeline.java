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

    /** Processes everything available, layer after layer, until no query has anything left to do. */
    public void processAllAvailable() {
        // A layer's output is the next layer's input: two passes settle what the first pass wrote.
        for (int pass = 0; pass < 2; pass++) {
            queries.values().forEach(StreamingQuery::processAllAvailable);
        }
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
