package io.streamingworkshop.monitoring;

import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** Something that is shown every progress report of one query, in order (exercise 7.5). */
@FunctionalInterface
public interface ProgressWatcher {
    void onProgress(StreamingQueryProgress progress);
}
