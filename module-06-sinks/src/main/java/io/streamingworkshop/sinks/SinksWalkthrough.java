package io.streamingworkshop.sinks;

import static io.streamingworkshop.testkit.Times.ts;

import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.RowText;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.Walkthrough;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * The walkthrough of module 6: every sink live, and exactly-once proven by a crash between a
 * batch's write and its commit, with the table's row count with and without the idempotent options.
 * Run it with {@code ./mvnw -q -pl module-06-sinks verify -Pwalkthrough} (add -Psolutions for the reference).
 */
public final class SinksWalkthrough {

    private SinksWalkthrough() {}

    public static void main(String[] args) {
        SparkSession spark = Walkthrough.start("Module 6: sinks, foreachBatch and exactly-once", Sinks.class);
        Sinks lab = Implementations.load(Sinks.class);
        WorkDir work = WorkDir.named("sinks");

        Walkthrough.section(
                "Delta append, stop, restart (exercise 6.1)",
                "A batch of 3 events, the query stopped; a batch of 2 arrives while it is down; the query restarted.");
        Walkthrough.step("6.1", () -> {
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            String table = work.path("events");
            String checkpoint = work.path("events-checkpoint");
            StreamingQuery query = lab.appendToDeltaPath(input.stream(), table, checkpoint);
            input.addBatch(batch(1, 3));
            Streams.processAll(query);
            Streams.stop(query);
            Walkthrough.say("  rows before the restart: " + rows(spark, table));
            input.addBatch(batch(4, 2));
            query = lab.appendToDeltaPath(input.stream(), table, checkpoint);
            Streams.processAll(query);
            Walkthrough.say(
                    "  rows after the restart:  " + rows(spark, table) + " (3 + 2: nothing twice, nothing lost)");
        });

        Walkthrough.section("Complete mode, and update mode refused (exercise 6.3)");
        Walkthrough.step("6.3", () -> {
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            String table = work.path("totals");
            StreamingQuery query = lab.totalsInCompleteMode(input.stream(), table, work.path("totals-checkpoint"))
                    .start();
            input.addBatch(batch(1, 4));
            Streams.processAll(query);
            input.addBatch(batch(5, 2));
            Streams.processAll(query);
            show(spark, table, "the totals table after 2 batches");
            Streams.stop(query);
            Walkthrough.say("  update mode into Delta: "
                    + Streams.refusalOf(lab.totalsInCompleteMode(
                                            input.stream(),
                                            work.path("totals-update"),
                                            work.path("totals-update-checkpoint"))
                                    .outputMode(OutputMode.Update()))
                            .map(m -> m.lines().findFirst().orElse(m))
                            .orElse("(started!)"));
        });

        Walkthrough.section("Update mode as a MERGE (exercise 6.4)");
        Walkthrough.step("6.4", () -> {
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            String table = work.path("upserted");
            spark.createDataFrame(List.of(), Sinks.TOTALS)
                    .write()
                    .format("delta")
                    .save(table);
            StreamingQuery query = lab.upsertTotals(input.stream(), table, work.path("upserted-checkpoint"));
            input.addBatch(batch(1, 4));
            Streams.processAll(query);
            input.addBatch(batch(5, 2));
            Streams.processAll(query);
            show(spark, table, "the upserted totals after 2 batches (the same as complete mode's)");
        });

        Walkthrough.section(
                "A crash after the write, before the commit (exercise 6.6)",
                "Batch 1 is written, then the query dies; restarted from its checkpoint, batch 1 runs again.");
        Walkthrough.step("6.6", () -> {
            VoidFunction2<Dataset<Row>, Long> plain =
                    (batch, id) -> batch.write().format("delta").mode("append").save(work.path("plain"));
            long withoutOptions = crashAndRestart(spark, plain, work.path("plain"), work.path("plain-checkpoint"));
            Walkthrough.say("  plain append:                  " + withoutOptions + " rows for 4 events");
            long withOptions = crashAndRestart(
                    spark,
                    lab.idempotentAppend(work.path("idempotent"), "walkthrough"),
                    work.path("idempotent"),
                    work.path("idempotent-checkpoint"));
            Walkthrough.say("  with txnAppId and txnVersion:  " + withOptions + " rows for 4 events");
        });

        Walkthrough.section(
                "Kafka: key, JSON value, header (exercise 6.7)",
                "The same events as Kafka records, read back with Spark's batch Kafka reader.");
        Walkthrough.step("6.7", () -> {
            var kafka = KafkaBroker.shared();
            String topic = "walkthrough-payments-" + System.currentTimeMillis();
            kafka.createTopic(topic, 1);
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            StreamingQuery query =
                    lab.toKafka(input.stream(), kafka.sparkOptions(), topic, work.path("kafka-checkpoint"));
            input.addBatch(batch(1, 3));
            Streams.processAll(query);
            Dataset<Row> records = spark.read()
                    .format("kafka")
                    .options(kafka.sparkOptions())
                    .option("subscribe", topic)
                    .option("includeHeaders", "true")
                    .load()
                    .selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value", "offset");
            System.out.print(RowText.table(records.columns(), records.collectAsList(), "    "));
        });

        Walkthrough.section(
                "Console sink, for debugging",
                "format(\"console\") prints each micro-batch; fine for a look, useless for a test.");
        Walkthrough.step("console", () -> {
            MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
            StreamingQuery query = input.stream()
                    .writeStream()
                    .format("console")
                    .option("truncate", false)
                    .start();
            input.addBatch(batch(1, 2));
            Streams.processAll(query);
        });

        System.exit(Walkthrough.finish());
    }

    private static List<Row> batch(int firstId, int size) {
        List<Row> rows = new ArrayList<>();
        for (int i = firstId; i < firstId + size; i++) {
            rows.add(RowFactory.create(
                    "e" + i,
                    "a" + (i % 3),
                    i % 4 == 0 ? "refund" : "purchase",
                    10.0 * i,
                    ts("2024-05-01 10:00:0" + (i % 10))));
        }
        return rows;
    }

    /** Batch 0 (2 rows), batch 1 (2 rows) written then a crash, a restart: the table's row count. */
    private static long crashAndRestart(
            SparkSession spark, VoidFunction2<Dataset<Row>, Long> write, String table, String checkpoint)
            throws Exception {
        boolean[] crashed = {false};
        VoidFunction2<Dataset<Row>, Long> crashing = (batch, id) -> {
            write.call(batch, id);
            if (id == 1 && !crashed[0]) {
                crashed[0] = true;
                throw new IllegalStateException("crash after the write of batch 1");
            }
        };
        MemoryInput<Row> input = MemoryInput.ofRows(Sinks.EVENTS);
        StreamingQuery query = input.stream()
                .writeStream()
                .foreachBatch(crashing)
                .option("checkpointLocation", checkpoint)
                .start();
        input.addBatch(batch(1, 2));
        Streams.processAll(query);
        input.addBatch(batch(3, 2));
        try {
            query.processAllAvailable();
        } catch (Exception expected) {
            // the crash
        }
        Walkthrough.say("  rows after the crash:   " + rows(spark, table));
        query = input.stream()
                .writeStream()
                .foreachBatch(crashing)
                .option("checkpointLocation", checkpoint)
                .start();
        Streams.processAll(query);
        Streams.stop(query);
        return rows(spark, table);
    }

    private static long rows(SparkSession spark, String table) {
        return spark.read().format("delta").load(table).count();
    }

    private static void show(SparkSession spark, String table, String label) {
        Dataset<Row> rows = spark.read().format("delta").load(table).orderBy("account_id");
        Walkthrough.say("  " + label + ":");
        System.out.print(RowText.table(rows.columns(), rows.collectAsList(), "    "));
    }
}
