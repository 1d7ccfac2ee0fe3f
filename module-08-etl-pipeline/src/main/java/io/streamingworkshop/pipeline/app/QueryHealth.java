package io.streamingworkshop.pipeline.app;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * What each of the pipeline's queries has done since the application started, summed over every
 * micro-batch: a query's {@code recentProgress} keeps only its last hundred batches, and the
 * dashboard's totals must not shrink. Listens to the queries named after the pipeline's tables.
 */
final class QueryHealth extends StreamingQueryListener {

    /** One query's running totals and its last progress. */
    static final class Totals {
        volatile long inputRows;
        volatile long droppedByWatermark;
        volatile long batches;
        volatile StreamingQueryProgress last;
    }

    private final Set<String> names;
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    QueryHealth(Set<String> names) {
        this.names = names;
        names.forEach(name -> totals.put(name, new Totals()));
    }

    Totals of(String name) {
        return totals.get(name);
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress progress = event.progress();
        Totals t = progress.name() == null ? null : totals.get(progress.name());
        if (t == null || !names.contains(progress.name())) {
            return;
        }
        synchronized (t) {
            t.inputRows += progress.numInputRows();
            for (StateOperatorProgress state : progress.stateOperators()) {
                t.droppedByWatermark += state.numRowsDroppedByWatermark();
            }
            t.batches++;
            t.last = progress;
        }
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        // A failure is read from the query itself (StreamingQuery.exception), with its full message.
    }
}
