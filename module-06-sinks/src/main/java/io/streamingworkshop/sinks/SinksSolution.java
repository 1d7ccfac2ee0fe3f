package io.streamingworkshop.sinks;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;

import io.delta.tables.DeltaTable;
import java.time.Duration;
import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;

/** The reference solutions of module 6. */
public class SinksSolution implements Sinks {

    @Override
    public StreamingQuery appendToDeltaPath(Dataset<Row> events, String tablePath, String checkpointDir)
            throws Exception {
        return events.writeStream()
                .format("delta")
                .outputMode(OutputMode.Append())
                .option("checkpointLocation", checkpointDir)
                .start(tablePath);
    }

    @Override
    public StreamingQuery appendToTable(Dataset<Row> events, String tableName, String checkpointDir) throws Exception {
        return events.writeStream()
                .format("delta")
                .outputMode(OutputMode.Append())
                .option("checkpointLocation", checkpointDir)
                .toTable(tableName);
    }

    @Override
    public DataStreamWriter<Row> totalsInCompleteMode(Dataset<Row> events, String tablePath, String checkpointDir) {
        return totals(events)
                .writeStream()
                .format("delta")
                .outputMode(OutputMode.Complete())
                .option("path", tablePath)
                .option("checkpointLocation", checkpointDir);
    }

    static Dataset<Row> totals(Dataset<Row> events) {
        return events.groupBy(col("account_id"))
                .agg(count(lit(1)).as("events"), sum(col("amount")).as("total_amount"));
    }

    @Override
    public StreamingQuery upsertTotals(Dataset<Row> events, String tablePath, String checkpointDir) throws Exception {
        // The Delta sink refuses update mode; foreachBatch receives the changed totals and MERGE
        // applies them by key, which is what "update mode into a table" means.
        VoidFunction2<Dataset<Row>, Long> mergeByAccount = (changedTotals, batchId) -> {
            DeltaTable.forPath(changedTotals.sparkSession(), tablePath)
                    .as("t")
                    .merge(changedTotals.as("c"), "t.account_id = c.account_id")
                    .whenMatched()
                    .updateAll()
                    .whenNotMatched()
                    .insertAll()
                    .execute();
        };
        return totals(events)
                .writeStream()
                .outputMode(OutputMode.Update())
                .foreachBatch(mergeByAccount)
                .option("checkpointLocation", checkpointDir)
                .start();
    }

    @Override
    public VoidFunction2<Dataset<Row>, Long> fanOutByType(
            String purchasesPath, String refundsPath, long alertAbove, LargeBatchAlert alert) {
        return (batch, batchId) -> {
            // Without persist every action below (count and two writes) reads the source again.
            batch.persist();
            try {
                long rows = batch.count();
                batch.filter(col("type").equalTo("purchase"))
                        .write()
                        .format("delta")
                        .mode("append")
                        .save(purchasesPath);
                batch.filter(col("type").equalTo("refund"))
                        .write()
                        .format("delta")
                        .mode("append")
                        .save(refundsPath);
                if (rows > alertAbove) {
                    alert.largeBatch(batchId, rows);
                }
            } finally {
                batch.unpersist();
            }
        };
    }

    @Override
    public VoidFunction2<Dataset<Row>, Long> idempotentAppend(String tablePath, String appId) {
        // Delta remembers the highest txnVersion committed per txnAppId and skips a write whose
        // version is not higher: the batch id is the version that repeats exactly when a batch does.
        return (batch, batchId) -> batch.write()
                .format("delta")
                .mode("append")
                .option("txnAppId", appId)
                .option("txnVersion", batchId)
                .save(tablePath);
    }

    @Override
    public StreamingQuery toKafka(
            Dataset<Row> events, Map<String, String> kafkaOptions, String topic, String checkpointDir)
            throws Exception {
        Dataset<Row> records = events.select(
                col("account_id").as("key"),
                to_json(struct(col("*"))).as("value"),
                array(struct(
                                lit("event_type").as("key"),
                                col("type").cast("binary").as("value")))
                        .as("headers"));
        return records.writeStream()
                .format("kafka")
                .options(kafkaOptions)
                .option("topic", topic)
                .option("checkpointLocation", checkpointDir)
                .start();
    }

    @Override
    public VoidFunction2<Dataset<Row>, Long> withRetry(
            VoidFunction2<Dataset<Row>, Long> write, int maxAttempts, Duration firstDelay, Sleeper sleeper) {
        return (batch, batchId) -> {
            // The delay lives inside the call: every micro-batch starts again at firstDelay.
            Duration delay = firstDelay;
            for (int attempt = 1; ; attempt++) {
                try {
                    write.call(batch, batchId);
                    return;
                } catch (Exception failure) {
                    if (attempt >= maxAttempts) {
                        // Thrown, not swallowed: the query fails and a restart replays this batch.
                        throw new IllegalStateException(
                                "batch " + batchId + " failed after " + attempt + " attempts: " + failure.getMessage(),
                                failure);
                    }
                    sleeper.sleep(delay);
                    delay = delay.multipliedBy(2);
                }
            }
        };
    }

    @Override
    public Dataset<Row> eventsOnce(Dataset<Row> records) {
        // A replayed record differs from the first in its offset and timestamp, never in its value;
        // the event id says which event it is (the key, account_id, is shared by many events).
        return records.select(from_json(col("value").cast("string"), EVENTS).as("event"))
                .select("event.*")
                .dropDuplicates("event_id");
    }
}
