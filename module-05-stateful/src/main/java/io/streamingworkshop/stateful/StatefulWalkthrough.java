package io.streamingworkshop.stateful;

import static io.streamingworkshop.testkit.Walkthrough.say;
import static io.streamingworkshop.testkit.Walkthrough.section;
import static io.streamingworkshop.testkit.Walkthrough.step;
import static org.apache.spark.sql.functions.col;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.RecordType;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.Walkthrough;
import io.streamingworkshop.testkit.WorkDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The module 5 walkthrough: the state of a join and of deduplication, batch by batch, on datagen's
 * orders, shipments and transactions, in memory and in RocksDB. Run it with
 * {@code ./mvnw -q -pl module-05-stateful verify -Pwalkthrough} (your exercises) or with
 * {@code -Pwalkthrough,solutions}.
 */
public final class StatefulWalkthrough {

    private static final long SEED = 5;
    private static final String PROVIDER = "spark.sql.streaming.stateStore.providerClass";

    private final Stateful lab = Implementations.load(Stateful.class);
    private final SparkSession spark;
    private final WorkDir work = WorkDir.named("stateful");

    private StatefulWalkthrough(SparkSession spark) {
        this.spark = spark;
    }

    public static void main(String[] args) {
        SparkSession spark = Walkthrough.start("Module 5 walkthrough: stateful processing", Stateful.class);
        StatefulWalkthrough walkthrough = new StatefulWalkthrough(spark);
        walkthrough.joinState();
        walkthrough.deduplicationState();
        walkthrough.rocksDb();
        System.exit(Walkthrough.finish());
    }

    private Dataset<Row> stream(RecordType type, Path dir) {
        return spark.readStream()
                .schema(type.schema())
                .option("maxFilesPerTrigger", 1)
                .json(dir.toString());
    }

    private void joinState() {
        section(
                "1. Orders and shipments: the join's state grows and shrinks (exercises 5.4 and 5.7)",
                "datagen writes 400 orders over 2 hours (20% never ship) and their shipments, 40 per file; the query reads one file",
                "of each per micro-batch. Matches come out at once; unshipped orders only when the watermark has",
                "passed their hour. Under each batch: what came out, and the rows in the join's state.");
        step("5.4", () -> {
            Path dir = work.dir("shop");
            Datagen.orders()
                    .seed(SEED)
                    .events(400)
                    .rate(0.05)
                    .unshipped(0.2)
                    .maxShipDelay(Duration.ofMinutes(45))
                    .eventsPerFile(40)
                    .toFiles(dir);
            Dataset<Row> joined = lab.ordersWithShipments(
                    stream(RecordType.ORDER, dir.resolve("orders")),
                    stream(RecordType.SHIPMENT, dir.resolve("shipments")));
            StreamingQuery query = joined.writeStream()
                    .queryName("orders_with_shipments")
                    .trigger(Trigger.AvailableNow())
                    .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> {
                        long unshipped =
                                batch.where(col("shipment_id").isNull()).count();
                        say("  micro-batch " + id + ": " + (batch.count() - unshipped) + " matched, " + unshipped
                                + " unshipped (with nulls)");
                    })
                    .start();
            Streams.awaitTermination(query, Duration.ofMinutes(3));
            printStateSizes(query);
        });
    }

    private void printStateSizes(StreamingQuery query) {
        List<StateSize> sizes = lab.stateSizes(query);
        say("  state after each micro-batch (rows, KiB): "
                + sizes.stream()
                        .map(s -> "#" + s.batchId() + " " + s.rows() + "/" + s.memoryBytes() / 1024)
                        .collect(Collectors.joining(", ")));
    }

    private Path transactions() {
        Path dir = work.root().resolve("transactions");
        if (!dir.toFile().exists()) {
            Datagen.transactions()
                    .seed(SEED)
                    .events(1_000)
                    .rate(0.2)
                    .duplicates(0.05, Duration.ofSeconds(30))
                    .eventsPerFile(100)
                    .toFiles(work.dir("transactions"));
        }
        return dir;
    }

    private StreamingQuery drain(Dataset<Row> result, String name) throws TimeoutException {
        StreamingQuery query = result.writeStream()
                .queryName(name)
                .trigger(Trigger.AvailableNow())
                .format("noop")
                .start();
        Streams.awaitTermination(query, Duration.ofMinutes(3));
        return query;
    }

    private void deduplicationState() {
        section(
                "2. Deduplication with and without a watermark (exercises 5.6 and 5.7)",
                "1,000 transactions over 80 minutes with 5% duplicates, 100 per micro-batch. dropDuplicates(\"event_id\") with no",
                "watermark keeps every id; your withoutRepeats keeps only what the watermark has not passed.");
        step("5.7", () -> {
            StreamingQuery unbounded = drain(
                    stream(RecordType.TRANSACTION, transactions()).dropDuplicates("event_id"), "dedup_no_watermark");
            say("  without a watermark:");
            printStateSizes(unbounded);
            StreamingQuery bounded =
                    drain(lab.withoutRepeats(stream(RecordType.TRANSACTION, transactions())), "dedup_watermark");
            say("  with a 10-minute watermark (withoutRepeats):");
            printStateSizes(bounded);
        });
    }

    private void rocksDb() {
        section(
                "3. The same deduplication on RocksDB (exercise 5.8)",
                "The state store provider is a session setting read when a query starts for the first time.");
        step("5.8", () -> {
            spark.conf().set(PROVIDER, "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider");
            try {
                StreamingQuery query =
                        drain(lab.withoutRepeats(stream(RecordType.TRANSACTION, transactions())), "dedup_rocksdb");
                printStateSizes(query);
                Map<String, Long> metrics = lab.rocksDbMetrics(query);
                say("  RocksDB metrics after the last micro-batch:");
                metrics.forEach((name, value) -> say(String.format("    %-36s %,d", name, value)));
                say("  (memoryUsedBytes on RocksDB counts its off-heap memory, not the JVM heap)");
            } finally {
                spark.conf().unset(PROVIDER);
            }
        });
    }
}
