package io.streamingworkshop.monitoring;

import static io.streamingworkshop.testkit.Times.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.window;

import io.streamingworkshop.testkit.BatchCollector;
import io.streamingworkshop.testkit.Check;
import io.streamingworkshop.testkit.Failures;
import io.streamingworkshop.testkit.Graded;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.Learner;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Graded tests of module 7. Every progress report, status and event here comes from a real query
 * that really ran, fell behind or failed; none is typed by hand. Where a number depends on the
 * machine's speed (rates, durations), the expected value is read from the same progress report the
 * learner's code was given; everything else is worked out from the input.
 */
@WorkshopTest
class MonitoringTest {

    final Monitoring lab = Implementations.load(Monitoring.class);

    static final StructType EVENTS = new StructType()
            .add("id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType);

    static Row event(String id, String device, String time) {
        return RowFactory.create(id, device, ts("2024-05-01 " + time));
    }

    /** A step that fails on the event whose id is "p-7": how a poison record kills a query. */
    static Dataset<Row> failingOnPoison(Dataset<Row> events) {
        return events.map(
                (MapFunction<Row, Row>) row -> {
                    if ("p-7".equals(row.getString(0))) {
                        throw new IllegalArgumentException("poison record p-7");
                    }
                    return row;
                },
                Encoders.row(EVENTS));
    }

    /** Waits (up to 10 s) until {@code condition} holds: listener events arrive on another thread. */
    static boolean eventually(BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleep(50);
        }
        return condition.getAsBoolean();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<StreamingQueryProgress> withInput(StreamingQuery query) {
        return Arrays.stream(query.recentProgress())
                .filter(p -> p.numInputRows() > 0)
                .toList();
    }

    @Nested
    @DisplayName("Exercise 7.1: A progress line")
    class AProgressLine {

        /** The parts of the line that depend on the machine's speed, read from the report itself. */
        private String timings(StreamingQueryProgress p) {
            String parts = new TreeMap<>(p.durationMs())
                    .entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", "));
            return String.format(
                    Locale.ROOT,
                    "%.1f rows/s in, %.1f rows/s processed, %d ms (%s)",
                    p.inputRowsPerSecond(),
                    p.processedRowsPerSecond(),
                    p.batchDuration(),
                    parts);
        }

        @Test
        @Graded(exercise = "7.1", points = 3)
        void describesEachBatchOfAQueryWithTwoStatefulOperators(SparkSession spark) {
            // Deduplication, then a count per 5-minute window: two stateful operators in one query.
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            Dataset<Row> counts = input.stream()
                    .withWatermark("event_time", "10 minutes")
                    .dropDuplicates("id", "event_time")
                    .groupBy(window(col("event_time"), "5 minutes"), col("device_id"))
                    .count();
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(counts.writeStream().outputMode(OutputMode.Append()), null);

            input.addBatch(event("e1", "d1", "10:01"), event("e2", "d1", "10:20"), event("e2", "d1", "10:20"));
            Streams.processAll(query); // then a no-data batch moves the watermark to 10:10 and evicts 10:01
            input.addBatch(event("e3", "d1", "10:02"), event("e4", "d2", "10:21")); // e3 is behind the watermark
            Streams.processAll(query);

            List<StreamingQueryProgress> batches = withInput(query);
            Check.equal(2, batches.size(), "micro-batches that read rows (test set-up)", null);
            StreamingQueryProgress first = batches.get(0);
            StreamingQueryProgress second = batches.get(1);
            String hint = "follow the Javadoc's form exactly: batchId(), numInputRows(), inputRowsPerSecond(),"
                    + " processedRowsPerSecond() with %.1f, batchDuration(), durationMs() sorted by name,"
                    + " eventTime().get(\"watermark\"), and numRowsTotal/numRowsUpdated/numRowsDroppedByWatermark"
                    + " summed over every stateOperators() entry";
            // Batch 0: 3 rows in; dedup keeps e1, e2 (2 rows), the count holds two windows: 4 state rows, all updated.
            Check.equal(
                    "batch 0: 3 rows, " + timings(first)
                            + ", watermark 1970-01-01T00:00:00.000Z, state 4 rows (4 updated, 0 dropped by watermark)",
                    Learner.call(() -> lab.progressLine(first), hint),
                    "the line of the first batch",
                    hint);
            // The second: e3 (10:02) is behind the watermark 10:10 and dropped; e4 adds a row to each operator.
            Check.equal(
                    "batch " + second.batchId() + ": 2 rows, " + timings(second)
                            + ", watermark 2024-05-01T10:10:00.000Z, state 4 rows (2 updated, 1 dropped by watermark)",
                    Learner.call(() -> lab.progressLine(second), hint),
                    "the line of the batch with a late event",
                    hint);
        }

        @Test
        @Graded(exercise = "7.1", points = 1)
        void saysWhenAQueryHasNoWatermarkAndNoState(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query =
                    sink.start(input.stream().filter(col("device_id").equalTo("d1")), null);
            input.addBatch(event("e1", "d1", "10:01"), event("e2", "d2", "10:02"));
            Streams.processAll(query);
            StreamingQueryProgress progress = withInput(query).get(0);
            Check.equal(
                    "batch 0: 2 rows, " + timings(progress) + ", watermark none, no state",
                    Learner.call(() -> lab.progressLine(progress), null),
                    "the line of a stateless query's batch",
                    "a query without withWatermark has no \"watermark\" in eventTime(): say \"none\"; without"
                            + " stateful operators stateOperators() is empty: say \"no state\"");
        }
    }

    @Nested
    @DisplayName("Exercise 7.2: Monitor every batch")
    class MonitorEveryBatch {

        @Test
        @Graded(exercise = "7.2", points = 3)
        void givesOneLinePerBatchThatReadRowsAndNothingBeforeTheFirst(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            Dataset<Row> counts = input.stream()
                    .withWatermark("event_time", "10 minutes")
                    .groupBy(window(col("event_time"), "5 minutes"), col("device_id"))
                    .count();
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(counts.writeStream().outputMode(OutputMode.Update()), null);
            List<String> before = Learner.call(() -> lab.monitor(query), null);
            Check.equal(
                    List.of(),
                    before.stream()
                            .filter(line -> !line.startsWith("batch 0: 0 rows"))
                            .toList(),
                    "the lines before any input",
                    "no batch has read anything yet: an empty list"
                            + " (lastProgress() is null until the first report)");

            input.addBatch(event("e1", "d1", "10:01"), event("e2", "d1", "10:02"));
            Streams.processAll(query);
            input.addBatch(event("e3", "d2", "10:30")); // moves the watermark: a no-data batch follows
            Streams.processAll(query);
            input.addBatch(event("e4", "d1", "10:31"), event("e5", "d1", "10:32"), event("e6", "d2", "10:33"));
            Streams.processAll(query);

            List<StreamingQueryProgress> read = withInput(query);
            List<String> expected = List.of(
                    "batch " + read.get(0).batchId() + ": 2 rows,",
                    "batch " + read.get(1).batchId() + ": 1 rows,",
                    "batch " + read.get(2).batchId() + ": 3 rows,");
            List<String> lines = Learner.call(() -> lab.monitor(query), null);
            List<String> starts = lines.stream()
                    .map(line -> line.substring(0, line.indexOf(',') + 1))
                    .toList();
            Check.equal(
                    expected,
                    starts,
                    "how each line starts (batch and rows)",
                    "one progressLine per report of recentProgress() whose numInputRows() > 0, oldest first:"
                            + " lastProgress() is only the latest report (here a no-data batch), and reports with"
                            + " 0 rows are idle triggers or no-data batches");
        }
    }

    @Nested
    @DisplayName("Exercise 7.3: Status and lifecycle")
    class StatusAndLifecycle {

        @Test
        @Graded(exercise = "7.3", points = 2)
        void describesARunningQueryThenTheSameQueryStopped(SparkSession spark, WorkDir work) {
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            BatchCollector sink = BatchCollector.create();
            // A trigger an hour apart: after its first trigger, the query sits still and its status is stable.
            StreamingQuery query =
                    sink.start(input.stream().writeStream().trigger(Trigger.ProcessingTime("1 hour")), null);
            Check.that(eventually(() -> query.recentProgress().length > 0), "the query made no first trigger", null);

            QuerySnapshot running = Learner.call(() -> lab.snapshot(query, 200), null);
            Check.equal(query.id(), running.id(), "id", "query.id()");
            Check.equal(query.runId(), running.runId(), "runId", "query.runId()");
            Check.equal(true, running.active(), "active, for a running query", "query.isActive()");
            Check.equal(
                    false,
                    running.terminated(),
                    "terminated, for a query still running after the wait",
                    "awaitTermination(waitMillis) returns false when the query is still running after the wait");
            Check.equal(
                    "Waiting for next trigger",
                    running.message(),
                    "the status message of a query between triggers",
                    "query.status().message()");
            Check.equal(
                    false,
                    running.triggerActive(),
                    "triggerActive between triggers",
                    "query.status().isTriggerActive()");
            Check.equal(
                    false, running.dataAvailable(), "dataAvailable with no input", "query.status().isDataAvailable()");
            Check.equal(null, running.error(), "error, for a healthy query", "only a failed query has an error");

            Streams.stop(query);
            QuerySnapshot stopped = Learner.call(() -> lab.snapshot(query, 1000), null);
            Check.equal(false, stopped.active(), "active, after stop()", "query.isActive()");
            Check.equal(
                    true,
                    stopped.terminated(),
                    "terminated, after stop()",
                    "awaitTermination(waitMillis) returns true at once for a query that has ended");
            Check.equal("Stopped", stopped.message(), "the status message after stop()", "query.status().message()");
            Check.equal(
                    null, stopped.error(), "error, after a clean stop", "stop() is not a failure: error stays null");
        }

        @Test
        @Graded(exercise = "7.3", points = 2)
        void keepsTheIdButNotTheRunIdAcrossARestartOnTheSameCheckpoint(SparkSession spark, WorkDir work) {
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            BatchCollector sink = BatchCollector.create();
            String checkpoint = work.path("checkpoint");
            StreamingQuery first =
                    sink.start(input.stream().writeStream().option("checkpointLocation", checkpoint), null);
            input.addBatch(event("e1", "d1", "10:01"));
            Streams.processAll(first);
            QuerySnapshot before = Learner.call(() -> lab.snapshot(first, 50), null);
            Streams.stop(first);

            StreamingQuery second =
                    sink.start(input.stream().writeStream().option("checkpointLocation", checkpoint), null);
            QuerySnapshot after = Learner.call(() -> lab.snapshot(second, 50), null);
            Check.equal(
                    before.id(),
                    after.id(),
                    "the id after a restart on the same checkpoint",
                    "id() is stored in the checkpoint (its metadata file): it names the query for its whole life");
            Check.that(
                    !before.runId().equals(after.runId()),
                    "the runId did not change across the restart",
                    "runId() is new on every start: use it to tell one run's progress reports from another's");
            Check.equal(second.runId(), after.runId(), "runId of the restarted query", "query.runId()");
        }

        @Test
        @Graded(exercise = "7.3", points = 1)
        void saysWhyARestartWithChangedGroupingKeysFails(SparkSession spark, WorkDir work) {
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            String checkpoint = work.path("checkpoint");
            StreamingQuery perDevice = BatchCollector.create()
                    .start(
                            input.stream()
                                    .groupBy(col("device_id"))
                                    .count()
                                    .writeStream()
                                    .outputMode(OutputMode.Update())
                                    .option("checkpointLocation", checkpoint),
                            null);
            input.addBatch(event("e1", "d1", "10:01"));
            Streams.processAll(perDevice);
            Streams.stop(perDevice);
            // The same checkpoint, another grouping: the state on disk has the old key.
            StreamingQuery perDeviceAndHour = BatchCollector.create()
                    .start(
                            input.stream()
                                    .groupBy(col("device_id"), org.apache.spark.sql.functions.hour(col("event_time")))
                                    .count()
                                    .writeStream()
                                    .outputMode(OutputMode.Update())
                                    .option("checkpointLocation", checkpoint),
                            null);
            input.addBatch(event("e2", "d1", "11:01")); // the first batch that touches the state
            QuerySnapshot refused = Learner.call(() -> lab.snapshot(perDeviceAndHour, 30_000), null);
            // Which check meets the old state first varies from run to run; both are Spark's refusal.
            String error = String.valueOf(refused.error());
            Check.that(
                    refused.terminated()
                            && (error.startsWith("Provided schema doesn't match to the schema for existing state!")
                                    || error.startsWith("The streaming query failed by state format invalidation.")),
                    "the restarted query with other grouping keys: terminated=" + refused.terminated() + ", error: "
                            + Failures.firstLine(refused.error()),
                    "a changed stateful query fails on its old checkpoint at the first batch that touches the state;"
                            + " the snapshot must show it ended and give its innermost cause's message");
        }

        @Test
        @Graded(exercise = "7.3", points = 2)
        void saysWhyAFailedQueryStopped(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(failingOnPoison(input.stream()), null);
            input.addBatch(event("e1", "d1", "10:01"), event("p-7", "d1", "10:02"));
            QuerySnapshot failed = Learner.call(() -> lab.snapshot(query, 30_000), null);
            Check.equal(
                    true,
                    failed.terminated(),
                    "terminated, for a failed query",
                    "awaitTermination throws StreamingQueryException for a failed query: catch it, it has ended");
            Check.equal(false, failed.active(), "active, for a failed query", "query.isActive()");
            Check.equal(
                    "poison record p-7",
                    failed.error(),
                    "the error of the failed query",
                    "StreamingQueryException's own message is Spark's wrapper ([STREAM_FAILED] ... Job aborted ...):"
                            + " follow getCause() to the innermost cause, whose message is the step's own");
            Check.that(
                    failed.message() != null && failed.message().startsWith("Terminated with exception"),
                    "the status message of a failed query: " + failed.message(),
                    "query.status().message()");
        }
    }

    @Nested
    @DisplayName("Exercise 7.4: A listener")
    class AListener {

        private static final String IDLE_INTERVAL = "spark.sql.streaming.noDataProgressEventInterval";

        @Test
        @Graded(exercise = "7.4", points = 3)
        void recordsStartedProgressIdleAndTerminatedEvents(SparkSession spark) {
            List<String> events = new CopyOnWriteArrayList<>();
            StreamingQueryListener listener = Learner.call(() -> lab.eventRecorder(events), null);
            // An idle event comes after the query has had nothing to do for this long (10 s by default).
            spark.conf().set(IDLE_INTERVAL, "200ms");
            spark.streams().addListener(listener);
            try {
                MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
                BatchCollector sink = BatchCollector.create();
                StreamingQuery query = sink.start(input.stream().writeStream().queryName("listened"), null);
                input.addBatch(event("e1", "d1", "10:01"), event("e2", "d1", "10:02"));
                Streams.processAll(query);
                input.addBatch(event("e3", "d2", "10:03"));
                Streams.processAll(query);
                String idleHint = "override onQueryIdle too: Spark calls it when a query has had no data for"
                        + " spark.sql.streaming.noDataProgressEventInterval (200 ms here)";
                boolean idle = eventually(() -> events.contains("idle listened"));
                Check.that(
                        idle || events.stream().noneMatch(e -> e.startsWith("idle ")),
                        "idle lines without the query's name; recorded: " + events,
                        "the idle event carries only id() and runId(): take the name you remembered in onQueryStarted");
                Check.that(idle, "no \"idle listened\" line within 10 s; recorded: " + events, idleHint);
                Streams.stop(query);
                Check.that(
                        eventually(() -> events.contains("terminated listened")),
                        "no \"terminated listened\" line within 10 s; recorded: " + events,
                        "onQueryTerminated: the event has only the id; take the name you remembered in onQueryStarted");
                List<String> withoutIdle =
                        events.stream().filter(e -> !e.equals("idle listened")).toList();
                Check.equal(
                        List.of(
                                "started listened",
                                "progress listened batch 0 rows 2",
                                "progress listened batch 1 rows 1",
                                "terminated listened"),
                        withoutIdle,
                        "the events other than idle, in order",
                        "one line per event in the Javadoc's form; the progress event's progress() has name(),"
                                + " batchId() and numInputRows()");
            } finally {
                spark.streams().removeListener(listener);
                spark.conf().unset(IDLE_INTERVAL);
            }
        }

        @Test
        @Graded(exercise = "7.4", points = 1)
        void recordsWhyAQueryFailed(SparkSession spark) {
            List<String> events = new CopyOnWriteArrayList<>();
            StreamingQueryListener listener = Learner.call(() -> lab.eventRecorder(events), null);
            spark.streams().addListener(listener);
            try {
                MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
                BatchCollector sink = BatchCollector.create();
                StreamingQuery query =
                        sink.start(failingOnPoison(input.stream()).writeStream().queryName("poisoned"), null);
                input.addBatch(event("p-7", "d1", "10:01"));
                Check.that(
                        eventually(() -> events.stream().anyMatch(e -> e.startsWith("terminated poisoned"))),
                        "no \"terminated poisoned\" line within 10 s; recorded: " + events,
                        null);
                String terminated = events.stream()
                        .filter(e -> e.startsWith("terminated poisoned"))
                        .findFirst()
                        .orElseThrow();
                Check.that(
                        terminated.startsWith("terminated poisoned with error: ")
                                && terminated.contains("poison record p-7")
                                && !terminated.contains("\n"),
                        "the line for the failed query: " + terminated,
                        "event.exception() is an Option of the whole stack trace as text: if it is defined, add"
                                + " \" with error: \" and its first line");
                Check.that(!query.isActive(), "the query still runs", null);
            } finally {
                spark.streams().removeListener(listener);
            }
        }
    }

    /** What the alert rules must say, worked out here from the same reports. */
    static List<Long> behindBatches(List<StreamingQueryProgress> reports, int inARow) {
        List<Long> alerts = new ArrayList<>();
        int streak = 0;
        for (StreamingQueryProgress p : reports) {
            if (p.numInputRows() == 0) {
                continue;
            }
            streak = p.inputRowsPerSecond() > p.processedRowsPerSecond() ? streak + 1 : 0;
            if (streak >= inARow) {
                alerts.add(p.batchId());
            }
        }
        return alerts;
    }

    static List<Long> alertedBatches(List<Alert> alerts, AlertKind kind) {
        return alerts.stream().filter(a -> a.kind() == kind).map(Alert::batchId).toList();
    }

    /** Adds one event every {@code everyMillis} from another thread: input that arrives at a steady rate. */
    static final class SteadyArrivals implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        SteadyArrivals(MemoryInput<Row> input, long everyMillis) {
            thread = new Thread(
                    () -> {
                        int n = 0;
                        while (running) {
                            input.addBatch(event("a-" + (++n), "d1", "10:00"));
                            MonitoringTest.sleep(everyMillis);
                        }
                    },
                    "steady-arrivals");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    /** Runs a query under steady arrivals until {@code enough} holds of its reports, or 20 s passed. */
    static List<StreamingQueryProgress> runUnderLoad(
            Dataset<Row> steps,
            MemoryInput<Row> input,
            Trigger trigger,
            long arrivalEveryMillis,
            Predicate<List<StreamingQueryProgress>> enough)
            throws Exception {
        BatchCollector sink = BatchCollector.create();
        StreamingQuery query = sink.start(steps.writeStream().trigger(trigger), null);
        Check.that(eventually(() -> query.recentProgress().length > 0), "the query made no first trigger", null);
        try (SteadyArrivals arrivals = new SteadyArrivals(input, arrivalEveryMillis)) {
            long deadline = System.currentTimeMillis() + 20_000;
            while (!enough.test(List.of(query.recentProgress())) && System.currentTimeMillis() < deadline) {
                sleep(100);
            }
        }
        Streams.stop(query);
        return List.of(query.recentProgress());
    }

    @Nested
    @DisplayName("Exercise 7.5: Alerts on progress")
    class AlertsOnProgress {

        /** A watcher from the exercise and the alerts it sent; asked for before any query runs. */
        private record Watched(ProgressWatcher watcher, List<Alert> received) {

            List<Alert> feed(List<StreamingQueryProgress> reports) {
                for (StreamingQueryProgress report : reports) {
                    Learner.callAllowingNull(
                            () -> {
                                watcher.onProgress(report);
                                return null;
                            },
                            null);
                }
                return received;
            }
        }

        private Watched watcher(AlertRules rules) {
            List<Alert> received = Collections.synchronizedList(new ArrayList<>());
            return new Watched(Learner.call(() -> lab.alerts(rules, received::add), null), received);
        }

        @Test
        @Graded(exercise = "7.5", points = 3)
        void firesFallingBehindForAQueryThatCannotKeepUpAndNotForOneThatCan(SparkSession spark) throws Exception {
            AlertRules rules = new AlertRules(3, 60_000);
            Watched behindWatcher = watcher(rules);
            Watched keepingUpWatcher = watcher(rules);
            String hint = "FALLING_BEHIND holds for a report when it and the 2 reports with input before it all have"
                    + " inputRowsPerSecond() > processedRowsPerSecond(); it alerts on every such report, not only the"
                    + " first, and a report that keeps up resets the count";

            // 25 rows/s arrive; a slow step needs 80 ms a row on one task: at most 12.5 rows/s. Each batch
            // finds more rows waiting than the one before: the query falls further behind.
            MemoryInput<Row> slowInput = MemoryInput.ofRows(EVENTS);
            Dataset<Row> slow = slowInput.stream()
                    .coalesce(1)
                    .map(
                            (MapFunction<Row, Row>) row -> {
                                Thread.sleep(80);
                                return row;
                            },
                            Encoders.row(EVENTS));
            List<StreamingQueryProgress> behind = runUnderLoad(
                    slow,
                    slowInput,
                    Trigger.ProcessingTime(0),
                    40,
                    reports -> behindBatches(reports, 3).size() >= 2);
            List<Long> expected = behindBatches(behind, 3);
            Check.that(
                    expected.size() >= 2, "(test set-up) the slow query did not fall behind 4 batches in a row", null);
            Check.equal(
                    expected,
                    alertedBatches(behindWatcher.feed(behind), AlertKind.FALLING_BEHIND),
                    "the batches with a FALLING_BEHIND alert, for a query that cannot keep up",
                    hint);

            // The same arrivals and query without the slow step, a trigger every 600 ms: each batch is done
            // long before the next one starts.
            MemoryInput<Row> fastInput = MemoryInput.ofRows(EVENTS);
            List<StreamingQueryProgress> keepingUp = runUnderLoad(
                    fastInput.stream().coalesce(1),
                    fastInput,
                    Trigger.ProcessingTime(600),
                    40,
                    reports ->
                            reports.stream().filter(p -> p.numInputRows() > 0).count() >= 4);
            Check.equal(List.of(), behindBatches(keepingUp, 3), "(test set-up) the fast query fell behind", null);
            Check.equal(
                    List.of(),
                    alertedBatches(keepingUpWatcher.feed(keepingUp), AlertKind.FALLING_BEHIND),
                    "the batches with a FALLING_BEHIND alert, for a query that keeps up",
                    hint);
        }

        @Test
        @Graded(exercise = "7.5", points = 3)
        void firesOnSlowBatchesGrowingStateAndDroppedRows(SparkSession spark) {
            Watched watched = watcher(new AlertRules(3, 1000));
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            // The count per device and window; an event with id "slow" makes its batch take 1.5 s.
            Dataset<Row> counts = input.stream()
                    .map(
                            (MapFunction<Row, Row>) row -> {
                                if ("slow".equals(row.getString(0))) {
                                    Thread.sleep(1500);
                                }
                                return row;
                            },
                            Encoders.row(EVENTS))
                    .withWatermark("event_time", "10 minutes")
                    .groupBy(window(col("event_time"), "5 minutes"), col("device_id"))
                    .count();
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(counts.writeStream().outputMode(OutputMode.Update()), null);
            List<List<Row>> batches = List.of(
                    List.of(event("e1", "d1", "10:00")), // state 1
                    List.of(event("e2", "d2", "10:01")), // 2: grew once
                    List.of(event("slow", "d3", "10:02")), // 3: twice; a slow batch
                    List.of(event("e4", "d4", "10:03")), // 4: three times: alert
                    List.of(event("e5", "d1", "10:30")), // 5: four times: alert again
                    List.of(
                            event("e6", "d1", "10:01"),
                            event("e7", "d5", "10:31"))); // e6 dropped; 4 windows evicted: 2
            for (List<Row> batch : batches) {
                input.addBatch(batch);
                Streams.processAll(query);
            }
            List<StreamingQueryProgress> reports = List.of(query.recentProgress());
            List<StreamingQueryProgress> read =
                    reports.stream().filter(p -> p.numInputRows() > 0).toList();
            Check.equal(6, read.size(), "(test set-up) batches that read rows", null);
            long[] stateRows = read.stream()
                    .mapToLong(p -> Arrays.stream(p.stateOperators())
                            .mapToLong(StateOperatorProgress::numRowsTotal)
                            .sum())
                    .toArray();
            Check.equal("[1, 2, 3, 4, 5, 2]", Arrays.toString(stateRows), "(test set-up) state rows per batch", null);

            List<Alert> alerts = watched.feed(reports);
            Check.equal(
                    List.of(read.get(3).batchId(), read.get(4).batchId()),
                    alertedBatches(alerts, AlertKind.STATE_GROWING),
                    "the batches with a STATE_GROWING alert (state rows 1, 2, 3, 4, 5, 2)",
                    "the sum of numRowsTotal over stateOperators() rose 3 reports in a row at the 4th batch and"
                            + " again at the 5th: alert on both; compare with the previous report that read rows");
            Check.equal(
                    List.of(read.get(5).batchId()),
                    alertedBatches(alerts, AlertKind.LATE_ROWS_DROPPED),
                    "the batches with a LATE_ROWS_DROPPED alert",
                    "numRowsDroppedByWatermark of the state operators in that report (not summed over the past)");
            List<Long> slowBatches = read.stream()
                    .filter(p -> p.batchDuration() > 1000)
                    .map(StreamingQueryProgress::batchId)
                    .toList();
            Check.that(slowBatches.contains(read.get(2).batchId()), "(test set-up) the slow batch was not slow", null);
            Check.equal(
                    slowBatches,
                    alertedBatches(alerts, AlertKind.SLOW_BATCH),
                    "the batches with a SLOW_BATCH alert (trigger interval 1000 ms)",
                    "batchDuration() > triggerIntervalMs(), checked on each report that read rows");
        }
    }

    /** Records every batch a sink receives, re-runs included, so that duplicates show. */
    static final class DeliveryLog implements VoidFunction2<Dataset<Row>, Long> {
        private static final Map<String, List<String>> LOGS = new ConcurrentHashMap<>();
        private final String name = UUID.randomUUID().toString();

        DeliveryLog() {
            LOGS.put(name, new CopyOnWriteArrayList<>());
        }

        @Override
        public void call(Dataset<Row> batch, Long batchId) {
            List<String> ids = batch.collectAsList().stream()
                    .map(row -> row.getString(0))
                    .sorted()
                    .toList();
            LOGS.get(name).add(batchId + ":" + ids);
        }

        List<String> deliveries() {
            return LOGS.get(name);
        }
    }

    /** Hooks that keep the failures and backoffs, and stop a restart loop that never ends. */
    static final class RecordingHooks implements RestartHooks {
        final List<String> failed = new ArrayList<>();
        final List<Duration> sleeps = new ArrayList<>();
        final Set<String> deadLetters = new LinkedHashSet<>();

        @Override
        public void failed(int attempt, Throwable rootCause) {
            failed.add(attempt + ": " + rootCause.getMessage());
            Matcher poison = Pattern.compile("poison record (\\S+)").matcher(String.valueOf(rootCause.getMessage()));
            if (poison.find()) {
                deadLetters.add(poison.group(1)); // kept aside, so that the replayed batch goes through
            }
        }

        @Override
        public void sleep(Duration backoff) {
            sleeps.add(backoff);
            if (sleeps.size() > 10) {
                throw Failures.failure(
                        "more than 10 restarts: the restart loop has no bound",
                        "stop after maxAttempts starts: a query that fails on every start must not be restarted forever");
            }
        }
    }

    private static long nextModified = System.currentTimeMillis() - 3_600_000;

    /** Writes a JSON-lines file; each file is a minute newer than the last, the order the file source reads them in. */
    static void writeJsonLines(Path file, String... lines) throws Exception {
        Files.writeString(file, String.join("\n", lines) + "\n");
        nextModified += 60_000;
        Files.setLastModifiedTime(file, FileTime.fromMillis(nextModified));
    }

    @Nested
    @DisplayName("Exercise 7.6: Restart from the checkpoint")
    class RestartFromTheCheckpoint {

        @Test
        @Graded(exercise = "7.6", points = 3)
        void resumesAfterAPoisonRecordWithoutLossOrDuplicates(SparkSession spark, WorkDir work) throws Exception {
            Path in = work.dir("in");
            writeJsonLines(in.resolve("part-1.json"), "{\"id\":\"r1\"}", "{\"id\":\"r2\"}", "{\"id\":\"r3\"}");
            writeJsonLines(in.resolve("part-2.json"), "{\"id\":\"r4\"}", "{\"id\":\"p-7\"}", "{\"id\":\"r6\"}");
            writeJsonLines(in.resolve("part-3.json"), "{\"id\":\"r7\"}", "{\"id\":\"r8\"}", "{\"id\":\"r9\"}");
            DeliveryLog log = new DeliveryLog();
            RecordingHooks hooks = new RecordingHooks();
            List<String> checkpointsUsed = new CopyOnWriteArrayList<>();
            QueryStarter starter = checkpoint -> {
                checkpointsUsed.add(checkpoint);
                Set<String> quarantined = Set.copyOf(hooks.deadLetters);
                Dataset<Row> events = spark.readStream()
                        .schema(EVENTS)
                        .option("maxFilesPerTrigger", 1)
                        .json(in.toString())
                        .filter((FilterFunction<Row>) row -> !quarantined.contains(row.getString(0)));
                return failingOnPoison(events)
                        .writeStream()
                        .trigger(Trigger.AvailableNow())
                        .foreachBatch(log)
                        .option("checkpointLocation", checkpoint)
                        .start();
            };
            String checkpoint = work.path("checkpoint");
            SupervisedRun run =
                    Learner.call(() -> lab.supervise(starter, checkpoint, 4, Duration.ofMillis(100), hooks), null);

            Check.equal(
                    List.of(checkpoint, checkpoint),
                    checkpointsUsed,
                    "the checkpoints the two starts were given",
                    "start every attempt on the checkpointLocation you were given: a new one starts from scratch");
            Check.equal(
                    List.of("0:[r1, r2, r3]", "1:[r4, r6]", "2:[r7, r8, r9]"),
                    log.deliveries(),
                    "what the sink received, batch by batch",
                    "the restart resumes at the batch that failed (1), which is planned again with the same file,"
                            + " without the record set aside: nothing lost, nothing twice");
            Check.equal(
                    new SupervisedRun(2, true, List.of("poison record p-7")),
                    run,
                    "the supervised run",
                    "2 starts; the failure's message is its root cause's (follow getCause())");
            Check.equal(
                    List.of("1: poison record p-7"),
                    hooks.failed,
                    "what the hooks were told",
                    "hooks.failed(attempt, rootCause) after each failed start, attempts counted from 1");
            Check.equal(
                    List.of(Duration.ofMillis(100)),
                    hooks.sleeps,
                    "the backoffs",
                    "one failure, one wait: firstBackoff");
        }

        @Test
        @Graded(exercise = "7.6", points = 2)
        void givesUpAfterMaxAttemptsWithABackoffThatDoubles(SparkSession spark, WorkDir work) throws Exception {
            Path in = work.dir("in");
            writeJsonLines(in.resolve("part-1.json"), "{\"id\":\"r1\"}");
            RecordingHooks hooks = new RecordingHooks();
            // The downstream store is down for good: every start fails, whatever is set aside.
            QueryStarter starter = checkpoint -> spark.readStream()
                    .schema(EVENTS)
                    .json(in.toString())
                    .writeStream()
                    .trigger(Trigger.AvailableNow())
                    .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> {
                        throw new IllegalStateException("downstream store unavailable");
                    })
                    .option("checkpointLocation", checkpoint)
                    .start();
            SupervisedRun run = Learner.call(
                    () -> lab.supervise(starter, work.path("checkpoint"), 3, Duration.ofMillis(100), hooks), null);
            Check.equal(
                    List.of(Duration.ofMillis(100), Duration.ofMillis(200)),
                    hooks.sleeps,
                    "the backoffs",
                    "wait firstBackoff, then twice as long after each further failure; no wait after the last attempt");
            Check.equal(
                    new SupervisedRun(3, false, Collections.nCopies(3, "downstream store unavailable")),
                    run,
                    "the supervised run",
                    "stop after maxAttempts starts and say it did not complete");
            Check.equal(
                    List.of(
                            "1: downstream store unavailable",
                            "2: downstream store unavailable",
                            "3: downstream store unavailable"),
                    hooks.failed,
                    "what the hooks were told",
                    null);
        }
    }

    @Nested
    @DisplayName("Exercise 7.7: What a checkpoint holds")
    class WhatACheckpointHolds {

        private static final String LISTING_HINT = "offsets/ and commits/ also hold Hadoop's checksum files (.0.crc)"
                + " and may hold temporary ones: take only the names that are numbers; and a directory may be"
                + " missing (a stateless query has no state/)";

        @Test
        @Graded(exercise = "7.7", points = 2)
        void listsThePlannedAndCommittedBatchesAndTheStateOfAStatefulQuery(SparkSession spark, WorkDir work) {
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            Dataset<Row> counts = input.stream()
                    .withWatermark("event_time", "10 minutes")
                    .groupBy(window(col("event_time"), "5 minutes"), col("device_id"))
                    .count();
            BatchCollector sink = BatchCollector.create();
            String checkpoint = work.path("checkpoint");
            StreamingQuery query = sink.start(
                    counts.writeStream().outputMode(OutputMode.Update()).option("checkpointLocation", checkpoint),
                    null);
            input.addBatch(event("e1", "d1", "10:01"));
            Streams.processAll(query);
            input.addBatch(event("e2", "d1", "10:30")); // moves the watermark: a no-data batch runs too
            Streams.processAll(query);
            Streams.stop(query);
            List<Long> ran = new ArrayList<>(sink.batches().keySet());
            CheckpointSummary summary = Learner.call(() -> lab.inspectCheckpoint(Path.of(checkpoint)), LISTING_HINT);
            Check.equal(
                    new CheckpointSummary(ran, ran, true, List.of("0")),
                    summary,
                    "the checkpoint of a stopped stateful query (batches " + ran + " ran)",
                    "offsets/ and commits/ hold one file per batch, named by its id (skip .crc and temporary"
                            + " files); the aggregation is stateful operator 0: state/0/<partition>/");
        }

        @Test
        @Graded(exercise = "7.7", points = 2)
        void showsTheBatchThatWasPlannedButNeverCommitted(SparkSession spark, WorkDir work) {
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            BatchCollector sink = BatchCollector.create();
            String checkpoint = work.path("checkpoint");
            StreamingQuery query = sink.start(
                    failingOnPoison(input.stream()).writeStream().option("checkpointLocation", checkpoint), null);
            input.addBatch(event("e1", "d1", "10:01"));
            Streams.processAll(query);
            input.addBatch(event("e2", "d1", "10:02"));
            Streams.processAll(query);
            input.addBatch(event("p-7", "d1", "10:03"));
            Check.that(eventually(() -> !query.isActive()), "the query with a poison record still runs", null);
            CheckpointSummary summary = Learner.call(() -> lab.inspectCheckpoint(Path.of(checkpoint)), LISTING_HINT);
            Check.equal(
                    new CheckpointSummary(List.of(0L, 1L, 2L), List.of(0L, 1L), true, List.of()),
                    summary,
                    "the checkpoint of a stateless query that failed in batch 2",
                    "batch 2 was written to offsets/ before it ran (the write-ahead log) and never reached commits/:"
                            + " a restart runs it again; a stateless query has no state/ directory: return an empty list");
        }
    }

    @Nested
    @DisplayName("Exercise 7.8: Metrics for a scraper")
    class MetricsForAScraper {

        /** One sample of Prometheus' text format: name, optional labels, a value (and an optional timestamp). */
        private static final Pattern SAMPLE =
                Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\",?)*\\})?"
                        + " (-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|[+-]Inf)( -?[0-9]+)?");

        /**
         * Fetches the page as Prometheus would, checks every line with the strict pattern above and,
         * where {@code promtool} is on the PATH (.ci/run installs it), with Prometheus' own parser too.
         * The page is kept as {@code metrics-prometheus.txt} in the test's work directory.
         */
        private String scrape(SparkSession spark, WorkDir work) throws Exception {
            Check.that(
                    spark.sparkContext().uiWebUrl().isDefined(),
                    "(test set-up) the Spark UI is off",
                    "run the tests through Maven: this module's pom turns the UI on for them");
            String url = spark.sparkContext().uiWebUrl().get() + "/metrics/prometheus/";
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            Check.equal(200, response.statusCode(), "(test set-up) HTTP status of " + url, null);
            for (String line : response.body().split("\n")) {
                Check.that(
                        line.isBlank()
                                || line.startsWith("#")
                                || SAMPLE.matcher(line).matches(),
                        "(test set-up) a line of " + url + " is not in Prometheus' text format: " + line,
                        null);
            }
            Path page = work.root().resolve("metrics-prometheus.txt");
            Files.writeString(page, response.body());
            Optional<Path> promtool = onPath("promtool");
            if (promtool.isPresent()) {
                checkWithPromtool(promtool.get(), page, url);
            }
            return response.body();
        }

        /** The executable of that name in a directory of the PATH, if there is one. */
        private Optional<Path> onPath(String program) {
            return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .filter(dir -> !dir.isBlank())
                    .map(dir -> Path.of(dir, program))
                    .filter(Files::isExecutable)
                    .findFirst();
        }

        /**
         * {@code promtool check metrics} reads the page with Prometheus' own parser, then lints it.
         * Exit 0: clean. Exit 3: readable, with lint remarks only (Spark's names lack HELP lines and
         * its counters have no _total suffix: a scraper ingests them all the same). Exit 1 (a parse
         * error) or anything else: a scraper cannot read the page.
         */
        private void checkWithPromtool(Path promtool, Path page, String url) throws Exception {
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(page.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Check.that(
                    check.waitFor(30, TimeUnit.SECONDS), "(test set-up) promtool check metrics did not finish", null);
            int exit = check.exitValue();
            Check.that(
                    exit == 0 || exit == 3,
                    "(test set-up) Prometheus' promtool cannot read the page of " + url + " (exit " + exit + ","
                            + " page kept in " + page + "):\n" + output.strip(),
                    null);
        }

        @Test
        @Graded(exercise = "7.8", points = 3)
        void readsTheGaugesOfOneQueryFromTheScrapedPage(SparkSession spark, WorkDir work) throws Exception {
            spark.conf().set("spark.sql.streaming.metricsEnabled", "true");
            try {
                // Two queries whose names share a prefix: only "orders"' gauges belong to "orders".
                MemoryInput<Row> orders = MemoryInput.ofRows(EVENTS);
                MemoryInput<Row> ordersEu = MemoryInput.ofRows(EVENTS);
                StreamingQuery query = BatchCollector.create()
                        .start(
                                orders.stream()
                                        .withWatermark("event_time", "10 minutes")
                                        .groupBy(col("device_id"))
                                        .count()
                                        .writeStream()
                                        .outputMode(OutputMode.Update())
                                        .queryName("orders"),
                                null);
                StreamingQuery other = BatchCollector.create()
                        .start(ordersEu.stream().writeStream().queryName("orders_eu"), null);
                orders.addBatch(event("e1", "d1", "10:01"), event("e2", "d2", "10:02"), event("e3", "d3", "10:20"));
                Streams.processAll(query);
                ordersEu.addBatch(event("x1", "d9", "12:00"));
                Streams.processAll(other);

                String page = scrape(spark, work);
                Map<String, Double> gauges = Learner.call(() -> lab.queryGauges(page, "orders"), null);
                StreamingQueryProgress last = query.lastProgress();
                Map<String, Double> expected = new TreeMap<>();
                expected.put("inputRate_total", last.inputRowsPerSecond());
                expected.put("processingRate_total", last.processedRowsPerSecond());
                expected.put("latency", (double) last.durationMs().get("triggerExecution"));
                // 10:20 minus 10 minutes, in milliseconds since the epoch; three devices in the state.
                expected.put("eventTime_watermark", (double)
                        ts("2024-05-01 10:10:00").getTime());
                expected.put("states_rowsTotal", 3.0);
                expected.put("states_usedBytes", (double) Arrays.stream(last.stateOperators())
                        .mapToLong(StateOperatorProgress::memoryUsedBytes)
                        .sum());
                Check.equal(
                        expected,
                        new TreeMap<>(gauges),
                        "the gauges of query \"orders\"",
                        "keep the samples named ..._driver_spark_streaming_orders_<gauge>_Value for the six gauges of"
                                + " QUERY_GAUGES (the _Number twins repeat them); match whole names: \"orders_eu\""
                                + " is another query; the value is the line's last field");
            } finally {
                spark.conf().unset("spark.sql.streaming.metricsEnabled");
            }
        }
    }
}
