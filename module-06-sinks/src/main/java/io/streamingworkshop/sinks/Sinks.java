package io.streamingworkshop.sinks;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Module 6, sinks: the exercises of this lab, one method each. {@link SinksExercise} is where you
 * write them; {@link SinksSolution} is the reference. The README (module-06-sinks/README.md)
 * explains each one; {@code SinksTest} checks them.
 *
 * <p>One input stream, {@link #EVENTS}: payments of accounts. {@code type} is {@code "purchase"} or
 * {@code "refund"} (or, rarely, something else or null); {@code amount} may be null.
 */
public interface Sinks {

    /** The schema of the events stream. */
    StructType EVENTS = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("account_id", DataTypes.StringType)
            .add("type", DataTypes.StringType)
            .add("amount", DataTypes.DoubleType)
            .add("event_time", DataTypes.TimestampType);

    /** The schema of the totals per account (exercises 6.3 and 6.4). */
    StructType TOTALS = new StructType()
            .add("account_id", DataTypes.StringType)
            .add("events", DataTypes.LongType, false)
            .add("total_amount", DataTypes.DoubleType);

    /** Someone to tell about a micro-batch larger than expected (the original's {@code send_alert}). */
    @FunctionalInterface
    interface LargeBatchAlert extends Serializable {
        void largeBatch(long batchId, long rows);
    }

    /** Waits between two attempts of exercise 6.8; the tests give one that records the delay instead. */
    @FunctionalInterface
    interface Sleeper extends Serializable {
        void sleep(Duration delay) throws InterruptedException;
    }

    /**
     * Exercise 6.1: starts a query that appends {@code events} (all columns, unchanged) to the Delta
     * table at {@code tablePath}, with its checkpoint in {@code checkpointDir}. Started again with
     * the same checkpoint, it continues where it stopped: no row twice, none lost.
     */
    StreamingQuery appendToDeltaPath(Dataset<Row> events, String tablePath, String checkpointDir) throws Exception;

    /**
     * Exercise 6.2: like 6.1, but into the table {@code tableName} of the session catalog (created
     * by the query if it does not exist, as a Delta table), with {@code toTable}.
     */
    StreamingQuery appendToTable(Dataset<Row> events, String tableName, String checkpointDir) throws Exception;

    /**
     * Exercise 6.3: a writer (not started) of the totals per account ({@link #TOTALS}: {@code
     * account_id}, {@code events} = count of events, {@code total_amount} = sum of {@code amount},
     * nulls ignored) into the Delta table at {@code tablePath} (set with {@code option("path", ...)}),
     * rewritten whole by every micro-batch, with its checkpoint in {@code checkpointDir}.
     */
    DataStreamWriter<Row> totalsInCompleteMode(Dataset<Row> events, String tablePath, String checkpointDir);

    /**
     * Exercise 6.4: starts a query that keeps the Delta table at {@code tablePath} (it exists, with
     * the {@link #TOTALS} schema) equal to the totals per account so far: in update mode, each
     * micro-batch's changed totals are merged into the table by {@code account_id} (update the
     * account's row if it is there, insert it if not). Checkpoint in {@code checkpointDir}.
     */
    StreamingQuery upsertTotals(Dataset<Row> events, String tablePath, String checkpointDir) throws Exception;

    /**
     * Exercise 6.5: the function for {@code foreachBatch} that appends each micro-batch's
     * {@code "purchase"} events to the Delta table at {@code purchasesPath} and its {@code "refund"}
     * events to {@code refundsPath} (other types go to neither), reading the micro-batch once
     * (persist it, unpersist it at the end), and calls {@code alert} with the batch id and row count
     * of every micro-batch with more than {@code alertAbove} rows.
     */
    VoidFunction2<Dataset<Row>, Long> fanOutByType(
            String purchasesPath, String refundsPath, long alertAbove, LargeBatchAlert alert);

    /**
     * Exercise 6.6: the function for {@code foreachBatch} that appends each micro-batch to the Delta
     * table at {@code tablePath} idempotently: a micro-batch that runs again (after a crash between
     * the write and the checkpoint's commit) must not add its rows twice. {@code appId} names the
     * query; two queries with different ids write to the same table independently.
     */
    VoidFunction2<Dataset<Row>, Long> idempotentAppend(String tablePath, String appId);

    /**
     * Exercise 6.7: starts a query that writes {@code events} to the Kafka topic {@code topic}:
     * key {@code account_id}, value the whole event as JSON ({@code to_json(struct(*))}), one header
     * {@code event_type} holding {@code type}. {@code kafkaOptions} are the broker options
     * ({@code kafka.bootstrap.servers}, ...) to pass on as they are; checkpoint in {@code checkpointDir}.
     */
    StreamingQuery toKafka(Dataset<Row> events, Map<String, String> kafkaOptions, String topic, String checkpointDir)
            throws Exception;

    /**
     * Exercise 6.8: the function for {@code foreachBatch} that calls {@code write} with the
     * micro-batch and its id and, when that throws, tries again: at most {@code maxAttempts} calls
     * per micro-batch in all, waiting with {@code sleeper} {@code firstDelay} before the second
     * attempt and twice the previous delay before each next one (no wait after the last attempt;
     * every micro-batch starts again at {@code firstDelay}). When the last attempt fails too, it
     * throws an exception whose message names the micro-batch ({@code "batch 7"}) and keeps the last
     * failure as its cause: the query fails, and a restart runs the batch again.
     */
    VoidFunction2<Dataset<Row>, Long> withRetry(
            VoidFunction2<Dataset<Row>, Long> write, int maxAttempts, Duration firstDelay, Sleeper sleeper);

    /**
     * Exercise 6.9: the events in {@code records}, a batch read of a Kafka topic (the columns of
     * {@code spark.read().format("kafka")}: {@code key}, {@code value}, {@code topic}, {@code
     * partition}, {@code offset}, ...) whose values are events as JSON, as exercise 6.7 writes them:
     * the columns of {@link #EVENTS}, one row per {@code event_id}. The Kafka sink is at-least-once:
     * a micro-batch replayed after a crash is in the topic twice, at other offsets.
     */
    Dataset<Row> eventsOnce(Dataset<Row> records);
}
