package io.streamingworkshop.sinks;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;

import java.time.Duration;
import java.util.Map;

import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;

import io.delta.tables.DeltaTable;
import io.streamingworkshop.testkit.Todo;

/**
 * Your work for module 6. Each method is one exercise of module-06-sinks/README.md; replace its
 * {@code throw Todo.exercise(...)} with your code, then run {@code ./mvnw test -pl module-06-sinks}.
 */
public class SinksExercise implements Sinks {

    @Override
    public StreamingQuery appendToDeltaPath(Dataset<Row> events, String tablePath, String checkpointDir) throws Exception {
        // TODO 6.1: writeStream in Delta format, append mode, the checkpoint location, started on tablePath.
        throw Todo.exercise("6.1", "Append to a Delta table");
    }

    @Override
    public StreamingQuery appendToTable(Dataset<Row> events, String tableName, String checkpointDir) throws Exception {
        // TODO 6.2: as 6.1, ending with toTable(tableName) instead of start(path).
        throw Todo.exercise("6.2", "Append to a catalog table");
    }

    @Override
    public DataStreamWriter<Row> totalsInCompleteMode(Dataset<Row> events, String tablePath, String checkpointDir) {
        // TODO 6.3: totals(events) into Delta in complete mode; the path as option("path", ...). Do not start it.
        throw Todo.exercise("6.3", "Complete mode rewrites the table");
    }

    /** The totals per account of 6.3 and 6.4, given: the lesson is where they go. */
    static Dataset<Row> totals(Dataset<Row> events) {
        return events.groupBy(col("account_id"))
                .agg(count(lit(1)).as("events"), sum(col("amount")).as("total_amount"));
    }

    @Override
    public StreamingQuery upsertTotals(Dataset<Row> events, String tablePath, String checkpointDir) throws Exception {
        // TODO 6.4: totals(events) in update mode into foreachBatch; in it, MERGE the batch into
        //           DeltaTable.forPath(...) on account_id: update all when matched, insert all when not.
        throw Todo.exercise("6.4", "Update mode as a MERGE");
    }

    @Override
    public VoidFunction2<Dataset<Row>, Long> fanOutByType(String purchasesPath, String refundsPath, long alertAbove,
            LargeBatchAlert alert) {
        // TODO 6.5: return (batch, batchId) -> { persist; count; append purchases and refunds to their
        //           tables; alert when count > alertAbove; unpersist (in a finally block) }.
        throw Todo.exercise("6.5", "Fan out with foreachBatch");
    }

    @Override
    public VoidFunction2<Dataset<Row>, Long> idempotentAppend(String tablePath, String appId) {
        // TODO 6.6: return (batch, batchId) -> a Delta append with the options txnAppId and txnVersion.
        throw Todo.exercise("6.6", "Idempotent writes");
    }

    @Override
    public StreamingQuery toKafka(Dataset<Row> events, Map<String, String> kafkaOptions, String topic,
            String checkpointDir) throws Exception {
        // TODO 6.7: select key, value (to_json(struct(col("*")))) and headers (an array of struct(key, value
        //           as binary)), then writeStream in Kafka format with the options, the topic and the checkpoint.
        throw Todo.exercise("6.7", "Write to Kafka");
    }

    @Override
    public VoidFunction2<Dataset<Row>, Long> withRetry(VoidFunction2<Dataset<Row>, Long> write, int maxAttempts,
            Duration firstDelay, Sleeper sleeper) {
        // TODO 6.8: return (batch, batchId) -> { a loop of at most maxAttempts write.call(batch, batchId);
        //           on a failure sleeper.sleep(delay) and double the delay; after the last failure throw an
        //           exception that names "batch " + batchId, with the failure as its cause }.
        throw Todo.exercise("6.8", "Retry with backoff");
    }

    @Override
    public Dataset<Row> eventsOnce(Dataset<Row> records) {
        // TODO 6.9: parse value (cast to string) with from_json and Sinks.EVENTS, keep the event's columns,
        //           and keep one row per event_id.
        throw Todo.exercise("6.9", "Remove Kafka's duplicates");
    }
}
