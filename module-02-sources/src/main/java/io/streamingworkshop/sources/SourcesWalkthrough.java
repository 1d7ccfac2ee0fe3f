package io.streamingworkshop.sources;

import static io.streamingworkshop.sources.Sources.READINGS;
import static io.streamingworkshop.testkit.Walkthrough.printer;
import static io.streamingworkshop.testkit.Walkthrough.say;
import static io.streamingworkshop.testkit.Walkthrough.section;
import static io.streamingworkshop.testkit.Walkthrough.step;
import static org.apache.spark.sql.functions.col;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.Pacing;
import io.streamingworkshop.datagen.WriteSummary;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.Walkthrough;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * The module 2 walkthrough: each source live in the terminal. datagen writes files while a stream
 * reads them, fills a Kafka topic that a rate-limited stream drains, sends to the broker's SASL
 * listener, a Delta table changes under a change-data-feed stream, and a field the schema does not
 * know is kept in a rescued-data column. Run it with
 * {@code ./mvnw -q -pl module-02-sources verify -Pwalkthrough} (your exercises) or with
 * {@code -Pwalkthrough,solutions}.
 */
public final class SourcesWalkthrough {

    private final Sources lab = Implementations.load(Sources.class);
    private final SparkSession spark;
    private final WorkDir work = WorkDir.named("sources");

    private SourcesWalkthrough(SparkSession spark) {
        this.spark = spark;
    }

    public static void main(String[] args) {
        SparkSession spark = Walkthrough.start("Module 2 walkthrough: reading from streaming sources", Sources.class);
        SourcesWalkthrough walkthrough = new SourcesWalkthrough(spark);
        walkthrough.filesArrivingLive();
        walkthrough.kafkaBacklog();
        walkthrough.kafkaWithSasl();
        walkthrough.deltaChangeDataFeed();
        walkthrough.fieldsTheSchemaDoesNotKnow();
        System.exit(Walkthrough.finish());
    }

    private void filesArrivingLive() {
        section(
                "1. Files arriving live, 2 files per micro-batch (exercise 2.1)",
                "datagen writes a file of 10 readings every 0.4 s, 8 files in all; the stream takes at most 2",
                "files per micro-batch, so each micro-batch shows at most 20 rows.");
        step("2.1", () -> {
            Dataset<Row> readings = lab.readingFiles(spark, work.dir("live-iot").toString(), 2)
                    .select(col("event_id"), col("device_id"), col("temperature"), col("event_time"));
            StreamingQuery query = readings.writeStream()
                    .foreachBatch(printerOfCounts("files"))
                    .option("checkpointLocation", work.path("checkpoint-files"))
                    .start();
            CompletableFuture<WriteSummary> writing = CompletableFuture.supplyAsync(() -> Datagen.iot()
                    .events(80)
                    .seed(2)
                    .eventsPerFile(10)
                    .pacing(Pacing.filesPerSecond(2.5))
                    .toFiles(work.dir("live-iot")));
            writing.join();
            Streams.processAll(query);
            say("  numInputRows per micro-batch: " + inputRows(query));
        });
    }

    private void kafkaBacklog() {
        section(
                "2. A Kafka backlog drained 25 records at a time (exercise 2.4)",
                "datagen sends 100 readings to a one-partition topic before the query starts; the query starts",
                "at offset 10 and reads at most 25 records per micro-batch.");
        step("2.4", () -> {
            KafkaBroker kafka = KafkaBroker.shared();
            String topic =
                    "module02-walkthrough-" + UUID.randomUUID().toString().substring(0, 8);
            kafka.createTopic(topic, 1);
            Datagen.iot().events(100).seed(3).toKafka(kafka.clientProperties(), topic);
            Dataset<Row> backlog = lab.kafkaBacklog(spark, kafka.bootstrapServers(), topic, 10, 25);
            StreamingQuery query = backlog.writeStream()
                    .foreachBatch((Dataset<Row> batch, Long id) -> {
                        Row range = batch.selectExpr("min(offset)", "max(offset)", "count(*)")
                                .first();
                        say("  [kafka] micro-batch " + id + ": offsets " + range.get(0) + " to " + range.get(1) + ", "
                                + range.get(2) + " records");
                    })
                    .option("checkpointLocation", work.path("checkpoint-kafka"))
                    .start();
            Streams.processAll(query);
            say("  numInputRows per micro-batch: " + inputRows(query));
        });
    }

    private void kafkaWithSasl() {
        section(
                "3. Kafka behind SASL/PLAIN (exercise 2.5)",
                "The same broker has a listener that requires a login. With the right password the records",
                "arrive; with a wrong one the query stops with Kafka's own error.");
        step("2.5", () -> {
            KafkaBroker sasl = KafkaBroker.sasl();
            String topic = "module02-secured-" + UUID.randomUUID().toString().substring(0, 8);
            sasl.createTopic(topic, 1);
            Datagen.iot().events(4).seed(5).toKafka(sasl.clientProperties(), topic);
            KafkaLogin login = new KafkaLogin(sasl.bootstrapServers(), sasl.username(), sasl.password());
            say("  logging in as " + login);
            StreamingQuery query = lab.authenticatedRecords(spark, login, topic)
                    .writeStream()
                    .foreachBatch(printer("sasl"))
                    .start();
            Streams.processAll(query);
            Streams.stop(query);

            KafkaLogin wrong = new KafkaLogin(sasl.bootstrapServers(), sasl.username(), "not-the-password");
            say("  logging in as " + wrong + " (a wrong password)");
            StreamingQuery refused = lab.authenticatedRecords(spark, wrong, topic)
                    .writeStream()
                    .foreachBatch(printer("sasl"))
                    .start();
            try {
                refused.processAllAvailable();
                say("  the query read everything: the password was not checked?");
            } catch (Exception e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                say("  the query failed: " + root.getClass().getName() + ": " + root.getMessage());
            }
        });
    }

    private void deltaChangeDataFeed() {
        section(
                "4. A Delta table changing under a change-data-feed stream (exercise 2.8)",
                "An accounts table with change data feed on. The stream starts at version 1; then, while it",
                "runs, an UPDATE, a DELETE and an INSERT each make a commit that arrives as its own micro-batch.");
        step("2.8", () -> {
            String table = "delta.`" + work.path("accounts") + "`";
            spark.sql("CREATE TABLE " + table + " (id INT, owner STRING, balance DOUBLE) USING delta"
                    + " TBLPROPERTIES (delta.enableChangeDataFeed = true)");
            spark.sql("INSERT INTO " + table + " VALUES (1, 'ada', 10.0), (2, 'bob', 20.0)");
            StreamingQuery query = lab.changesToApply(spark, work.path("accounts"), 1)
                    .writeStream()
                    .foreachBatch(printer("changes"))
                    .option("checkpointLocation", work.path("checkpoint-cdf"))
                    .start();
            Streams.processAll(query);
            for (String change : new String[] {
                "UPDATE " + table + " SET balance = 25.0 WHERE id = 2",
                "DELETE FROM " + table + " WHERE id = 1",
                "INSERT INTO " + table + " VALUES (3, 'cyd', 30.0)"
            }) {
                say("  upstream: " + change.replace(table, "accounts"));
                spark.sql(change);
                Streams.processAll(query);
            }
        });
    }

    private void fieldsTheSchemaDoesNotKnow() {
        section(
                "5. A field the schema does not know (exercise 2.11)",
                "datagen writes 12 readings in 3 files; the last 6 carry battery_pct, which READINGS does not",
                "name. Read as text lines and parsed with READINGS, the field is kept in _rescued_data.");
        step("2.11", () -> {
            Datagen.iot().events(12).seed(7).eventsPerFile(4).schemaChange(0.5).toFiles(work.dir("evolving-iot"));
            Dataset<Row> lines =
                    spark.readStream().option("maxFilesPerTrigger", 2).text(work.path("evolving-iot"));
            StreamingQuery query = lab.withRescuedData(lines, READINGS)
                    .select(col("event_id"), col("temperature"), col("_rescued_data"))
                    .writeStream()
                    .foreachBatch(printer("rescued"))
                    .option("checkpointLocation", work.path("checkpoint-rescued"))
                    .start();
            Streams.processAll(query);
        });
    }

    /** Prints each micro-batch's row count and its range of event ids. */
    private static VoidFunction2<Dataset<Row>, Long> printerOfCounts(String label) {
        return (batch, batchId) -> {
            // One action only: every action on the batch reads the source again, and numInputRows counts each read.
            Row summary = batch.selectExpr("count(*)", "min(event_id)", "max(event_id)")
                    .first();
            say("  [" + label + "] micro-batch " + batchId + ": " + summary.get(0) + " rows, event ids "
                    + summary.get(1) + " to " + summary.get(2));
        };
    }

    private static String inputRows(StreamingQuery query) {
        return Arrays.stream(query.recentProgress())
                .filter(p -> p.numInputRows() > 0)
                .map(StreamingQueryProgress::numInputRows)
                .map(String::valueOf)
                .collect(Collectors.joining(", "));
    }
}
