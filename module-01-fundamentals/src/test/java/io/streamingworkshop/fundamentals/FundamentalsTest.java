package io.streamingworkshop.fundamentals;

import static io.streamingworkshop.testkit.Check.row;
import static io.streamingworkshop.testkit.Times.ts;
import static org.apache.spark.sql.functions.col;

import io.streamingworkshop.datagen.AtomicFiles;
import io.streamingworkshop.testkit.BatchCollector;
import io.streamingworkshop.testkit.Check;
import io.streamingworkshop.testkit.ExerciseNotDoneException;
import io.streamingworkshop.testkit.Failures;
import io.streamingworkshop.testkit.Graded;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.Learner;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.QuerySettings;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Graded tests of module 1. Each nested class checks one exercise of {@link Fundamentals};
 * {@code @Graded} says which and how many points it is worth.
 */
@WorkshopTest
class FundamentalsTest {

    /** The schema exercise 1.1 asks for; the other exercises get it from here. */
    static final StructType SENSOR_SCHEMA = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add("temperature", DataTypes.DoubleType)
            .add("event_time", DataTypes.TimestampType);

    final Fundamentals lab = Implementations.load(Fundamentals.class);

    static String json(String eventId, String deviceId, double temperature, String eventTime) {
        return String.format(
                Locale.ROOT,
                "{\"event_id\":\"%s\",\"device_id\":\"%s\",\"temperature\":%s,\"event_time\":\"%s\"}",
                eventId,
                deviceId,
                temperature,
                eventTime);
    }

    static Row event(String eventId, String deviceId, double temperature, String eventTime) {
        return RowFactory.create(eventId, deviceId, temperature, ts(eventTime));
    }

    static Row reading(String deviceId) {
        return RowFactory.create("e-" + deviceId, deviceId, 20.0, ts("2024-05-01 10:00:00"));
    }

    static void requireStreaming(Dataset<Row> dataset) {
        Check.that(dataset != null, "the method returned null", "return the Dataset you built");
        Check.that(
                dataset.isStreaming(),
                "the Dataset is a batch Dataset, not a stream",
                "read with spark.readStream(), not spark.read()");
    }

    static List<Row> table(SparkSession spark, String name) {
        Check.that(
                spark.catalog().tableExists(name),
                "there is no in-memory table named '" + name + "'",
                "write with .format(\"memory\") and .queryName(queryName): the memory sink names its table after the query");
        return spark.table(name).collectAsList();
    }

    @Nested
    @DisplayName("Exercise 1.1: Read a directory as a stream")
    class ReadADirectoryAsAStream {

        @Test
        @Graded(exercise = "1.1", points = 1)
        void declaresTheSchemaInsteadOfInferringIt(SparkSession spark, WorkDir work) {
            Dataset<Row> events = Learner.callAllowingNull(
                    () -> lab.readSensorEvents(spark, work.dir("in").toString()), null);
            requireStreaming(events);
            Check.equal(
                    SENSOR_SCHEMA.simpleString(),
                    events.schema().simpleString(),
                    "the schema",
                    "declare event_id and device_id as StringType, temperature as DoubleType and event_time as"
                            + " TimestampType, in this order (JSON numbers would otherwise come out as long or"
                            + " double depending on the data, and times as plain strings)");
        }

        @Test
        @Graded(exercise = "1.1", points = 2)
        void picksUpEveryFileIncludingFilesThatArriveLater(SparkSession spark, WorkDir work) throws Exception {
            Path in = work.dir("in");
            AtomicFiles.writeLines(
                    in,
                    "part-001.json",
                    json("e-1", "sensor-1", 21.5, "2024-05-01T10:00:00Z"),
                    json("e-2", "sensor-2", 19.0, "2024-05-01T10:00:05Z"));
            AtomicFiles.writeLines(
                    in,
                    "part-002.json",
                    json("e-3", "sensor-1", 22.25, "2024-05-01T10:01:00Z"),
                    // a time with a fraction of a second and an offset: 12:01:00.250 at UTC+2
                    json("e-5", "sensor-2", 20.0, "2024-05-01T12:01:00.250+02:00"),
                    // a readable object with fields missing: still an event
                    "{\"event_id\":\"e-6\",\"device_id\":\"sensor-2\"}");

            Dataset<Row> events = Learner.callAllowingNull(() -> lab.readSensorEvents(spark, in.toString()), null);
            requireStreaming(events);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query =
                    Learner.start(() -> events.writeStream().foreachBatch(sink).start(), null);
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("rows read from the two files already in the directory")
                    .hint(
                            "every JSON line is one row, and a field missing from a line is null in its row (keep the row);"
                                    + " check the column names and types of your schema; the JSON reader reads ISO 8601 times with"
                                    + " fractions and offsets (12:01:00.250+02:00 is 10:01:00.250 UTC) by itself: set no"
                                    + " timestampFormat, filter nothing")
                    .containExactly(
                            row("e-1", "sensor-1", 21.5, "2024-05-01 10:00:00"),
                            row("e-2", "sensor-2", 19.0, "2024-05-01 10:00:05"),
                            row("e-3", "sensor-1", 22.25, "2024-05-01 10:01:00"),
                            row("e-5", "sensor-2", 20.0, "2024-05-01 10:01:00.250"),
                            row("e-6", "sensor-2", null, null));

            AtomicFiles.writeLines(in, "part-003.json", json("e-4", "sensor-3", 18.0, "2024-05-01T10:02:00Z"));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("rows after a third file arrived while the query ran")
                    .hint("a stream reads only what is new: the first two files must not be read again")
                    .containExactly(row("e-4", "sensor-3", 18.0, "2024-05-01 10:02:00"));
        }
    }

    @Nested
    @DisplayName("Exercise 1.2: Start a query into the memory sink")
    class StartAQueryIntoTheMemorySink {

        @Test
        @Graded(exercise = "1.2", points = 2)
        void appendsEveryMicroBatchToATableNamedAfterTheQuery(SparkSession spark) throws Exception {
            MemoryInput<Row> input = MemoryInput.ofRows(SENSOR_SCHEMA);
            StreamingQuery query = Learner.start(
                    () -> lab.startInMemory(input.stream(), "events_in_memory"),
                    "memory sink, queryName(queryName), append mode");
            input.addBatch(
                    event("e-1", "sensor-1", 21.5, "2024-05-01 10:00:00"),
                    event("e-2", "sensor-2", 19.0, "2024-05-01 10:00:05"));
            Streams.processAll(query);
            Check.rows(table(spark, "events_in_memory"))
                    .describedAs("the table after the first micro-batch")
                    .hint("the query must keep running and append every micro-batch: no trigger (the default), not"
                            + " Trigger.Once() or AvailableNow(), which stop when the input so far is read")
                    .containExactly(
                            row("e-1", "sensor-1", 21.5, "2024-05-01 10:00:00"),
                            row("e-2", "sensor-2", 19.0, "2024-05-01 10:00:05"));

            input.addBatch(event("e-3", "sensor-1", 22.0, "2024-05-01 10:01:00"));
            Streams.processAll(query);
            Check.rows(table(spark, "events_in_memory"))
                    .describedAs("the table after the second micro-batch")
                    .hint("append mode adds each micro-batch's new rows to what the sink already holds")
                    .containExactly(
                            row("e-1", "sensor-1", 21.5, "2024-05-01 10:00:00"),
                            row("e-2", "sensor-2", 19.0, "2024-05-01 10:00:05"),
                            row("e-3", "sensor-1", 22.0, "2024-05-01 10:01:00"));
            Check.equal(
                    OutputMode.Append(),
                    QuerySettings.outputModeOf(query),
                    "the output mode",
                    "use .outputMode(OutputMode.Append()) or leave the default, which is append");
        }
    }

    @Nested
    @DisplayName("Exercise 1.3: A processing-time trigger")
    class AProcessingTimeTrigger {

        @Test
        @Graded(exercise = "1.3", points = 2)
        void startsAMicroBatchAtMostEveryTwoSeconds(SparkSession spark) throws Exception {
            MemoryInput<Row> input = MemoryInput.ofRows(SENSOR_SCHEMA);
            StreamingQuery query = Learner.start(
                    () -> lab.startEveryTwoSeconds(input.stream(), "every_two_seconds"),
                    "like 1.2: .format(\"memory\") and .queryName(queryName), then the trigger");
            Check.equal(
                    Trigger.ProcessingTime("2 seconds"),
                    QuerySettings.triggerOf(query),
                    "the trigger",
                    "use .trigger(Trigger.ProcessingTime(\"2 seconds\")); without a trigger a new micro-batch"
                            + " starts as soon as the previous one ends");
            input.addBatch(event("e-1", "sensor-1", 21.5, "2024-05-01 10:00:00"));
            Streams.processAll(query);
            Check.rows(table(spark, "every_two_seconds"))
                    .describedAs("the table after one micro-batch")
                    .containExactly(row("e-1", "sensor-1", 21.5, "2024-05-01 10:00:00"));
        }
    }

    @Nested
    @DisplayName("Exercise 1.4: Process the backlog, then stop")
    class ProcessTheBacklogThenStop {

        @Test
        @Graded(exercise = "1.4", points = 3)
        void readsOneFilePerMicroBatchAndStopsByItself(SparkSession spark, WorkDir work) throws Exception {
            Path in = work.dir("in");
            AtomicFiles.writeLines(
                    in,
                    "part-001.json",
                    json("e-1", "sensor-1", 20.0, "2024-05-01T10:00:00Z"),
                    json("e-2", "sensor-2", 20.5, "2024-05-01T10:00:01Z"));
            AtomicFiles.writeLines(in, "part-002.json", json("e-3", "sensor-1", 21.0, "2024-05-01T10:00:02Z"));
            AtomicFiles.writeLines(
                    in,
                    "part-003.json",
                    json("e-4", "sensor-3", 21.5, "2024-05-01T10:00:03Z"),
                    json("e-5", "sensor-3", 22.0, "2024-05-01T10:00:04Z"),
                    json("e-6", "sensor-2", 22.5, "2024-05-01T10:00:05Z"));

            StreamingQuery query =
                    Learner.start(() -> lab.startBacklogRun(spark, in.toString(), SENSOR_SCHEMA, "backlog"), null);
            Trigger trigger = QuerySettings.triggerOf(query);
            Check.that(
                    !trigger.equals(Trigger.Once()),
                    "the query uses Trigger.Once()",
                    "Trigger.Once() is deprecated: it reads everything in one micro-batch and ignores"
                            + " maxFilesPerTrigger; Trigger.AvailableNow() processes the same backlog in batches");
            Check.equal(
                    Trigger.AvailableNow(),
                    trigger,
                    "the trigger",
                    "a query that processes what is available and then stops uses Trigger.AvailableNow()");
            Check.that(
                    Streams.awaitTermination(query, Duration.ofSeconds(60)),
                    "the query was still running 60 s after it started",
                    "Trigger.AvailableNow() stops by itself");

            List<Long> rowsPerBatch = Streams.batchesWithInput(query).stream()
                    .map(StreamingQueryProgress::numInputRows)
                    .sorted()
                    .toList();
            Check.equal(
                    List.of(1L, 2L, 3L),
                    rowsPerBatch,
                    "input rows of each micro-batch (sorted)",
                    "three files, one per micro-batch: set .option(\"maxFilesPerTrigger\", 1) on the reader");
            Check.rows(table(spark, "backlog"))
                    .describedAs("the table once the query stopped")
                    .containExactly(
                            row("e-1", "sensor-1", 20.0, "2024-05-01 10:00:00"),
                            row("e-2", "sensor-2", 20.5, "2024-05-01 10:00:01"),
                            row("e-3", "sensor-1", 21.0, "2024-05-01 10:00:02"),
                            row("e-4", "sensor-3", 21.5, "2024-05-01 10:00:03"),
                            row("e-5", "sensor-3", 22.0, "2024-05-01 10:00:04"),
                            row("e-6", "sensor-2", 22.5, "2024-05-01 10:00:05"));
        }
    }

    @Nested
    @DisplayName("Exercise 1.5: Continuous processing")
    class ContinuousProcessing {

        @Test
        @Graded(exercise = "1.5", points = 2)
        void runsAsAContinuousQueryAndDoublesEveryValue(SparkSession spark) throws Exception {
            StreamingQuery query = Learner.start(() -> lab.startContinuousDoubling(spark, "doubled"), null);
            Check.that(
                    QuerySettings.isContinuous(query),
                    "the query runs in micro-batches",
                    "use .trigger(Trigger.Continuous(\"1 second\")): the interval is how often it checkpoints,"
                            + " not a batch interval");
            Check.equal(
                    Trigger.Continuous("1 second"),
                    QuerySettings.triggerOf(query),
                    "the trigger",
                    "checkpoint every second: Trigger.Continuous(\"1 second\")");

            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            List<Row> rows = List.of();
            while (rows.size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                Check.that(query.isActive(), "the query stopped: " + query.exception(), null);
                rows = table(spark, "doubled");
            }
            Check.that(
                    rows.size() >= 5,
                    "fewer than 5 rows reached the sink in 45 s",
                    "use the rate source with option(\"numPartitions\", 1): on two cores a continuous query"
                            + " needs one free core besides its tasks");
            Check.equal(
                    List.of("value", "doubled"),
                    Arrays.asList(spark.table("doubled").columns()),
                    "the columns",
                    "select value and (value * 2) AS doubled");
            for (Row r : rows) {
                Check.equal(r.getLong(0) * 2, r.getLong(1), "doubled for value " + r.getLong(0), null);
            }
        }
    }

    static final class CountInput {
        final MemoryInput<Row> input = MemoryInput.ofRows(SENSOR_SCHEMA);

        void batch1() {
            input.addBatch(reading("d1"), reading("d1"), reading("d2"));
        }

        void batch2() {
            // d3's reading has no temperature: it is an event all the same
            input.addBatch(RowFactory.create("e-d3", "d3", null, ts("2024-05-01 10:00:00")));
        }

        void batch3() {
            input.addBatch(reading("d1"));
        }
    }

    static StreamingQuery startCounts(DataStreamWriter<Row> writer, BatchCollector sink) {
        Check.that(writer != null, "the method returned null", "return the DataStreamWriter; do not start it");
        return sink.start(writer, null);
    }

    @Nested
    @DisplayName("Exercise 1.6: A running count in complete mode")
    class ARunningCountInCompleteMode {

        @Test
        @Graded(exercise = "1.6", points = 2)
        void emitsTheWholeResultTableOnEveryMicroBatch(SparkSession spark) {
            CountInput in = new CountInput();
            BatchCollector sink = BatchCollector.create();
            DataStreamWriter<Row> writer =
                    Learner.callAllowingNull(() -> lab.countsInCompleteMode(in.input.stream()), null);
            StreamingQuery query = startCounts(writer, sink);
            String hint = "complete mode re-emits the whole result table, unchanged devices included; count rows"
                    + " (count()), so d3's reading without a temperature counts too";

            in.batch1();
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by micro-batch 1 (d1, d1, d2)")
                    .hint(hint)
                    .containExactly(row("d1", 2), row("d2", 1));
            in.batch2();
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by micro-batch 2 (d3)")
                    .hint(hint)
                    .containExactly(row("d1", 2), row("d2", 1), row("d3", 1));
            in.batch3();
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by micro-batch 3 (d1)")
                    .hint(hint)
                    .containExactly(row("d1", 3), row("d2", 1), row("d3", 1));
            Check.equal(OutputMode.Complete(), QuerySettings.outputModeOf(query), "the output mode", hint);
            Check.equal(
                    List.of("device_id", "events"),
                    Arrays.asList(sink.schema().fieldNames()),
                    "the columns",
                    "name the count column events: .withColumnRenamed(\"count\", \"events\")");
        }
    }

    @Nested
    @DisplayName("Exercise 1.7: The same count in update mode")
    class TheSameCountInUpdateMode {

        @Test
        @Graded(exercise = "1.7", points = 2)
        void emitsOnlyTheDevicesWhoseCountChanged(SparkSession spark) {
            CountInput in = new CountInput();
            BatchCollector sink = BatchCollector.create();
            DataStreamWriter<Row> writer =
                    Learner.callAllowingNull(() -> lab.countsInUpdateMode(in.input.stream()), null);
            StreamingQuery query = startCounts(writer, sink);
            String hint = "update mode emits only the rows of the result table that this micro-batch changed; count"
                    + " rows (count()), so d3's reading without a temperature counts too";

            in.batch1();
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by micro-batch 1 (d1, d1, d2)")
                    .hint(hint)
                    .containExactly(row("d1", 2), row("d2", 1));
            in.batch2();
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by micro-batch 2 (d3)")
                    .hint(hint)
                    .containExactly(row("d3", 1));
            in.batch3();
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by micro-batch 3 (d1)")
                    .hint(hint)
                    .containExactly(row("d1", 3));
            Check.equal(OutputMode.Update(), QuerySettings.outputModeOf(query), "the output mode", hint);
            Check.equal(
                    List.of("device_id", "events"),
                    Arrays.asList(sink.schema().fieldNames()),
                    "the columns",
                    "the same count as 1.6: name the count column events (.withColumnRenamed(\"count\", \"events\"))");
        }
    }

    @Nested
    @DisplayName("Exercise 1.8: Stop, restart, lose nothing")
    class StopRestartLoseNothing {

        @Test
        @Graded(exercise = "1.8", points = 3)
        void restartsFromItsCheckpointWithNothingTwiceAndNothingLost(SparkSession spark, WorkDir work)
                throws Exception {
            Path in = work.dir("in");
            String out = work.path("out");
            String checkpoint = work.path("checkpoint");
            AtomicFiles.writeLines(
                    in,
                    "part-001.json",
                    json("e-1", "sensor-1", 20.0, "2024-05-01T10:00:00Z"),
                    json("e-2", "sensor-2", 21.0, "2024-05-01T10:00:01Z"));
            AtomicFiles.writeLines(in, "part-002.json", json("e-3", "sensor-1", 22.0, "2024-05-01T10:00:02Z"));

            String hint = "pass checkpointDir as .option(\"checkpointLocation\", checkpointDir): it records which files"
                    + " were read and which batches were committed";
            StreamingQuery first = Learner.start(
                    () -> lab.startParquetIngest(spark, in.toString(), SENSOR_SCHEMA, out, checkpoint), hint);
            Streams.processAll(first);
            Streams.stop(first);
            for (String part : List.of("offsets", "commits")) {
                Check.that(
                        Files.isDirectory(Path.of(checkpoint, part)),
                        "the checkpoint directory you were given (" + checkpoint + ") has no " + part
                                + "/ after the first run",
                        "use checkpointDir itself as the checkpoint, not a directory of your own: the caller restarts"
                                + " the query with the same checkpointDir and expects its progress there. " + hint);
            }
            Check.that(
                    Files.isDirectory(Path.of(out)),
                    "nothing was written to outputDir " + out,
                    "write with .format(\"parquet\") and .option(\"path\", outputDir)");
            Check.rows(spark.read().schema(SENSOR_SCHEMA).parquet(out).collectAsList())
                    .describedAs("the Parquet files after the first run")
                    .containExactly(
                            row("e-1", "sensor-1", 20.0, "2024-05-01 10:00:00"),
                            row("e-2", "sensor-2", 21.0, "2024-05-01 10:00:01"),
                            row("e-3", "sensor-1", 22.0, "2024-05-01 10:00:02"));

            // Data arrives while the query is down.
            AtomicFiles.writeLines(
                    in,
                    "part-003.json",
                    json("e-4", "sensor-3", 23.0, "2024-05-01T10:00:03Z"),
                    json("e-5", "sensor-3", 24.0, "2024-05-01T10:00:04Z"));
            StreamingQuery second = Learner.start(
                    () -> lab.startParquetIngest(spark, in.toString(), SENSOR_SCHEMA, out, checkpoint), hint);
            Streams.processAll(second);
            long readAgain = Arrays.stream(second.recentProgress())
                    .mapToLong(StreamingQueryProgress::numInputRows)
                    .sum();
            Streams.stop(second);
            Check.equal(
                    2L,
                    readAgain,
                    "rows the restarted query read",
                    readAgain == 0
                            ? "it wrote nothing: a fresh checkpoint numbers batches from 0 again, and the Parquet sink's"
                                    + " own log (outputDir/_spark_metadata) skips batch ids it has already committed. "
                                    + hint
                            : "only the file that arrived while it was stopped is new; reading more means it started over. "
                                    + hint);
            Check.rows(spark.read().schema(SENSOR_SCHEMA).parquet(out).collectAsList())
                    .describedAs("the Parquet files after the restart")
                    .hint(hint)
                    .containExactly(
                            row("e-1", "sensor-1", 20.0, "2024-05-01 10:00:00"),
                            row("e-2", "sensor-2", 21.0, "2024-05-01 10:00:01"),
                            row("e-3", "sensor-1", 22.0, "2024-05-01 10:00:02"),
                            row("e-4", "sensor-3", 23.0, "2024-05-01 10:00:03"),
                            row("e-5", "sensor-3", 24.0, "2024-05-01 10:00:04"));
        }
    }

    @Nested
    @DisplayName("Exercise 1.9: When Spark refuses to start a query")
    class WhenSparkRefusesToStartAQuery {

        Optional<String> refusal(DataStreamWriter<Row> writer) {
            Optional<String> reason = Learner.callAllowingNull(
                    () -> lab.whySparkRefuses(writer),
                    "catch it and return its message. start() does not declare AnalysisException,"
                            + " so Java only lets you catch it as Exception (then check instanceof AnalysisException)");
            Check.that(
                    reason != null, "whySparkRefuses returned null", "return Optional.empty() or Optional.of(message)");
            return reason;
        }

        @Test
        @Graded(exercise = "1.9", points = 2)
        void returnsSparksReasonForCompleteModeWithoutAnAggregationAndForAContinuousAggregation(SparkSession spark)
                throws Exception {
            MemoryInput<Row> input = MemoryInput.ofRows(SENSOR_SCHEMA);
            DataStreamWriter<Row> completeWithoutAggregation = input.stream()
                    .writeStream()
                    .format("memory")
                    .queryName("refused_complete")
                    .outputMode(OutputMode.Complete());
            String expectedComplete = "Complete output mode not supported when there are no streaming aggregations"
                    + " on streaming DataFrames/Datasets";
            Optional<String> complete = refusal(completeWithoutAggregation);
            Check.that(
                    complete.isPresent() && complete.get().startsWith(expectedComplete),
                    "for complete mode without an aggregation, expected a message starting with\n  \""
                            + expectedComplete + "\"\nbut got " + complete,
                    "return the exception's getMessage() (or getSimpleMessage()), not toString() or your own text");

            DataStreamWriter<Row> continuousAggregation = spark.readStream()
                    .format("rate")
                    .load()
                    .groupBy(col("value").mod(2))
                    .count()
                    .writeStream()
                    .format("memory")
                    .queryName("refused_continuous")
                    .outputMode(OutputMode.Complete())
                    .trigger(Trigger.Continuous("1 second"));
            String expectedContinuous = "Continuous processing does not support Aggregate operations.";
            Optional<String> continuous = refusal(continuousAggregation);
            Check.that(
                    continuous.isPresent() && continuous.get().startsWith(expectedContinuous),
                    "for an aggregation with a continuous trigger, expected a message starting with\n  \""
                            + expectedContinuous + "\"\nbut got " + continuous,
                    "return the exception's message");

            // Only a refusal is an answer: any other error must reach the caller.
            Streams.processAll(input.stream()
                    .writeStream()
                    .format("memory")
                    .queryName("busy")
                    .start());
            // Spark accepts this query's plan, but start() fails: a query of that name is already running.
            DataStreamWriter<Row> sameName =
                    input.stream().writeStream().format("memory").queryName("busy");
            Object outcome;
            try {
                outcome = lab.whySparkRefuses(sameName);
            } catch (ExerciseNotDoneException e) {
                throw e;
            } catch (Exception e) {
                outcome = e;
            }
            Check.that(
                    outcome instanceof IllegalArgumentException,
                    "starting a second query named 'busy' fails with an IllegalArgumentException (not a refusal of the"
                            + " query: no AnalysisException); expected whySparkRefuses to let it through\n  but got: "
                            + (outcome instanceof Exception e
                                    ? e.getClass().getSimpleName() + ": " + Failures.firstLine(e.getMessage())
                                    : "it returned " + outcome),
                    "return a reason only for an AnalysisException (check instanceof) and throw anything else again:"
                            + " catching every Exception would hide real failures behind a made-up reason");
        }

        @Test
        @Graded(exercise = "1.9", points = 1)
        void startsAndStopsAQuerySparkAccepts(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(SENSOR_SCHEMA);
            DataStreamWriter<Row> fine =
                    input.stream().writeStream().format("memory").queryName("accepted");
            Optional<String> reason = refusal(fine);
            Check.equal(
                    Optional.empty(),
                    reason,
                    "the result for a query Spark accepts",
                    "return Optional.empty() when start() succeeds");
            boolean stillRunning = Arrays.stream(spark.streams().active()).anyMatch(q -> "accepted".equals(q.name()));
            Check.that(
                    !stillRunning, "the accepted query is still running", "stop the query you started: query.stop()");
        }
    }
}
