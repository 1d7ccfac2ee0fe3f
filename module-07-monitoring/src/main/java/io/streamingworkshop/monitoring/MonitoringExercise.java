package io.streamingworkshop.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.StreamingQueryStatus;

import io.streamingworkshop.testkit.Todo;

/**
 * Your work for module 7. Each method is one exercise of module-07-monitoring/README.md; replace its
 * {@code throw Todo.exercise(...)} with your code, then run {@code ./mvnw test -pl module-07-monitoring}.
 */
public class MonitoringExercise implements Monitoring {

    @Override
    public String progressLine(StreamingQueryProgress progress) {
        // TODO 7.1: batchId, numInputRows, the two rates, batchDuration, durationMs sorted by name,
        //           the watermark from eventTime() ("none"), and the state operators' sums ("no state").
        throw Todo.exercise("7.1", "A progress line");
    }

    @Override
    public List<String> monitor(StreamingQuery query) {
        // TODO 7.2: one progressLine per report in recentProgress() that read rows, oldest first.
        throw Todo.exercise("7.2", "Monitor every batch");
    }

    @Override
    public QuerySnapshot snapshot(StreamingQuery query, long waitMillis) {
        // TODO 7.3: awaitTermination(waitMillis) (a failed query throws StreamingQueryException: keep
        //           its innermost cause's message), then the ids, isActive() and status().
        throw Todo.exercise("7.3", "Status and lifecycle");
    }

    @Override
    public StreamingQueryListener eventRecorder(List<String> events) {
        // TODO 7.4: a StreamingQueryListener (a nested class is fine) that appends one line per event;
        //           idle and terminated events carry only the query's id: remember names by id.
        throw Todo.exercise("7.4", "A listener");
    }

    @Override
    public ProgressWatcher alerts(AlertRules rules, AlertSink sink) {
        // TODO 7.5: a ProgressWatcher that keeps the streaks it needs and sends an Alert for every
        //           report on which a rule of AlertKind holds.
        throw Todo.exercise("7.5", "Alerts on progress");
    }

    @Override
    public SupervisedRun supervise(QueryStarter starter, String checkpointLocation, int maxAttempts,
            Duration firstBackoff, RestartHooks hooks) throws Exception {
        // TODO 7.6: start, awaitTermination(), on StreamingQueryException tell hooks the root cause,
        //           sleep (doubling the backoff) and start again on the same checkpoint, maxAttempts at most.
        throw Todo.exercise("7.6", "Restart from the checkpoint");
    }

    @Override
    public CheckpointSummary inspectCheckpoint(Path checkpoint) throws Exception {
        // TODO 7.7: list offsets/ and commits/ (files named by a batch id only), metadata, state/'s directories.
        throw Todo.exercise("7.7", "What a checkpoint holds");
    }

    @Override
    public Map<String, Double> queryGauges(String exposition, String queryName) {
        // TODO 7.8: for each sample line (not "#"), its name is what comes before "{" or " ", its value the
        //           last field; keep the names "..._spark_streaming_" + queryName + "_" + gauge + "_Value".
        throw Todo.exercise("7.8", "Metrics for a scraper");
    }
}
