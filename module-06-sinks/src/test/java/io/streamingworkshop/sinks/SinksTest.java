package io.streamingworkshop.sinks;

import static io.streamingworkshop.testkit.Check.row;
import static io.streamingworkshop.testkit.Times.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.window;

import io.delta.tables.DeltaTable;
import io.streamingworkshop.testkit.Check;
import io.streamingworkshop.testkit.Failures;
import io.streamingworkshop.testkit.Graded;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.Learner;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.QuerySettings;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Graded tests of module 6. The test owns the input (a {@link MemoryInput}, one micro-batch per
 * {@code addBatch}) and reads back what the learner's sink wrote (Delta tables, a Kafka topic)
 * after every micro-batch. Expected tables are the input rows, or totals added up here in Java.
 */
@WorkshopTest
class SinksTest {

    final Sinks lab = Implementations.load(Sinks.class);

    /** An event; the time has a fraction of a second, which every sink must keep. */
    static Row event(String id, String account, String type, Double amount) {
        return RowFactory.create(id, account, type, amount, ts("2024-05-01 10:00:0" + (id.hashCode() & 7) + ".250"));
    }

    static Object[] expected(Row event) {
        return row(event.get(0), event.get(1), event.get(2), event.get(3), event.get(4));
    }

    static List<Object[]> expected(List<Row> events) {
        return events.stream().map(SinksTest::expected).collect(Collectors.toList());
    }

    static List<Row> delta(SparkSession spark, String path) {
        return spark.read().format("delta").load(path).collectAsList();
    }

    static List<Row> eventColumns(List<Row> rows) {
        return Check.project(rows, Sinks.EVENTS.fieldNames());
    }

    static boolean committed(String checkpointDir, long batchId) {
        return Files.exists(Path.of(checkpointDir, "commits", Long.toString(batchId)));
    }

    @Nested
    @DisplayName("Exercise 6.1: Append to a Delta table")
    class AppendToADeltaTable {

        @Test
        @Graded(exercise = "6.1", points = 3)
        void appendsEveryEventOnceAndContinuesAfterARestart(SparkSession spark, WorkDir work) {
            String table = work.path("events");
            String checkpoint = work.path("checkpoint");
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            String hint =
                    "writeStream().format(\"delta\").outputMode(\"append\").option(\"checkpointLocation\", checkpointDir).start(tablePath)";
            StreamingQuery first = Learner.start(() -> lab.appendToDeltaPath(input.stream(), table, checkpoint), hint);

            List<Row> batch1 = List.of(event("e1", "a1", "purchase", 10.0), event("e2", "a2", "refund", null));
            input.addBatch(batch1);
            Streams.processAll(first);
            Check.rows(eventColumns(delta(spark, table)))
                    .describedAs("the Delta table at tablePath after batch 1")
                    .hint("append every event as it is, all columns, to the table at tablePath")
                    .containExactly(expected(batch1));
            Check.that(
                    committed(checkpoint, 0),
                    "nothing was committed in checkpointDir (" + checkpoint + "/commits/0 is missing)",
                    "give the query option(\"checkpointLocation\", checkpointDir): its offsets and commits are how it restarts");
            Streams.stop(first);

            // Arrives while the query is down: the restarted query must pick it up, and only it.
            List<Row> batch2 = List.of(event("e3", "a1", "purchase", 2.5), event("e4", "a3", null, 7.0));
            input.addBatch(batch2);
            StreamingQuery second = Learner.start(() -> lab.appendToDeltaPath(input.stream(), table, checkpoint), hint);
            Streams.processAll(second);
            List<Row> all = new ArrayList<>(batch1);
            all.addAll(batch2);
            Check.rows(eventColumns(delta(spark, table)))
                    .describedAs("the Delta table after a restart from the same checkpoint")
                    .hint("a restarted query reads its checkpoint and continues after the last committed batch:"
                            + " the same checkpointLocation every time, never a fresh one")
                    .containExactly(expected(all));
        }
    }

    @Nested
    @DisplayName("Exercise 6.2: Append to a catalog table")
    class AppendToACatalogTable {

        @Test
        @Graded(exercise = "6.2", points = 2)
        void createsADeltaTableInTheCatalogAndAppendsToIt(SparkSession spark, WorkDir work) {
            String name = "payments_" + UUID.randomUUID().toString().substring(0, 8);
            String checkpoint = work.path("checkpoint");
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            StreamingQuery query = Learner.start(
                    () -> lab.appendToTable(input.stream(), name, checkpoint),
                    "writeStream()...option(\"checkpointLocation\", checkpointDir).toTable(tableName)");
            try {
                List<Row> batch1 = List.of(event("e1", "a1", "purchase", 10.0), event("e2", "a1", "purchase", 10.0));
                input.addBatch(batch1);
                Streams.processAll(query);
                Check.that(
                        spark.catalog().tableExists(name),
                        "there is no table " + name + " in the session catalog",
                        "end the writer with toTable(tableName), not start(path)");
                String format = spark.sql("DESCRIBE DETAIL " + name).first().getAs("format");
                Check.equal("delta", format, "the format of table " + name, "format(\"delta\") before toTable");
                List<Row> batch2 = List.of(event("e3", "a2", "refund", 0.0));
                input.addBatch(batch2);
                Streams.processAll(query);
                List<Row> all = new ArrayList<>(batch1);
                all.addAll(batch2);
                Check.rows(eventColumns(spark.table(name).collectAsList()))
                        .describedAs("table " + name + " after 2 batches")
                        .hint("append mode adds each micro-batch's rows; two equal events stay two rows")
                        .containExactly(expected(all));
                Check.that(
                        committed(checkpoint, 1),
                        "batch 1 was not committed in checkpointDir",
                        "option(\"checkpointLocation\", checkpointDir)");
            } finally {
                Streams.stop(query);
                spark.sql("DROP TABLE IF EXISTS " + name);
            }
        }
    }

    /** Totals per account, added up in Java: account, events, total (null while every amount is null). */
    static List<Object[]> totals(List<Row> events) {
        Map<String, Object[]> byAccount = new TreeMap<>();
        for (Row e : events) {
            Object[] t = byAccount.computeIfAbsent(e.getString(1), a -> row(a, 0L, null));
            t[1] = (Long) t[1] + 1;
            if (!e.isNullAt(3)) {
                t[2] = (t[2] == null ? 0.0 : (Double) t[2]) + e.getDouble(3);
            }
        }
        return new ArrayList<>(byAccount.values());
    }

    static final List<List<Row>> TOTALS_BATCHES = List.of(
            List.of(
                    event("e1", "a1", "purchase", 10.0),
                    event("e2", "a1", "purchase", 5.5),
                    event("e3", "a2", "refund", null)),
            List.of(event("e4", "a1", "refund", 4.5), event("e5", "a3", "purchase", 7.0)),
            List.of(event("e6", "a2", "purchase", 2.25)));

    @Nested
    @DisplayName("Exercise 6.3: Complete mode rewrites the table")
    class CompleteModeRewritesTheTable {

        @Test
        @Graded(exercise = "6.3", points = 3)
        void holdsTheWholeTotalsTableAfterEveryBatch(SparkSession spark, WorkDir work) {
            String table = work.path("totals");
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            DataStreamWriter<Row> writer =
                    Learner.call(() -> lab.totalsInCompleteMode(input.stream(), table, work.path("checkpoint")), null);
            StreamingQuery query = Learner.start(
                    writer::start,
                    "format(\"delta\"), outputMode(\"complete\"), option(\"path\", tablePath), option(\"checkpointLocation\", ...)");
            List<Row> seen = new ArrayList<>();
            for (int b = 0; b < TOTALS_BATCHES.size(); b++) {
                input.addBatch(TOTALS_BATCHES.get(b));
                seen.addAll(TOTALS_BATCHES.get(b));
                Streams.processAll(query);
                Check.rows(delta(spark, table), "account_id", "events", "total_amount")
                        .describedAs("the totals table after batch " + (b + 1))
                        .hint("complete mode replaces the table with every account's totals so far;"
                                + " sum(amount) skips nulls, count counts every event")
                        .containExactly(totals(seen));
            }
            Check.equal(
                    OutputMode.Complete(),
                    QuerySettings.outputModeOf(query),
                    "the output mode",
                    "outputMode(\"complete\")");
        }

        @Test
        @Graded(exercise = "6.3", points = 1)
        void theDeltaSinkRefusesUpdateMode(SparkSession spark, WorkDir work) {
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            DataStreamWriter<Row> writer = Learner.call(
                    () -> lab.totalsInCompleteMode(input.stream(), work.path("totals"), work.path("checkpoint")), null);
            String expected =
                    "[DELTA_UNSUPPORTED_OUTPUT_MODE] Data source org.apache.spark.sql.delta.sources.DeltaDataSource"
                            + " does not support Update output mode";
            String refusal =
                    Streams.refusalOf(writer.outputMode(OutputMode.Update())).orElse(null);
            Check.that(
                    refusal != null && refusal.startsWith(expected),
                    "the Delta sink should refuse your totals in update mode.\n  expected \"" + expected
                            + "\"\n  but got: " + (refusal == null ? "the query started" : Failures.firstLine(refusal)),
                    "write to format(\"delta\"): the Delta streaming sink takes append and complete only (exercise 6.4 shows update)");
        }

        @Test
        @Graded(exercise = "6.3", points = 1)
        void whichSinkTakesWhichOutputModeIsWhatSparkSays(SparkSession spark, WorkDir work) {
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            DataStreamWriter<Row> yours = Learner.call(
                    () -> lab.totalsInCompleteMode(input.stream(), work.path("totals"), work.path("checkpoint")), null);
            Check.equal(
                    "append=refused update=refused complete=yes",
                    modesTaken(yours),
                    "the output modes Spark takes for your totals into Delta",
                    "the totals have no watermark (append is refused) and Delta has no update mode: complete is the one");

            // Teaching data: the same question, measured for every sink, on an aggregation without and with a
            // watermark.
            Dataset<Row> events = input.stream();
            Map<String, Dataset<Row>> aggregations = new java.util.LinkedHashMap<>();
            aggregations.put("no watermark", events.groupBy(col("account_id")).count());
            aggregations.put(
                    "watermark",
                    events.withWatermark("event_time", "10 minutes")
                            .groupBy(window(col("event_time"), "5 minutes"), col("account_id"))
                            .count());
            List<String> measured = new ArrayList<>();
            for (Map.Entry<String, Dataset<Row>> aggregation : aggregations.entrySet()) {
                for (String sink : List.of("delta", "parquet", "kafka", "memory", "console", "foreachBatch")) {
                    DataStreamWriter<Row> writer =
                            writerInto(sink, aggregation.getValue(), work.path(sink + "-" + measured.size()));
                    measured.add(aggregation.getKey() + ", " + sink + ": " + modesTaken(writer));
                }
            }
            Check.equal(
                    List.of(
                            "no watermark, delta: append=refused update=refused complete=yes",
                            "no watermark, parquet: append=refused update=refused complete=refused",
                            "no watermark, kafka: append=refused update=yes complete=yes",
                            "no watermark, memory: append=refused update=yes complete=yes",
                            "no watermark, console: append=refused update=yes complete=yes",
                            "no watermark, foreachBatch: append=refused update=yes complete=yes",
                            "watermark, delta: append=yes update=refused complete=yes",
                            "watermark, parquet: append=yes update=refused complete=refused",
                            "watermark, kafka: append=yes update=yes complete=yes",
                            "watermark, memory: append=yes update=yes complete=yes",
                            "watermark, console: append=yes update=yes complete=yes",
                            "watermark, foreachBatch: append=yes update=yes complete=yes"),
                    measured,
                    "the output modes each sink takes (the README's table)",
                    "this part is the README's sink x output-mode table, measured: if it fails, Spark or Delta changed");
        }
    }

    /** Which output modes Spark's start() takes for {@code writer}: each refused or started (and stopped). */
    static String modesTaken(DataStreamWriter<Row> writer) {
        List<String> taken = new ArrayList<>();
        for (OutputMode mode : List.of(OutputMode.Append(), OutputMode.Update(), OutputMode.Complete())) {
            java.util.Optional<String> refusal = Streams.refusalOf(writer.outputMode(mode));
            taken.add(mode.toString().toLowerCase() + "=" + (refusal.isPresent() ? "refused" : "yes"));
        }
        return String.join(" ", taken);
    }

    /** A writer of {@code aggregation} into one sink, its files (if any) under {@code dir}; never given data. */
    static DataStreamWriter<Row> writerInto(String sink, Dataset<Row> aggregation, String dir) {
        String checkpoint = dir + "/checkpoint";
        return switch (sink) {
            case "delta", "parquet" ->
                aggregation
                        .writeStream()
                        .format(sink)
                        .option("path", dir + "/table")
                        .option("checkpointLocation", checkpoint);
            // No broker is needed to start: the sink connects when a batch has rows, and none comes.
            case "kafka" ->
                aggregation
                        .select(to_json(struct(col("*"))).as("value"))
                        .writeStream()
                        .format("kafka")
                        .option("kafka.bootstrap.servers", "localhost:9")
                        .option("topic", "never-written")
                        .option("checkpointLocation", checkpoint);
            case "memory" ->
                aggregation
                        .writeStream()
                        .format("memory")
                        .queryName("modes_" + UUID.randomUUID().toString().substring(0, 8));
            case "console" -> aggregation.writeStream().format("console");
            case "foreachBatch" ->
                aggregation
                        .writeStream()
                        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> {})
                        .option("checkpointLocation", checkpoint);
            default -> throw new IllegalArgumentException(sink);
        };
    }

    @Nested
    @DisplayName("Exercise 6.4: Update mode as a MERGE")
    class UpdateModeAsAMerge {

        @Test
        @Graded(exercise = "6.4", points = 4)
        void mergesTheChangedTotalsByAccountAfterEveryBatch(SparkSession spark, WorkDir work) {
            String table = work.path("totals");
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            StreamingQuery query = Learner.start(
                    () -> lab.upsertTotals(input.stream(), table, work.path("checkpoint")),
                    "totals(events).writeStream().outputMode(\"update\").foreachBatch(...).option(\"checkpointLocation\", ...).start()");
            // The table exists, empty, before the first micro-batch arrives.
            spark.createDataFrame(List.of(), Sinks.TOTALS)
                    .write()
                    .format("delta")
                    .save(table);
            Check.equal(
                    OutputMode.Update(),
                    QuerySettings.outputModeOf(query),
                    "the output mode",
                    "update mode hands foreachBatch only the totals that changed in the micro-batch");
            List<Row> seen = new ArrayList<>();
            for (int b = 0; b < TOTALS_BATCHES.size(); b++) {
                input.addBatch(TOTALS_BATCHES.get(b));
                seen.addAll(TOTALS_BATCHES.get(b));
                Streams.processAll(
                        query,
                        "MERGE with the condition \"t.account_id = c.account_id\": each changed total matches one row");
                Check.rows(delta(spark, table), "account_id", "events", "total_amount")
                        .describedAs("the totals table after batch " + (b + 1))
                        .hint(
                                "merge on account_id: whenMatched().updateAll() replaces the account's row with its new"
                                        + " total, whenNotMatched().insertAll() adds a new account; accounts not in the batch stay")
                        .containExactly(totals(seen));
            }
            List<String> operations = DeltaTable.forPath(spark, table)
                    .history()
                    .select("operation")
                    .as(Encoders.STRING())
                    .collectAsList();
            long merges = operations.stream().filter("MERGE"::equals).count();
            Check.equal(
                    3L,
                    merges,
                    "MERGE commits in the table's history " + operations,
                    "one DeltaTable.merge(...) per micro-batch: not an overwrite, not an append");
        }
    }

    /** Counts the rows Spark reads from the source: a micro-batch read twice counts twice. */
    static Dataset<Row> counted(Dataset<Row> events, LongAccumulator reads) {
        return events.filter((FilterFunction<Row>) r -> {
            reads.add(1);
            return true;
        });
    }

    /** The test's alert hook: remembers what it was told. */
    static final class RecordedAlerts implements Sinks.LargeBatchAlert {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void largeBatch(long batchId, long rows) {
            calls.add("batch " + batchId + ": " + rows + " rows");
        }
    }

    @Nested
    @DisplayName("Exercise 6.5: Fan out with foreachBatch")
    class FanOutWithForeachBatch {

        @Test
        @Graded(exercise = "6.5", points = 4)
        void writesBothTablesReadingEachBatchOnceAndAlertsOnLargeOnes(SparkSession spark, WorkDir work) {
            String purchases = work.path("purchases");
            String refunds = work.path("refunds");
            RecordedAlerts alerts = new RecordedAlerts();
            VoidFunction2<Dataset<Row>, Long> fanOut =
                    Learner.call(() -> lab.fanOutByType(purchases, refunds, 3, alerts), null);
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            LongAccumulator reads = spark.sparkContext().longAccumulator("rows read");
            StreamingQuery query = Learner.start(
                    () -> counted(input.stream(), reads)
                            .writeStream()
                            .foreachBatch(fanOut)
                            .option("checkpointLocation", work.path("checkpoint"))
                            .start(),
                    null);

            List<List<Row>> batches = List.of(
                    // exactly at the threshold (3): no alert
                    List.of(
                            event("e1", "a1", "purchase", 10.0),
                            event("e2", "a2", "refund", 4.0),
                            event("e3", "a1", "purchase", null)),
                    // above it: an alert
                    List.of(
                            event("e4", "a3", "refund", 1.0),
                            event("e5", "a3", "chargeback", 9.0),
                            event("e6", "a4", null, 2.0),
                            event("e7", "a4", "purchase", 3.0)),
                    List.of(event("e8", "a5", "Refund", 5.0)));
            List<String> expectedAlerts = new ArrayList<>();
            List<Row> seen = new ArrayList<>();
            for (int b = 0; b < batches.size(); b++) {
                List<Row> batch = batches.get(b);
                input.addBatch(batch);
                seen.addAll(batch);
                if (batch.size() > 3) {
                    expectedAlerts.add("batch " + b + ": " + batch.size() + " rows");
                }
                Streams.processAll(query);
                String after = " after batch " + (b + 1);
                Check.rows(eventColumns(delta(spark, purchases)))
                        .describedAs("the purchases table" + after)
                        .hint("filter type = \"purchase\" exactly; other types (and null) go to neither table")
                        .containExactly(expected(seen.stream()
                                .filter(e -> "purchase".equals(e.get(2)))
                                .toList()));
                Check.rows(eventColumns(delta(spark, refunds)))
                        .describedAs("the refunds table" + after)
                        .hint("filter type = \"refund\" exactly; \"Refund\" is another type")
                        .containExactly(expected(seen.stream()
                                .filter(e -> "refund".equals(e.get(2)))
                                .toList()));
                Check.equal(
                        expectedAlerts,
                        alerts.calls,
                        "the alerts" + after,
                        "alert.largeBatch(batchId, rows) only when the batch has MORE than alertAbove rows, once per batch");
                Check.equal(
                        (long) seen.size(),
                        reads.value(),
                        "rows read from the source" + after,
                        "each action on an unpersisted micro-batch (count, each write) reads the source again:"
                                + " batch.persist() first, then count and write");
                Check.that(
                        spark.sharedState().cacheManager().isEmpty(),
                        "a micro-batch is still cached" + after,
                        "batch.unpersist() at the end (in a finally block), or every batch's data piles up in memory");
            }
        }

        @Test
        @Graded(exercise = "6.5", points = 1)
        void cachingTheStreamItselfIsRefused(SparkSession spark, WorkDir work) {
            Learner.call(() -> lab.fanOutByType(work.path("a"), work.path("b"), 1000, (id, rows) -> {}), null);
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            String expected = "Queries with streaming sources must be executed with writeStream.start()";
            String refusal;
            try {
                // The original's "Pattern 4": cache the stream, then start two queries on it.
                Dataset<Row> cached = input.stream().cache();
                StreamingQuery q = cached.writeStream()
                        .format("memory")
                        .queryName("pattern4")
                        .start();
                Streams.stopQuietly(q);
                refusal = null;
            } catch (Exception e) {
                refusal = String.valueOf(e.getMessage());
            }
            Check.that(
                    refusal != null && refusal.contains(expected),
                    "Spark should refuse cache() on a streaming Dataset.\n  expected \"" + expected + "\"\n  but got: "
                            + (refusal == null ? "no error" : Failures.firstLine(refusal)),
                    "a stream has no data to cache until a query runs: persist each micro-batch inside foreachBatch instead");
        }
    }

    /** Runs the learner's batch function, then crashes once on batch {@code crashOn}: written, not committed. */
    static final class CrashOnceAfterWrite implements VoidFunction2<Dataset<Row>, Long> {
        final VoidFunction2<Dataset<Row>, Long> write;
        final long crashOn;
        volatile boolean crashed;

        CrashOnceAfterWrite(VoidFunction2<Dataset<Row>, Long> write, long crashOn) {
            this.write = write;
            this.crashOn = crashOn;
        }

        @Override
        public void call(Dataset<Row> batch, Long batchId) throws Exception {
            write.call(batch, batchId);
            if (batchId == crashOn && !crashed) {
                crashed = true;
                throw new IllegalStateException("crash injected after the write of batch " + batchId);
            }
        }
    }

    @Nested
    @DisplayName("Exercise 6.6: Idempotent writes")
    class IdempotentWrites {

        @Test
        @Graded(exercise = "6.6", points = 4)
        void aBatchReplayedAfterACrashIsNotWrittenTwice(SparkSession spark, WorkDir work) throws Exception {
            String table = work.path("ledger");
            String checkpoint = work.path("checkpoint");
            VoidFunction2<Dataset<Row>, Long> append =
                    Learner.call(() -> lab.idempotentAppend(table, "ledger-writer"), null);
            CrashOnceAfterWrite crashing = new CrashOnceAfterWrite(append, 1);
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            StreamingQuery first = Learner.start(
                    () -> input.stream()
                            .writeStream()
                            .foreachBatch(crashing)
                            .option("checkpointLocation", checkpoint)
                            .start(),
                    null);
            List<Row> all = new ArrayList<>();
            List<Row> batch0 = List.of(event("e1", "a1", "purchase", 10.0), event("e2", "a2", "refund", null));
            input.addBatch(batch0);
            all.addAll(batch0);
            Streams.processAll(first);

            List<Row> batch1 = List.of(event("e3", "a1", "purchase", 1.0), event("e4", "a1", "purchase", 1.0));
            input.addBatch(batch1);
            all.addAll(batch1);
            try {
                first.processAllAvailable();
            } catch (Exception expectedCrash) {
                // the injected crash: batch 1 is in the table, its commit is not in the checkpoint
            }
            Check.that(
                    crashing.crashed && !first.isActive() && !committed(checkpoint, 1),
                    "the injected crash after batch 1's write did not happen",
                    "return a function that writes the batch and returns");

            StreamingQuery restarted = Learner.start(
                    () -> input.stream()
                            .writeStream()
                            .foreachBatch(crashing)
                            .option("checkpointLocation", checkpoint)
                            .start(),
                    null);
            Streams.processAll(restarted);
            String hint = "after a crash Spark runs the uncommitted batch again with the same batch id: write with"
                    + " option(\"txnAppId\", appId) and option(\"txnVersion\", batchId), and Delta skips a version it already has";
            Check.rows(eventColumns(delta(spark, table)))
                    .describedAs("the table after batch 1 ran twice (crash, restart)")
                    .hint(hint)
                    .containExactly(expected(all));

            List<Row> batch2 = List.of(event("e5", "a3", "refund", 3.0));
            input.addBatch(batch2);
            all.addAll(batch2);
            Streams.processAll(restarted);
            Check.rows(eventColumns(delta(spark, table)))
                    .describedAs("the table after batch 2, the first after the restart")
                    .hint(
                            "txnVersion must be the batch id, which grows with every new batch: a new batch is never skipped")
                    .containExactly(expected(all));
        }

        @Test
        @Graded(exercise = "6.6", points = 2)
        void twoQueriesWithTheirOwnAppIdsDoNotSkipEachOther(SparkSession spark, WorkDir work) {
            String table = work.path("ledger");
            MemoryInput<Row> shopInput = MemoryInput.ofRows(Sinks.EVENTS);
            MemoryInput<Row> bankInput = MemoryInput.ofRows(Sinks.EVENTS);
            VoidFunction2<Dataset<Row>, Long> shop = Learner.call(() -> lab.idempotentAppend(table, "shop-feed"), null);
            VoidFunction2<Dataset<Row>, Long> bank = Learner.call(() -> lab.idempotentAppend(table, "bank-feed"), null);
            StreamingQuery shopQuery = Learner.start(
                    () -> shopInput.stream()
                            .writeStream()
                            .foreachBatch(shop)
                            .option("checkpointLocation", work.path("shop-checkpoint"))
                            .start(),
                    null);
            List<Row> shopRows = List.of(event("s1", "a1", "purchase", 5.0));
            shopInput.addBatch(shopRows);
            Streams.processAll(shopQuery);
            StreamingQuery bankQuery = Learner.start(
                    () -> bankInput.stream()
                            .writeStream()
                            .foreachBatch(bank)
                            .option("checkpointLocation", work.path("bank-checkpoint"))
                            .start(),
                    null);
            List<Row> bankRows = List.of(event("b1", "a2", "refund", 6.0));
            bankInput.addBatch(bankRows);
            Streams.processAll(bankQuery);
            List<Row> all = new ArrayList<>(shopRows);
            all.addAll(bankRows);
            Check.rows(eventColumns(delta(spark, table)))
                    .describedAs("the table both queries wrote their batch 0 to")
                    .hint("txnAppId is the appId given, one per query: with one constant id, the second query's batch 0"
                            + " looks like a repeat of the first's and is skipped")
                    .containExactly(expected(all));
        }
    }

    @Nested
    @DisplayName("Exercise 6.7: Write to Kafka")
    class WriteToKafka {

        @Test
        @Graded(exercise = "6.7", points = 3)
        void writesKeyJsonValueAndTypeHeader(SparkSession spark, WorkDir work) {
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            // Unique, so that a broker named by KAFKA_BOOTSTRAP_SERVERS never serves an earlier run's records.
            String topic = "payments-" + UUID.randomUUID().toString().substring(0, 8);
            StreamingQuery query = Learner.start(
                    () -> {
                        KafkaBroker kafka = KafkaBroker.shared();
                        kafka.createTopic(topic, 1);
                        return lab.toKafka(input.stream(), kafka.sparkOptions(), topic, work.path("checkpoint"));
                    },
                    "select key, value and headers; writeStream().format(\"kafka\").options(kafkaOptions).option(\"topic\", topic)");
            List<Row> events = List.of(
                    event("e1", "a1", "purchase", 10.0),
                    event("e2", "a2", "refund", null),
                    event("e3", "a1", null, 0.5));
            input.addBatch(events);
            Streams.processAll(query);

            List<ConsumerRecord<String, String>> records = consume(KafkaBroker.shared(), topic, events.size());
            List<Row> got = records.stream()
                    .map(r -> RowFactory.create(r.key(), r.value(), headers(r)))
                    .collect(Collectors.toList());
            List<Object[]> want = events.stream()
                    .map(e -> row(e.getString(1), json(e), "event_type=" + e.getString(2)))
                    .collect(Collectors.toList());
            Check.rows(got)
                    .describedAs("the records in topic " + topic + " (key, value, headers)")
                    .hint(
                            "key = account_id; value = to_json(struct(col(\"*\"))) (nulls are left out of the JSON);"
                                    + " headers = array(struct(lit(\"event_type\").as(\"key\"), col(\"type\").cast(\"binary\").as(\"value\")))")
                    .containExactly(want);
        }
    }

    /**
     * The test's flaky sink for 6.8: fails the first attempts of each micro-batch (as many as the
     * plan says for that batch id), then keeps the batch's event ids. Runs on the driver, so its
     * counts are read directly after each batch.
     */
    static final class FlakySink implements VoidFunction2<Dataset<Row>, Long> {
        final Map<Long, Integer> failuresPlanned;
        final Map<Long, Integer> attempts = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> written = Collections.synchronizedList(new ArrayList<>());
        final List<Exception> thrown = Collections.synchronizedList(new ArrayList<>());

        FlakySink(Map<Long, Integer> failuresPlanned) {
            this.failuresPlanned = failuresPlanned;
        }

        @Override
        public void call(Dataset<Row> batch, Long batchId) {
            int attempt = attempts.merge(batchId, 1, Integer::sum);
            if (attempt <= failuresPlanned.getOrDefault(batchId, 0)) {
                // No batch id in this message: the learner's own exception must name the batch.
                IllegalStateException down =
                        new IllegalStateException("the sink is unavailable (attempt " + attempt + ")");
                thrown.add(down);
                throw down;
            }
            batch.select("event_id").as(Encoders.STRING()).collectAsList().forEach(written::add);
        }
    }

    /** The test's sleeper: records each delay in milliseconds and returns at once. */
    static final class RecordedDelays implements Sinks.Sleeper {
        final List<Long> millis = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void sleep(Duration delay) {
            millis.add(delay.toMillis());
        }

        List<Long> takeNew() {
            synchronized (millis) {
                List<Long> taken = new ArrayList<>(millis);
                millis.clear();
                return taken;
            }
        }
    }

    @Nested
    @DisplayName("Exercise 6.8: Retry with backoff")
    class RetryWithBackoff {

        static final int MAX_ATTEMPTS = 4;
        static final Duration FIRST_DELAY = Duration.ofMillis(100);

        StreamingQuery startRetrying(MemoryInput<Row> input, FlakySink sink, RecordedDelays delays, WorkDir work) {
            VoidFunction2<Dataset<Row>, Long> retrying =
                    Learner.call(() -> lab.withRetry(sink, MAX_ATTEMPTS, FIRST_DELAY, delays), null);
            return Learner.start(
                    () -> input.stream()
                            .writeStream()
                            .foreachBatch(retrying)
                            .option("checkpointLocation", work.path("checkpoint"))
                            .start(),
                    null);
        }

        @Test
        @Graded(exercise = "6.8", points = 3)
        void retriesWithGrowingDelaysUntilTheWriteSucceeds(SparkSession spark, WorkDir work) {
            // Batch 0 fails 3 times: its 4th attempt, the last one allowed, succeeds. Batch 1 fails once.
            FlakySink sink = new FlakySink(Map.of(0L, 3, 1L, 1));
            RecordedDelays delays = new RecordedDelays();
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            StreamingQuery query = startRetrying(input, sink, delays, work);
            String hint = "a loop of at most maxAttempts calls; after a failure sleeper.sleep(delay), then delay ="
                    + " delay.multipliedBy(2); the delay starts at firstDelay in every call of the function";

            input.addBatch(List.of(event("e1", "a1", "purchase", 10.0), event("e2", "a2", "refund", null)));
            Streams.processAll(
                    query, "retry write.call(batch, batchId) when it throws, up to maxAttempts calls in all");
            Check.equal(4, sink.attempts.get(0L), "the attempts of batch 0 (it fails 3 times, then succeeds)", hint);
            Check.equal(
                    List.of(100L, 200L, 400L),
                    delays.takeNew(),
                    "the delays (ms) before the retries of batch 0",
                    "wait with the sleeper given (not Thread.sleep), firstDelay first, then twice the previous delay");
            Check.equal(List.of("e1", "e2"), sorted(sink.written), "the events written by batch 0", hint);

            input.addBatch(List.of(event("e3", "a3", "purchase", 1.5)));
            Streams.processAll(query);
            Check.equal(2, sink.attempts.get(1L), "the attempts of batch 1 (it fails once, then succeeds)", hint);
            Check.equal(
                    List.of(100L),
                    delays.takeNew(),
                    "the delays (ms) before the retries of batch 1",
                    "keep the delay in a local variable of the function's call: each micro-batch starts again at firstDelay");
            Check.equal(List.of("e1", "e2", "e3"), sorted(sink.written), "the events written after batch 1", hint);
        }

        @Test
        @Graded(exercise = "6.8", points = 2)
        void failsTheQueryAfterTheLastAttemptNamingTheBatch(SparkSession spark, WorkDir work) {
            // Batch 1 fails exactly maxAttempts times: a 5th attempt would succeed, so only a bounded retry gives up.
            FlakySink sink = new FlakySink(Map.of(1L, MAX_ATTEMPTS));
            RecordedDelays delays = new RecordedDelays();
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            StreamingQuery query = startRetrying(input, sink, delays, work);
            input.addBatch(List.of(event("e1", "a1", "purchase", 10.0)));
            Streams.processAll(query);
            delays.takeNew();

            input.addBatch(List.of(event("e2", "a2", "refund", 3.0)));
            try {
                query.processAllAvailable();
            } catch (Exception expectedFailure) {
                // the query must fail: its exception is read below
            }
            Check.equal(
                    MAX_ATTEMPTS,
                    sink.attempts.get(1L),
                    "the attempts of batch 1, which fails " + MAX_ATTEMPTS + " times",
                    "stop after maxAttempts calls: a retry without a bound hides a broken sink and never lets the query fail");
            Check.equal(
                    List.of(100L, 200L, 400L),
                    delays.takeNew(),
                    "the delays (ms) before the retries of batch 1",
                    "sleep between attempts only: after the last attempt there is nothing to wait for");
            Check.that(
                    query.exception().isDefined(),
                    "the query still runs after batch 1 failed " + MAX_ATTEMPTS + " times",
                    "after the last attempt, throw: a swallowed failure lets Spark commit a batch that was never written");
            List<Throwable> chain = new ArrayList<>();
            for (Throwable t = query.exception().get(); t != null && !chain.contains(t); t = t.getCause()) {
                chain.add(t);
            }
            boolean namesTheBatch = chain.stream()
                    .filter(t -> !sink.thrown.contains(t))
                    .anyMatch(t -> String.valueOf(t.getMessage()).matches("(?s).*\\bbatch 1\\b.*"));
            Check.that(
                    namesTheBatch,
                    "the query's failure does not name the batch: "
                            + Failures.firstLine(query.exception().get().getMessage()),
                    "throw new IllegalStateException(\"batch \" + batchId + \" failed after \" + attempts + \" attempts\", lastFailure)");
            Check.that(
                    chain.contains(sink.thrown.get(sink.thrown.size() - 1)),
                    "the sink's last failure is not among the causes of the query's failure",
                    "pass the last failure as the cause of the exception you throw: it says why the sink failed");
            Check.equal(List.of("e1"), sorted(sink.written), "the events written", "batch 1 was never written");
        }
    }

    static List<String> sorted(List<String> values) {
        synchronized (values) {
            return values.stream().sorted().toList();
        }
    }

    @Nested
    @DisplayName("Exercise 6.9: Remove Kafka's duplicates")
    class RemoveKafkasDuplicates {

        @Test
        @Graded(exercise = "6.9", points = 3)
        void aBatchReplayedIntoKafkaIsReadOnce(SparkSession spark, WorkDir work) throws Exception {
            Learner.failFastIfNotDone(() -> lab.eventsOnce(spark.createDataFrame(List.of(), Sinks.EVENTS)));
            KafkaBroker kafka = KafkaBroker.shared();
            String topic = "replayed-" + UUID.randomUUID().toString().substring(0, 8);
            kafka.createTopic(topic, 1);
            String checkpoint = work.path("checkpoint");
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            Learner.QueryStarter startWriter = () -> input.stream()
                    .select(
                            col("account_id").as("key"),
                            to_json(struct(col("*"))).as("value"))
                    .writeStream()
                    .format("kafka")
                    .options(kafka.sparkOptions())
                    .option("topic", topic)
                    .option("checkpointLocation", checkpoint)
                    .start();
            StreamingQuery first = startWriter.start();
            List<Row> batch0 = List.of(event("e1", "a1", "purchase", 10.0), event("e2", "a2", "refund", null));
            input.addBatch(batch0);
            Streams.processAll(first);
            // One account, two events with the same amount: only the event id tells them apart.
            List<Row> batch1 = List.of(event("e3", "a1", "purchase", 1.0), event("e4", "a1", "purchase", 1.0));
            input.addBatch(batch1);
            Streams.processAll(first);
            Streams.stop(first);
            // A crash after batch 1 was sent and before it was committed: its commit is not in the checkpoint.
            Files.delete(Path.of(checkpoint, "commits", "1"));
            Files.deleteIfExists(Path.of(checkpoint, "commits", ".1.crc"));
            StreamingQuery restarted = startWriter.start();
            Streams.processAll(restarted);
            Streams.stop(restarted);

            List<ConsumerRecord<String, String>> records = consume(kafka, topic, 6);
            Check.equal(
                    6,
                    records.size(),
                    "the records in the topic after batch 1 was replayed (4 events, batch 1 sent twice)",
                    "the Kafka sink is at-least-once: this is what your method receives");
            Dataset<Row> read = spark.read()
                    .format("kafka")
                    .options(kafka.sparkOptions())
                    .option("subscribe", topic)
                    .option("startingOffsets", "earliest")
                    .load();
            Dataset<Row> once = Learner.call(() -> lab.eventsOnce(read), null);
            Check.columnsInOrder(once, "the columns of Sinks.EVENTS, in order", Sinks.EVENTS.fieldNames());
            List<Row> all = new ArrayList<>(batch0);
            all.addAll(batch1);
            Check.rows(once.collectAsList())
                    .describedAs("the events read once from topic " + topic)
                    .hint("from_json(col(\"value\").cast(\"string\"), Sinks.EVENTS), select(\"event.*\"), then"
                            + " dropDuplicates(\"event_id\"): a replayed record has another offset, so distinct() on the"
                            + " records keeps it, and the key (account_id) is shared by many events")
                    .containExactly(expected(all));
        }
    }

    /** The JSON Spark's to_json writes for an event: fields in order, nulls left out, times in UTC with millis. */
    static String json(Row e) {
        List<String> fields = new ArrayList<>();
        String[] names = Sinks.EVENTS.fieldNames();
        for (int i = 0; i < names.length; i++) {
            Object v = e.get(i);
            if (v == null) {
                continue;
            }
            String text = v instanceof String s
                    ? "\"" + s + "\""
                    : v instanceof Timestamp t
                            ? "\"" + t.toInstant().toString().replace("Z", "") + "Z\""
                            : v.toString();
            fields.add("\"" + names[i] + "\":" + text);
        }
        return "{" + String.join(",", fields) + "}";
    }

    static String headers(ConsumerRecord<String, String> record) {
        return Arrays.stream(record.headers().toArray())
                .map((Header h) ->
                        h.key() + "=" + (h.value() == null ? "null" : new String(h.value(), StandardCharsets.UTF_8)))
                .collect(Collectors.joining(";"));
    }

    static List<ConsumerRecord<String, String>> consume(KafkaBroker kafka, String topic, int atLeast) {
        Properties props = kafka.clientProperties();
        props.put("group.id", "check-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 15_000;
            while (records.size() < atLeast && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Anything more (a duplicate) would show up now.
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }
}
