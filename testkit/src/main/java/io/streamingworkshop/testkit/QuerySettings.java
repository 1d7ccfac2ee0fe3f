package io.streamingworkshop.testkit;

import org.apache.spark.sql.execution.streaming.StreamExecution;
import org.apache.spark.sql.execution.streaming.StreamingQueryWrapper;
import org.apache.spark.sql.execution.streaming.continuous.ContinuousExecution;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * What a query was started with, which Spark does not expose publicly: read from its execution
 * object, so tests can check the trigger and output mode a learner chose.
 */
public final class QuerySettings {

    private QuerySettings() {}

    public static Trigger triggerOf(StreamingQuery query) {
        return execution(query).trigger();
    }

    public static OutputMode outputModeOf(StreamingQuery query) {
        return execution(query).outputMode();
    }

    /** True for {@code Trigger.Continuous} queries, which have no micro-batches and no batch progress. */
    public static boolean isContinuous(StreamingQuery query) {
        return execution(query) instanceof ContinuousExecution;
    }

    private static StreamExecution execution(StreamingQuery query) {
        if (query instanceof StreamingQueryWrapper wrapper) {
            return wrapper.streamingQuery();
        }
        if (query instanceof StreamExecution execution) {
            return execution;
        }
        throw new IllegalArgumentException("Not a query started by DataStreamWriter.start(): " + query.getClass());
    }
}
