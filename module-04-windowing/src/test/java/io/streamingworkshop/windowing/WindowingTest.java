package io.streamingworkshop.windowing;

import static io.streamingworkshop.testkit.Check.row;
import static io.streamingworkshop.testkit.Times.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.window;

import io.streamingworkshop.testkit.BatchCollector;
import io.streamingworkshop.testkit.Check;
import io.streamingworkshop.testkit.Failures;
import io.streamingworkshop.testkit.Graded;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.Learner;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.WorkshopTest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Graded tests of module 4. Every input is fed micro-batch by micro-batch, so the watermark moves
 * exactly as the comments say, and every assertion is about what one micro-batch emitted.
 */
@WorkshopTest
class WindowingTest {

    final Windowing lab = Implementations.load(Windowing.class);

    private static int nextEvent;

    /** A reading of sensor "s-" + device, received 30 minutes after it was measured (ingest time). */
    static Row reading(String device, String time, double temperature) {
        return reading(device, "s-" + device, time, temperature);
    }

    static Row reading(String device, String sensor, String time, Double temperature) {
        return RowFactory.create(
                "e-" + (++nextEvent),
                device,
                sensor,
                temperature,
                ts("2024-05-01 " + time),
                new Timestamp(ts("2024-05-01 " + time).getTime() + 30 * 60 * 1000L));
    }

    /** A reading whose temperature is missing (null): still an event. */
    static Row readingWithoutTemperature(String device, String sensor, String time) {
        return reading(device, sensor, time, null);
    }

    static Row click(String user, String segment, String time) {
        return click(user, segment, "/home", time);
    }

    static Row click(String user, String segment, String page, String time) {
        return RowFactory.create(user, segment, page, ts("2024-05-01 " + time));
    }

    static Object[] span(String start, String end) {
        return row("2024-05-01 " + start, "2024-05-01 " + end);
    }

    static void requireColumns(Dataset<Row> result, String... columns) {
        Check.columnsInOrder(result, "name the columns as the exercise says (Column.as(\"...\"))", columns);
    }

    @Nested
    @DisplayName("Exercise 4.1: A watermark on event time")
    class AWatermarkOnEventTime {

        @Test
        @Graded(exercise = "4.1", points = 2)
        void setsTheWatermarkTenMinutesBehindTheLatestEventTime(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Windowing.READINGS);
            Dataset<Row> watermarked = Learner.call(() -> lab.withEventTimeWatermark(input.stream()), null);
            requireColumns(watermarked, Windowing.READINGS.fieldNames());
            StreamingQuery query = Learner.start(
                    () -> watermarked
                            .writeStream()
                            .format("memory")
                            .queryName("watermarked")
                            .start(),
                    null);
            // Latest event time 10:20 (ingest time 10:50): from the next micro-batch on, the watermark is 10:10.
            // One reading has neither sensor nor temperature: a watermark filters nothing by itself.
            Row first = reading("d1", "10:05", 20.0);
            Row latest = reading("d1", "10:20", 21.0);
            Row incomplete = RowFactory.create(
                    "e-" + (++nextEvent), "d1", null, null, ts("2024-05-01 10:07"), ts("2024-05-01 10:37"));
            input.addBatch(first, latest, incomplete);
            Streams.processAll(query);
            Row withinDelay = reading("d1", "10:15", 22.0);
            input.addBatch(withinDelay);
            Streams.processAll(query);
            Check.rows(spark.table("watermarked").collectAsList(), "event_id")
                    .describedAs("the readings that came through (by event_id)")
                    .hint(
                            "a watermark only declares how late data may be: return every reading, unchanged, even one with"
                                    + " null fields (no filter, no na().drop())")
                    .containExactly(
                            row(first.getString(0)),
                            row(latest.getString(0)),
                            row(incomplete.getString(0)),
                            row(withinDelay.getString(0)));
            String watermark = query.lastProgress().eventTime().get("watermark");
            Check.that(
                    watermark != null,
                    "the query has no watermark",
                    "call withWatermark(column, delay) on the readings");
            Check.equal(
                    "2024-05-01T10:10:00.000Z",
                    watermark,
                    "the watermark after events up to 10:20",
                    watermark.startsWith("2024-05-01T10:40") || watermark.startsWith("2024-05-01T10:45")
                            ? "the watermark follows ingest_time: lateness is measured on event_time"
                            : "the watermark is the latest event_time minus the delay: use \"10 minutes\"");
        }
    }

    @Nested
    @DisplayName("Exercise 4.2: Tumbling windows")
    class TumblingWindows {

        @Test
        @Graded(exercise = "4.2", points = 3)
        void emitsEachWindowOnceWhenTheWatermarkPassesItsEnd(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Windowing.READINGS);
            Dataset<Row> counts = Learner.call(
                    () -> lab.fiveMinuteCounts(input.stream().withWatermark("event_time", "10 minutes")), null);
            requireColumns(counts, "window", "device_id", "events", "avg_temperature");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(
                    counts.writeStream().outputMode(OutputMode.Append()),
                    "group by window(col(\"event_time\"), \"5 minutes\") and device_id, nothing else");
            String hint = "5-minute tumbling windows of event_time per device_id: [10:00, 10:05), [10:05, 10:10), ...;"
                    + " in append mode a window comes out once the watermark (latest event time - 10 min) passes its end";

            // d2 sends two readings at 10:04, the second one without a temperature: two events, one temperature.
            input.addBatch(
                    reading("d1", "10:01", 20.0),
                    reading("d1", "10:03", 22.0),
                    reading("d2", "10:04", 30.0),
                    readingWithoutTemperature("d2", "s-d2", "10:04"),
                    reading("d1", "10:06", 24.0));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("after batch 1 (latest 10:06, watermark 09:56)")
                    .hint(hint)
                    .isEmpty();

            input.addBatch(reading("d1", "10:12", 26.0));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("after batch 2 (latest 10:12, watermark 10:02)")
                    .hint(hint)
                    .isEmpty();

            input.addBatch(reading("d2", "10:17", 32.0));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("after batch 3 (latest 10:17, watermark 10:07)")
                    .hint(hint
                            + "; events counts every reading (count(\"*\")): d2's two readings at 10:04 are two events,"
                            + " even the one without a temperature, while avg(\"temperature\") skips that null")
                    .containExactly(
                            row(span("10:00:00", "10:05:00"), "d1", 2, 21.0),
                            row(span("10:00:00", "10:05:00"), "d2", 2, 30.0));

            input.addBatch(reading("d1", "10:26", 28.0));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("after batch 4 (latest 10:26, watermark 10:16)")
                    .hint(hint)
                    .containExactly(
                            row(span("10:05:00", "10:10:00"), "d1", 1, 24.0),
                            row(span("10:10:00", "10:15:00"), "d1", 1, 26.0));
        }

        @Test
        @Graded(exercise = "4.2", points = 1)
        void cannotRunInAppendModeOnAStreamWithoutAWatermark(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Windowing.READINGS);
            Dataset<Row> counts = Learner.call(() -> lab.fiveMinuteCounts(input.stream()), null);
            String expected = "Append output mode not supported when there are streaming aggregations on streaming"
                    + " DataFrames/DataSets without watermark";
            String refusal = Streams.refusalOf(counts.writeStream()
                            .outputMode(OutputMode.Append())
                            .format("memory")
                            .queryName("no_watermark"))
                    .orElse(null);
            Check.that(
                    refusal != null && refusal.startsWith(expected),
                    "without a watermark on its input, your aggregation should not run in append mode."
                            + "\n  expected Spark to refuse with \"" + expected + "\"\n  but got: "
                            + (refusal == null ? "the query started" : Failures.firstLine(refusal)),
                    "do not add a watermark inside fiveMinuteCounts: the input carries it (exercise 4.1), and"
                            + " append mode needs it to know when a window is final");
        }
    }

    @Nested
    @DisplayName("Exercise 4.3: Sliding windows")
    class SlidingWindows {

        @Test
        @Graded(exercise = "4.3", points = 2)
        void putsEveryReadingIntoThreeOverlappingWindowsPerSensor(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Windowing.READINGS);
            Dataset<Row> averages = Learner.call(
                    () -> lab.movingAverage(input.stream().withWatermark("event_time", "1 hour")),
                    "window(timeColumn, windowDuration, slideDuration): the length (15 minutes) first, then the slide (5 minutes)");
            requireColumns(averages, "window", "sensor_id", "moving_avg");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(averages.writeStream().outputMode(OutputMode.Update()), null);

            // Two devices share sensor s-a: the average is per sensor, not per device.
            // s-b also sent a reading without a temperature: it has no value to average.
            input.addBatch(
                    reading("d1", "s-a", "10:07", 20.0),
                    reading("d2", "s-a", "10:12", 30.0),
                    reading("d3", "s-b", "10:07", 10.0),
                    readingWithoutTemperature("d3", "s-b", "10:08"));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("the moving averages after one batch")
                    .hint("window(col(\"event_time\"), \"15 minutes\", \"5 minutes\"): 15 minutes long, a new one every"
                            + " 5 minutes, so each reading falls into 3 windows; group by sensor_id; the average of the"
                            + " temperatures there are is avg(\"temperature\"), which skips a null (a sum divided by a"
                            + " count of rows does not)")
                    .containExactly(
                            row(span("09:55:00", "10:10:00"), "s-a", 20.0),
                            row(span("10:00:00", "10:15:00"), "s-a", 25.0),
                            row(span("10:05:00", "10:20:00"), "s-a", 25.0),
                            row(span("10:10:00", "10:25:00"), "s-a", 30.0),
                            row(span("09:55:00", "10:10:00"), "s-b", 10.0),
                            row(span("10:00:00", "10:15:00"), "s-b", 10.0),
                            row(span("10:05:00", "10:20:00"), "s-b", 10.0));
        }
    }

    static List<Row> sessionClicks() {
        return List.of(
                // u1: 9.5 minutes, then 10.5 minutes apart
                click("u1", "regular", "10:00:00"),
                click("u1", "regular", "10:09:30"),
                click("u1", "regular", "10:20:00"),
                // u2 clicks twice in the same second, the second time on no known page: two clicks
                click("u2", "regular", "10:05:00"),
                click("u2", "regular", null, "10:05:00"));
    }

    @Nested
    @DisplayName("Exercise 4.4: Session windows")
    class SessionWindows {

        @Test
        @Graded(exercise = "4.4", points = 2)
        void closesASessionAfterTenMinutesWithoutAClick(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Windowing.CLICKS);
            Dataset<Row> sessions =
                    Learner.call(() -> lab.sessions(input.stream().withWatermark("event_time", "30 minutes")), null);
            requireColumns(sessions, "user_id", "session_window", "clicks");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(sessions.writeStream().outputMode(OutputMode.Append()), null);

            input.addBatch(sessionClicks());
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("after the first clicks (watermark 09:50)")
                    .isEmpty();

            input.addBatch(click("u3", "regular", "11:05:00"));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("sessions closed once the watermark reached 10:35")
                    .hint(
                            "session_window(col(\"event_time\"), \"10 minutes\") grouped with user_id: a session ends 10 minutes"
                                    + " after its last click, so clicks 9.5 minutes apart share one, 10.5 minutes apart do not;"
                                    + " clicks counts every click (count(\"*\")), even two in the same second or one with a null page")
                    .containExactly(
                            row("u1", row("2024-05-01 10:00:00", "2024-05-01 10:19:30"), 2),
                            row("u1", row("2024-05-01 10:20:00", "2024-05-01 10:30:00"), 1),
                            row("u2", row("2024-05-01 10:05:00", "2024-05-01 10:15:00"), 2));
        }

        @Test
        @Graded(exercise = "4.4", points = 1)
        void cannotRunInUpdateMode(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Windowing.CLICKS);
            Dataset<Row> sessions =
                    Learner.call(() -> lab.sessions(input.stream().withWatermark("event_time", "30 minutes")), null);
            String expected = "Update output mode not supported for session window on streaming DataFrames/DataSets";
            String refusal = Streams.refusalOf(sessions.writeStream()
                            .outputMode(OutputMode.Update())
                            .format("memory")
                            .queryName("sessions_update"))
                    .orElse(null);
            Check.that(
                    refusal != null && refusal.startsWith(expected),
                    "Spark should refuse your sessions in update mode.\n  expected \"" + expected + "\"\n  but got: "
                            + (refusal == null ? "the query started" : Failures.firstLine(refusal)),
                    "a session can still grow and merge with the next one until the watermark passes it, so Spark"
                            + " only emits final sessions: use session_window, not window");
        }
    }

    @Nested
    @DisplayName("Exercise 4.5: A session gap per segment")
    class ASessionGapPerSegment {

        @Test
        @Graded(exercise = "4.5", points = 2)
        void usesTwentyMinutesForPremiumUsersAndFiveForTheOthers(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Windowing.CLICKS);
            Dataset<Row> sessions = Learner.call(
                    () -> lab.sessionsBySegment(input.stream().withWatermark("event_time", "30 minutes")), null);
            requireColumns(sessions, "user_id", "session_window", "clicks");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(sessions.writeStream().outputMode(OutputMode.Append()), null);

            // Every user clicks twice, 7 minutes apart; u5's clicks carry no segment (null): not premium.
            input.addBatch(
                    click("u1", "regular", "10:00:00"),
                    click("u1", "regular", "10:07:00"),
                    click("u2", "premium", "10:00:00"),
                    click("u2", "premium", "10:07:00"),
                    click("u3", "new", "10:00:00"),
                    click("u3", "new", "10:07:00"),
                    click("u4", "at_risk", "10:00:00"),
                    click("u4", "at_risk", "10:07:00"),
                    click("u5", null, "10:00:00"),
                    click("u5", null, "10:07:00"));
            Streams.processAll(query);
            input.addBatch(click("u9", "regular", "11:30:00"));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("sessions once the watermark reached 11:00")
                    .hint(
                            "the gap can be a Column: when(col(\"user_segment\").equalTo(\"premium\"), \"20 minutes\")"
                                    + ".otherwise(\"5 minutes\"); everyone who is not premium gets 5 minutes: at_risk users too, and"
                                    + " a click with no segment (null), which a test like notEqual(\"premium\") does not send to otherwise")
                    .containExactly(
                            row("u1", row("2024-05-01 10:00:00", "2024-05-01 10:05:00"), 1),
                            row("u1", row("2024-05-01 10:07:00", "2024-05-01 10:12:00"), 1),
                            row("u2", row("2024-05-01 10:00:00", "2024-05-01 10:27:00"), 2),
                            row("u3", row("2024-05-01 10:00:00", "2024-05-01 10:05:00"), 1),
                            row("u3", row("2024-05-01 10:07:00", "2024-05-01 10:12:00"), 1),
                            row("u4", row("2024-05-01 10:00:00", "2024-05-01 10:05:00"), 1),
                            row("u4", row("2024-05-01 10:07:00", "2024-05-01 10:12:00"), 1),
                            row("u5", row("2024-05-01 10:00:00", "2024-05-01 10:05:00"), 1),
                            row("u5", row("2024-05-01 10:07:00", "2024-05-01 10:12:00"), 1));
        }
    }

    /** Windowed counts as in 4.2, built here so that 4.6 does not depend on your 4.2. */
    static Dataset<Row> referenceCounts(Dataset<Row> readings) {
        return readings.withWatermark("event_time", "10 minutes")
                .groupBy(window(col("event_time"), "5 minutes"), col("device_id"))
                .agg(count("*").as("events"));
    }

    @Nested
    @DisplayName("Exercise 4.6: Append or update")
    class AppendOrUpdate {

        private List<List<Row>> emissions(Windowing.Audience audience) {
            MemoryInput<Row> input = MemoryInput.ofRows(Windowing.READINGS);
            DataStreamWriter<Row> writer =
                    Learner.call(() -> lab.writerFor(referenceCounts(input.stream()), audience), null);
            Check.that(writer != null, "writerFor returned null", "return the DataStreamWriter; do not start it");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(writer, null);
            List<List<Row>> emitted = new ArrayList<>();
            input.addBatch(reading("d1", "10:01", 20.0), reading("d1", "10:02", 20.0)); // watermark -> 09:52
            Streams.processAll(query);
            emitted.add(sink.takeNew());
            input.addBatch(reading("d1", "10:03", 20.0), reading("d1", "10:08", 20.0)); // watermark -> 09:58
            Streams.processAll(query);
            emitted.add(sink.takeNew());
            input.addBatch(reading("d1", "10:21", 20.0)); // watermark -> 10:11
            Streams.processAll(query);
            emitted.add(sink.takeNew());
            input.addBatch(reading("d1", "10:04", 20.0)); // too late: dropped
            Streams.processAll(query);
            emitted.add(sink.takeNew());
            return emitted;
        }

        @Test
        @Graded(exercise = "4.6", points = 2)
        void alertingGetsEachWindowOnceWhenItIsFinal(SparkSession spark) {
            List<List<Row>> emitted = emissions(Windowing.Audience.ALERTING);
            String hint =
                    "alerting wants final results only: append mode emits a window once, after the watermark passed it";
            Check.rows(emitted.get(0))
                    .describedAs("ALERTING: emitted by batch 1")
                    .hint(hint)
                    .isEmpty();
            Check.rows(emitted.get(1))
                    .describedAs("ALERTING: emitted by batch 2")
                    .hint(hint)
                    .isEmpty();
            Check.rows(emitted.get(2))
                    .describedAs("ALERTING: emitted by batch 3 (watermark 10:11)")
                    .hint(hint)
                    .containExactly(
                            row(span("10:00:00", "10:05:00"), "d1", 3), row(span("10:05:00", "10:10:00"), "d1", 1));
            Check.rows(emitted.get(3))
                    .describedAs("ALERTING: emitted by batch 4 (a too-late event)")
                    .hint(hint)
                    .isEmpty();
        }

        @Test
        @Graded(exercise = "4.6", points = 2)
        void theDashboardGetsEveryChangeAtOnce(SparkSession spark) {
            List<List<Row>> emitted = emissions(Windowing.Audience.DASHBOARD);
            String hint = "the dashboard wants each change as it happens: update mode emits the windows a batch changed"
                    + " (complete mode would re-send every window and keep all of them in state forever)";
            Check.rows(emitted.get(0))
                    .describedAs("DASHBOARD: emitted by batch 1")
                    .hint(hint)
                    .containExactly(row(span("10:00:00", "10:05:00"), "d1", 2));
            Check.rows(emitted.get(1))
                    .describedAs("DASHBOARD: emitted by batch 2")
                    .hint(hint)
                    .containExactly(
                            row(span("10:00:00", "10:05:00"), "d1", 3), row(span("10:05:00", "10:10:00"), "d1", 1));
            Check.rows(emitted.get(2))
                    .describedAs("DASHBOARD: emitted by batch 3")
                    .hint(hint)
                    .containExactly(row(span("10:20:00", "10:25:00"), "d1", 1));
            Check.rows(emitted.get(3))
                    .describedAs("DASHBOARD: emitted by batch 4 (a too-late event)")
                    .hint(hint)
                    .isEmpty();
        }
    }

    @Nested
    @DisplayName("Exercise 4.7: Count what the watermark dropped")
    class CountWhatTheWatermarkDropped {

        @Test
        @Graded(exercise = "4.7", points = 2)
        void addsUpTheRowsDroppedInEveryMicroBatch(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Windowing.READINGS);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query =
                    sink.start(referenceCounts(input.stream()).writeStream().outputMode(OutputMode.Update()), null);
            Check.equal(
                    0L,
                    Learner.call(() -> lab.rowsDroppedByWatermark(query), null),
                    "rows dropped before any input",
                    null);
            input.addBatch(reading("d1", "10:11", 20.0), reading("d1", "10:20", 20.0)); // watermark -> 10:10
            Streams.processAll(query);
            // 10:13 is 7 minutes late: within the delay, its window [10:10, 10:15) is updated.
            // 10:02 and 09:30 belong to windows that ended before the watermark: dropped.
            input.addBatch(reading("d1", "10:13", 20.0), reading("d1", "10:02", 20.0), reading("d1", "09:30", 20.0));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("(the late event within the delay updated its window)")
                    .containExactly(
                            row(span("10:10:00", "10:15:00"), "d1", 1),
                            row(span("10:20:00", "10:25:00"), "d1", 1),
                            row(span("10:10:00", "10:15:00"), "d1", 2));
            input.addBatch(reading("d1", "10:03", 20.0)); // dropped too
            Streams.processAll(query);

            Check.equal(
                    3L,
                    Learner.call(() -> lab.rowsDroppedByWatermark(query), null),
                    "rows dropped by the watermark over the query's life",
                    "sum numRowsDroppedByWatermark over query.recentProgress() and over each progress's stateOperators();"
                            + " lastProgress() covers only the last trigger");
        }
    }

    /**
     * The late-heavy input of exercises 4.8 and 4.9: two devices reporting every 5 minutes over
     * half an hour, some events 5 to 20 minutes late, and a last batch whose heartbeat, an hour
     * later, moves the watermark past every window.
     */
    static List<List<Row>> lateHeavyBatches() {
        return List.of(
                List.of(reading("d1", "10:01", 20.0), reading("d2", "10:02", 20.0), reading("d1", "10:04", 20.0)),
                List.of(reading("d1", "10:06", 20.0), reading("d2", "10:08", 20.0), reading("d1", "10:03", 20.0)),
                List.of(reading("d1", "10:12", 20.0), reading("d2", "10:11", 20.0), reading("d2", "10:04", 20.0)),
                List.of(reading("d1", "10:17", 20.0), reading("d2", "10:16", 20.0), reading("d1", "10:09", 20.0)),
                List.of(
                        reading("d1", "10:22", 20.0),
                        reading("d2", "10:21", 20.0),
                        reading("d2", "10:13", 20.0),
                        reading("d1", "10:02", 20.0)),
                List.of(reading("d1", "10:27", 20.0), reading("d2", "10:26", 20.0)),
                List.of(reading("heartbeat", "11:00", 0.0)));
    }

    /** Events of {@link #lateHeavyBatches()} that are real readings (not the heartbeat). */
    static final long LATE_HEAVY_EVENTS = 18;

    @Nested
    @DisplayName("Exercise 4.8: Measure a watermark")
    class MeasureAWatermark {

        @Test
        @Graded(exercise = "4.8", points = 3)
        void reportsWindowsEventsDropsAndWaitsForAShortAndALongDelay(SparkSession spark) throws Exception {
            WatermarkRun shortDelay = measure(spark, "5 minutes");
            Check.equal(
                    new WatermarkRun("5 minutes", 12, 17, 1, 2),
                    shortDelay,
                    "the run with a 5-minute delay",
                    "12 windows (6 per device) come out; the event of 10:02 that arrives when the latest event is 10:22"
                            + " is dropped; every window waits 2 batches, the last one only 1 (the heartbeat flushes it)");
            WatermarkRun longDelay = measure(spark, "15 minutes");
            Check.equal(
                    new WatermarkRun("15 minutes", 12, 18, 0, 4),
                    longDelay,
                    "the run with a 15-minute delay",
                    "nothing is dropped, but the first windows wait 4 batches for the watermark");
            // A window's wait starts with its first event: a later event of the same window does not restart it.
            WatermarkRun lateInOpenWindow = measure(
                    spark,
                    List.of(
                            List.of(reading("d1", "10:01", 20.0)),
                            List.of(reading("d1", "10:04:59.999", 20.0)), // late, its window still open
                            List.of(reading("d1", "10:13", 20.0)), // watermark 10:08: [10:00, 10:05) comes out
                            List.of(reading("heartbeat", "11:00", 0.0))),
                    "5 minutes");
            Check.equal(
                    new WatermarkRun("5 minutes", 2, 3, 0, 2),
                    lateInOpenWindow,
                    "a run where a late event joins a window seen one batch earlier",
                    "[10:00, 10:05) first appears in batch 0 and comes out after batch 2: it waited 2 batches, although"
                            + " its second event came in batch 1 (remember only the first batch of a window: putIfAbsent)");
        }

        private WatermarkRun measure(SparkSession spark, String delay) throws Exception {
            return measure(spark, lateHeavyBatches(), delay);
        }

        private WatermarkRun measure(SparkSession spark, List<List<Row>> batches, String delay) throws Exception {
            WatermarkRun run = Learner.callAllowingNull(() -> lab.measure(spark, batches, delay), null);
            Check.that(run != null, "measure returned null", "return a new WatermarkRun(...)");
            Check.that(
                    Arrays.stream(spark.streams().active()).noneMatch(StreamingQuery::isActive),
                    "measure left its query running",
                    "stop the query before returning (in a finally block)");
            return run;
        }
    }

    @Nested
    @DisplayName("Exercise 4.9: Choose a watermark delay")
    class ChooseAWatermarkDelay {

        private final List<WatermarkRun> runs = List.of(
                new WatermarkRun("5 minutes", 12, 17, 1, 2),
                new WatermarkRun("10 minutes", 12, 17, 1, 3),
                new WatermarkRun("15 minutes", 12, 18, 0, 4));

        @Test
        @Graded(exercise = "4.9", points = 2)
        void picksTheFastestDelayThatMeetsTheCompletenessTarget() {
            Check.equal(
                    "15 minutes",
                    Learner.callAllowingNull(() -> lab.chooseDelay(runs, LATE_HEAVY_EVENTS, 0.95), null),
                    "the delay for a 95% completeness target",
                    "5 and 10 minutes count 17 of 18 events (94.4%): only 15 minutes reaches 95%");
            Check.equal(
                    "5 minutes",
                    Learner.callAllowingNull(() -> lab.chooseDelay(runs, LATE_HEAVY_EVENTS, 0.90), null),
                    "the delay for a 90% completeness target",
                    "all three reach 90%; the 5-minute run makes windows wait the fewest batches (2)");
            Check.equal(
                    null,
                    Learner.callAllowingNull(() -> lab.chooseDelay(runs, LATE_HEAVY_EVENTS + 2, 0.95), null),
                    "when no run reaches the target",
                    "return null when no run is complete enough");
            // Out of 20 events, 15 minutes counts 18: exactly 90%.
            Check.equal(
                    "15 minutes",
                    Learner.callAllowingNull(() -> lab.chooseDelay(runs, 20, 0.90), null),
                    "the delay for a 90% target when a run counts exactly 90% (18 of 20)",
                    "a run that reaches the target exactly meets it: completeness >= target, not >");
            List<WatermarkRun> longestFirst = List.of(runs.get(2), runs.get(1), runs.get(0));
            Check.equal(
                    "5 minutes",
                    Learner.callAllowingNull(() -> lab.chooseDelay(longestFirst, LATE_HEAVY_EVENTS, 0.90), null),
                    "the delay for a 90% target, the runs listed longest delay first",
                    "the runs come in any order: among those that qualify, take the one with the fewest batches waited"
                            + " (min by maxBatchesWaited), not the first one in the list");
        }
    }
}
