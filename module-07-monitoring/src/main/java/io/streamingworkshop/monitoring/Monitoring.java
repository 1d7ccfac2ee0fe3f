package io.streamingworkshop.monitoring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Module 7, monitoring and production practice: the exercises of this lab, one method each.
 * {@link MonitoringExercise} is where you write them; {@link MonitoringSolution} is the reference.
 * The README (module-07-monitoring/README.md) explains each one; {@code MonitoringTest} checks them
 * on real queries.
 */
public interface Monitoring {

    /**
     * Exercise 7.1: one line that says what a micro-batch did, exactly in this form (rates with one
     * decimal, {@code Locale.ROOT}; the parts of {@code durationMs} sorted by name):
     *
     * <pre>
     * batch 2: 2 rows, 153.8 rows/s in, 1.6 rows/s processed, 1269 ms (addBatch 950, commitOffsets 70, getBatch 0, latestOffset 0, queryPlanning 197, triggerExecution 1268, walCommit 43), watermark 2024-05-01T10:10:00.000Z, state 1 rows (1 updated, 1 dropped by watermark)
     * </pre>
     *
     * The duration is the batch's {@code batchDuration}. Without a watermark the line says
     * {@code watermark none}; without stateful operators it ends with {@code no state}; with
     * several stateful operators the state numbers are the sums over all of them.
     */
    String progressLine(StreamingQueryProgress progress);

    /**
     * Exercise 7.2: the original's {@code monitor_stream}: one line (as {@link #progressLine})
     * per micro-batch that read rows, oldest first, from every progress report the query still
     * holds. An empty list before the query has reported anything.
     */
    List<String> monitor(StreamingQuery query);

    /**
     * Exercise 7.3: what a query says about itself after waiting up to {@code waitMillis} for it to
     * end: its ids, whether it is active, its status, whether it has terminated within the wait
     * and, if it failed, the message of the innermost cause of its exception.
     */
    QuerySnapshot snapshot(StreamingQuery query, long waitMillis);

    /**
     * Exercise 7.4: a listener that appends one line per event to {@code events}:
     * {@code "started <name>"}, {@code "progress <name> batch <batchId> rows <numInputRows>"},
     * {@code "idle <name>"}, and {@code "terminated <name>"} or
     * {@code "terminated <name> with error: <first line of the exception>"}.
     */
    StreamingQueryListener eventRecorder(List<String> events);

    /**
     * Exercise 7.5: a watcher that is given every progress report of a query, in order, and sends
     * an {@link Alert} to {@code sink} each time one of the {@link AlertKind} rules holds (see
     * {@link AlertKind} for the rules). Reports that read no rows are ignored.
     */
    ProgressWatcher alerts(AlertRules rules, AlertSink sink);

    /**
     * Exercise 7.6: runs a query that ends by itself (an AvailableNow trigger) until it completes,
     * restarting it from the same {@code checkpointLocation} when it fails, at most
     * {@code maxAttempts} starts in all. After a failed attempt it tells {@code hooks} the root
     * cause, and before the next start sleeps (through {@code hooks}) {@code firstBackoff}, then
     * twice as long after each further failure.
     */
    SupervisedRun supervise(
            QueryStarter starter, String checkpointLocation, int maxAttempts, Duration firstBackoff, RestartHooks hooks)
            throws Exception;

    /**
     * Exercise 7.7: what a query's checkpoint directory holds: the batch ids in {@code offsets/}
     * and in {@code commits/} (sorted), whether {@code metadata} is there, and the ids of the
     * stateful operators under {@code state/} (sorted; none for a stateless query).
     */
    CheckpointSummary inspectCheckpoint(Path checkpoint) throws Exception;

    /**
     * The gauges Spark's metrics system publishes for each query when
     * {@code spark.sql.streaming.metricsEnabled} is true, as Prometheus names them.
     */
    List<String> QUERY_GAUGES = List.of(
            "inputRate_total",
            "processingRate_total",
            "latency",
            "eventTime_watermark",
            "states_rowsTotal",
            "states_usedBytes");

    /**
     * Exercise 7.8: the gauges of the query named {@code queryName} in a page of Prometheus' text
     * format, as Spark's {@code PrometheusServlet} serves it: for each gauge of
     * {@link #QUERY_GAUGES}, the value of the sample named
     * {@code metrics_<application id>_driver_spark_streaming_<queryName>_<gauge>_Value}. Comment
     * lines, other queries and other metrics are left out.
     */
    Map<String, Double> queryGauges(String exposition, String queryName);
}
