package io.streamingworkshop.monitoring;

import org.apache.spark.sql.streaming.StreamingQuery;

/** Starts one run of a query on the checkpoint it is given (exercise 7.6). */
@FunctionalInterface
public interface QueryStarter {
    StreamingQuery start(String checkpointLocation) throws Exception;
}
