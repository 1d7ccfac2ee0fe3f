package io.streamingworkshop.monitoring;

import java.io.IOException;
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

/** The reference solution of module 7. Compare it with your {@link MonitoringExercise}. */
public class MonitoringSolution implements Monitoring {

    @Override
    public String progressLine(StreamingQueryProgress progress) {
        // durationMs is a HashMap: sort it, or the line changes order from batch to batch.
        String parts = new TreeMap<>(progress.durationMs())
                .entrySet().stream()
                        .map(part -> part.getKey() + " " + part.getValue())
                        .collect(Collectors.joining(", "));
        String watermark = progress.eventTime().getOrDefault("watermark", "none");
        return String.format(
                Locale.ROOT,
                "batch %d: %d rows, %.1f rows/s in, %.1f rows/s processed, %d ms (%s), watermark %s, %s",
                progress.batchId(),
                progress.numInputRows(),
                progress.inputRowsPerSecond(),
                progress.processedRowsPerSecond(),
                progress.batchDuration(),
                parts,
                watermark,
                state(progress));
    }

    private static String state(StreamingQueryProgress progress) {
        StateOperatorProgress[] operators = progress.stateOperators();
        if (operators.length == 0) {
            return "no state";
        }
        long total = 0;
        long updated = 0;
        long dropped = 0;
        for (StateOperatorProgress operator : operators) {
            total += operator.numRowsTotal();
            updated += operator.numRowsUpdated();
            dropped += operator.numRowsDroppedByWatermark();
        }
        return "state " + total + " rows (" + updated + " updated, " + dropped + " dropped by watermark)";
    }

    @Override
    public List<String> monitor(StreamingQuery query) {
        // recentProgress, not lastProgress: the last report is often an idle one or the no-data
        // batch that only moved the watermark, and it is null before the first report.
        return Arrays.stream(query.recentProgress())
                .filter(progress -> progress.numInputRows() > 0)
                .map(this::progressLine)
                .toList();
    }

    @Override
    public QuerySnapshot snapshot(StreamingQuery query, long waitMillis) {
        boolean terminated;
        String error = null;
        try {
            terminated = query.awaitTermination(waitMillis);
        } catch (StreamingQueryException e) {
            // A failed query rethrows its exception on every awaitTermination: that is how you learn why.
            terminated = true;
            error = rootCause(e).getMessage();
        }
        StreamingQueryStatus status = query.status();
        return new QuerySnapshot(
                query.id(),
                query.runId(),
                query.isActive(),
                status.message(),
                status.isDataAvailable(),
                status.isTriggerActive(),
                terminated,
                error);
    }

    static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    @Override
    public StreamingQueryListener eventRecorder(List<String> events) {
        return new EventRecorder(events);
    }

    /** Idle and terminated events carry only ids: the name is remembered from the started event. */
    static final class EventRecorder extends StreamingQueryListener {

        private final List<String> events;
        private final Map<UUID, String> names = new ConcurrentHashMap<>();

        EventRecorder(List<String> events) {
            this.events = events;
        }

        @Override
        public void onQueryStarted(QueryStartedEvent event) {
            names.put(event.id(), String.valueOf(event.name()));
            events.add("started " + event.name());
        }

        @Override
        public void onQueryProgress(QueryProgressEvent event) {
            StreamingQueryProgress progress = event.progress();
            events.add("progress " + progress.name() + " batch " + progress.batchId() + " rows "
                    + progress.numInputRows());
        }

        @Override
        public void onQueryIdle(QueryIdleEvent event) {
            events.add("idle " + names.getOrDefault(event.id(), event.id().toString()));
        }

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {
            String name = names.getOrDefault(event.id(), event.id().toString());
            if (event.exception().isDefined()) {
                events.add("terminated " + name + " with error: "
                        + event.exception().get().split("\n")[0]);
            } else {
                events.add("terminated " + name);
            }
        }
    }

    @Override
    public ProgressWatcher alerts(AlertRules rules, AlertSink sink) {
        return new AlertingWatcher(rules, sink);
    }

    /** The rules of {@link AlertKind}, with the little history they need. */
    static final class AlertingWatcher implements ProgressWatcher {

        private final AlertRules rules;
        private final AlertSink sink;
        private int behindInARow;
        private int growthsInARow;
        private Long previousStateRows;

        AlertingWatcher(AlertRules rules, AlertSink sink) {
            this.rules = rules;
            this.sink = sink;
        }

        @Override
        public void onProgress(StreamingQueryProgress progress) {
            if (progress.numInputRows() == 0) {
                return; // idle reports and no-data batches say nothing about load
            }
            long batch = progress.batchId();
            double in = progress.inputRowsPerSecond();
            double processed = progress.processedRowsPerSecond();
            behindInARow = in > processed ? behindInARow + 1 : 0;
            // Every batch of a streak past the threshold alerts, not only the first: it is still behind.
            if (behindInARow >= rules.consecutiveBatches()) {
                sink.send(new Alert(
                        AlertKind.FALLING_BEHIND,
                        batch,
                        String.format(
                                Locale.ROOT,
                                "input %.1f rows/s > processed %.1f rows/s for %d batches",
                                in,
                                processed,
                                behindInARow)));
            }
            if (progress.batchDuration() > rules.triggerIntervalMs()) {
                sink.send(new Alert(
                        AlertKind.SLOW_BATCH,
                        batch,
                        progress.batchDuration() + " ms > trigger interval " + rules.triggerIntervalMs() + " ms"));
            }
            long stateRows = 0;
            long dropped = 0;
            for (StateOperatorProgress operator : progress.stateOperators()) {
                stateRows += operator.numRowsTotal();
                dropped += operator.numRowsDroppedByWatermark();
            }
            growthsInARow = previousStateRows != null && stateRows > previousStateRows ? growthsInARow + 1 : 0;
            previousStateRows = stateRows;
            if (growthsInARow >= rules.consecutiveBatches()) {
                sink.send(new Alert(
                        AlertKind.STATE_GROWING,
                        batch,
                        "state rows grew " + growthsInARow + " batches in a row, now " + stateRows));
            }
            if (dropped > 0) {
                sink.send(
                        new Alert(AlertKind.LATE_ROWS_DROPPED, batch, dropped + " rows behind the watermark dropped"));
            }
        }
    }

    @Override
    public SupervisedRun supervise(
            QueryStarter starter, String checkpointLocation, int maxAttempts, Duration firstBackoff, RestartHooks hooks)
            throws Exception {
        List<String> failures = new ArrayList<>();
        Duration backoff = firstBackoff;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            // The same checkpoint every time: the restart resumes after the last committed batch.
            StreamingQuery query = starter.start(checkpointLocation);
            try {
                query.awaitTermination();
                return new SupervisedRun(attempt, true, failures);
            } catch (StreamingQueryException e) {
                Throwable root = rootCause(e);
                failures.add(String.valueOf(root.getMessage()));
                hooks.failed(attempt, root);
            }
            if (attempt < maxAttempts) {
                hooks.sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
        return new SupervisedRun(maxAttempts, false, failures);
    }

    @Override
    public CheckpointSummary inspectCheckpoint(Path checkpoint) throws Exception {
        return new CheckpointSummary(
                batchIds(checkpoint.resolve("offsets")),
                batchIds(checkpoint.resolve("commits")),
                Files.isRegularFile(checkpoint.resolve("metadata")),
                directoryNames(checkpoint.resolve("state")));
    }

    /** Files named by a batch id; Hadoop's .crc side files and temporary files are not batches. */
    private static List<Long> batchIds(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("\\d+"))
                    .map(Long::valueOf)
                    .sorted()
                    .toList();
        }
    }

    @Override
    public Map<String, Double> queryGauges(String exposition, String queryName) {
        Map<String, Double> gauges = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            String sample = line.trim();
            if (sample.isEmpty() || sample.startsWith("#")) {
                continue;
            }
            // name{labels} value: the name ends at the labels or at the first space.
            int end = sample.indexOf('{') >= 0 ? sample.indexOf('{') : sample.indexOf(' ');
            String name = sample.substring(0, end);
            String value = sample.substring(sample.lastIndexOf(' ') + 1);
            for (String gauge : QUERY_GAUGES) {
                // Exact names, not "contains": a query named "orders" must not pick up "orders_eu"'s gauges.
                if (name.endsWith("_driver_spark_streaming_" + queryName + "_" + gauge + "_Value")) {
                    gauges.put(gauge, Double.valueOf(value));
                }
            }
        }
        return gauges;
    }

    private static List<String> directoryNames(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory)
                    .map(entry -> entry.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }
}
