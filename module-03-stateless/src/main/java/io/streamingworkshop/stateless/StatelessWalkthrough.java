package io.streamingworkshop.stateless;

import static io.streamingworkshop.testkit.Walkthrough.say;
import static io.streamingworkshop.testkit.Walkthrough.section;
import static io.streamingworkshop.testkit.Walkthrough.step;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.substring;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.Manifest;
import io.streamingworkshop.datagen.Pacing;
import io.streamingworkshop.datagen.WriteSummary;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.RowText;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.Walkthrough;
import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import scala.collection.JavaConverters;

/**
 * The module 3 walkthrough: IoT readings arriving through a real Kafka broker, some of them
 * malformed, parsed, filtered, classified, exploded and sorted into valid and quarantined, live
 * in the terminal. Run it with {@code ./mvnw -q -pl module-03-stateless verify -Pwalkthrough} (your
 * exercises) or with {@code -Pwalkthrough,solutions} (the reference). Steps whose exercise you
 * have not done yet are skipped with a note.
 */
public final class StatelessWalkthrough {

    /** Rows printed per micro-batch: enough to see the shape, few enough to read. */
    private static final int SHOWN_ROWS = 4;

    private final Stateless lab = Implementations.load(Stateless.class);
    private final SparkSession spark;
    private final KafkaBroker kafka;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    private StatelessWalkthrough(SparkSession spark, KafkaBroker kafka) {
        this.spark = spark;
        this.kafka = kafka;
    }

    public static void main(String[] args) {
        SparkSession spark = Walkthrough.start("Module 3 walkthrough: stateless transformations", Stateless.class);
        StatelessWalkthrough walkthrough = new StatelessWalkthrough(spark, KafkaBroker.shared());
        walkthrough.kafkaGivesBytes();
        walkthrough.filterAndDerive();
        walkthrough.udfAgainstBuiltIns();
        walkthrough.typedApi();
        walkthrough.explode();
        walkthrough.quarantine();
        walkthrough.pipeline();
        System.exit(Walkthrough.finish());
    }

    private void kafkaGivesBytes() {
        section(
                "1. Kafka gives bytes; from_json gives columns (exercise 3.1)",
                "Spark's Kafka source has the same columns for every topic: the message is in value, as bytes.",
                "Parsing it with an explicit schema turns one binary column into typed, nested columns.");
        String topic = topic("parse");
        Manifest sent = send(topic, Datagen.iot().events(60).seed(3).malformed(0.1))
                .join()
                .manifest();
        Dataset<Row> records = kafkaStream(topic);
        say("Columns of the Kafka source: "
                + Arrays.stream(records.schema().fields())
                        .map(f -> f.name() + " " + f.dataType().simpleString())
                        .collect(Collectors.joining(", ")));
        List<Row> firstValues = spark.read()
                .format("kafka")
                .options(kafka.sparkOptions())
                .option("subscribe", topic)
                .load()
                .selectExpr("CAST(value AS STRING)")
                .limit(2)
                .collectAsList();
        say("Two values, cast to text:");
        firstValues.forEach(value -> say("    " + shorten(value.getString(0), 110)));
        step("3.1", () -> {
            Dataset<Row> readings = lab.parseReadings(records);
            say("Your parsed schema:");
            readings.schema().treeString().lines().forEach(line -> say("    " + line));
            StreamingQuery query = readings.select("event_id", "device_id", "temperature", "location", "tags")
                    .writeStream()
                    .foreachBatch(preview("parsed"))
                    .start();
            Streams.processAll(query);
            Streams.stop(query);
            say("Of the " + sent.records() + " records, " + sent.malformed() + " are malformed. Parsed as they are,"
                    + " they do not fail: a cut-off record becomes a row of nulls, a wrong type a null temperature.");
            StreamingQuery nulls = readings.where(col("temperature").isNull())
                    .select("event_id", "device_id", "temperature", "location", "tags")
                    .writeStream()
                    .foreachBatch(preview("parsed rows without a temperature"))
                    .start();
            Streams.processAll(nulls);
            Streams.stop(nulls);
            say("Section 6 sets them aside instead, with the reason.");
        });
    }

    private void filterAndDerive() {
        section(
                "2. Filter, select, derive (exercise 3.2)",
                "The original's chain: keep temperature > 75, add temp_fahrenheit = temperature * 9 / 5 + 32.",
                "The readings arrive paced, so several micro-batches run while they come in.");
        String topic = topic("hot");
        CompletableFuture<WriteSummary> feed =
                send(topic, Datagen.iot().events(150).seed(5).pacing(Pacing.eventsPerSecond(100)));
        step("3.2", () -> {
            Dataset<Row> hot = lab.hotReadings(parsed(kafkaStream(topic)));
            LongAdder kept = new LongAdder();
            StreamingQuery query = hot.select("event_id", "device_id", "site", "temperature", "temp_fahrenheit")
                    .writeStream()
                    .foreachBatch(previewAndCount("hot", kept))
                    .start();
            feed.join();
            Streams.processAll(query);
            say("  " + inputRows(query) + " readings read in " + query.recentProgress().length + " micro-batches, "
                    + kept.sum() + " of them hotter than 75.");
            Streams.stop(query);
        });
        feed.join();
    }

    private void udfAgainstBuiltIns() {
        section(
                "3. A Java UDF against built-in functions (exercises 3.3 and 3.4)",
                "Both add severity: Critical above 100, Warning above 80, else Normal; null without a temperature.",
                "Look at what the optimizer sees in each plan: a call it cannot look into, or an expression it can.");
        Dataset<Row> readings = parsed(kafkaStream(topic("parse")));
        step("3.3", () -> say("  UDF:       " + severityExpression(lab.withSeverityUdf(readings))));
        step("3.4", () -> {
            say("  built-ins: " + severityExpression(lab.withSeverity(readings)));
            Dataset<Row> both = lab.withSeverity(lab.withSeverityUdf(readings).withColumnRenamed("severity", "by_udf"))
                    .withColumnRenamed("severity", "by_built_ins");
            StreamingQuery query =
                    both.writeStream().foreachBatch(compareSeverities()).start();
            Streams.processAll(query);
            Streams.stop(query);
        });
    }

    /** Inside foreachBatch each micro-batch is a plain batch Dataset: count it any way you like. */
    private static VoidFunction2<Dataset<Row>, Long> compareSeverities() {
        return (batch, batchId) -> {
            long rows = batch.count();
            long agree =
                    batch.where(col("by_udf").eqNullSafe(col("by_built_ins"))).count();
            Map<String, Long> bySeverity = new TreeMap<>();
            for (Row row : batch.groupBy("by_built_ins").count().collectAsList()) {
                bySeverity.put(row.isNullAt(0) ? "null" : row.getString(0), row.getLong(1));
            }
            System.out.println("  micro-batch " + batchId + ": " + rows + " readings, the two severities agree on "
                    + agree + "; " + bySeverity);
        };
    }

    /** A record cannot be a JavaBean: it has no setters and no no-argument constructor. */
    record ReadingAsRecord(String deviceId, double temperature) {}

    private void typedApi() {
        section(
                "4. The typed API: beans, filter, map and flatMap (exercises 3.5 and 3.6)",
                "Rows become SensorReading objects (Encoders.bean); your Java lambdas run on them.",
                "Encoders.bean(SensorReading.class).schema(): "
                        + SensorReading.encoder().schema().simpleString(),
                "Encoders.bean(a Java record).schema():      "
                        + Encoders.bean(ReadingAsRecord.class).schema().simpleString()
                        + "  (nothing: a record is not a bean)");
        Dataset<SensorReading> beans = SensorReading.fromReadings(parsed(kafkaStream(topic("parse"))));
        step("3.5", () -> {
            StreamingQuery query = lab.hotReadingsTyped(beans)
                    .toDF()
                    .writeStream()
                    .foreachBatch(preview("HotReading"))
                    .start();
            Streams.processAll(query);
            Streams.stop(query);
        });
        step("3.6", () -> {
            StreamingQuery query = lab.tagsOf(beans)
                    .toDF()
                    .writeStream()
                    .foreachBatch(preview("ReadingTag"))
                    .start();
            Streams.processAll(query);
            Streams.stop(query);
        });
    }

    private void explode() {
        section(
                "5. Explode an array, read a struct and a map (exercise 3.7)",
                "One report per device, with an array of sensor readings: one row per reading, each carrying",
                "the report's keys. The last report has no readings and still gives a row.");
        step("3.7", () -> {
            MemoryInput<Row> reports = MemoryInput.ofRows(Stateless.DEVICE_REPORTS);
            StreamingQuery query = lab.sensorReadingsOf(reports.stream())
                    .writeStream()
                    .foreachBatch(Walkthrough.printer("sensor readings"))
                    .start();
            Map<String, String> labels = new HashMap<>(Map.of("firmware", "2.1.0"));
            reports.addBatch(
                    report(
                            "r-1",
                            "device-001",
                            "plant-berlin",
                            labels,
                            List.of(sensor("device-001-s1", 21.4), sensor("device-001-s2", 22.0))),
                    report("r-2", "device-002", "lab-oslo", labels, List.of(sensor("device-002-s1", 88.1))),
                    report("r-3", "device-003", "plant-pune", new HashMap<>(), List.of()));
            Streams.processAll(query);
            Streams.stop(query);
        });
    }

    private void quarantine() {
        section(
                "6. Bad records kept aside (exercise 3.8)",
                "15% of these readings are malformed: half cut off, half with \"temperature\":\"21.5 C\".",
                "Two queries read the topic: valid readings go one way, the rest to a quarantine with a reason.");
        String topic = topic("quarantine");
        CompletableFuture<WriteSummary> feed =
                send(topic, Datagen.iot().events(200).seed(7).malformed(0.15).pacing(Pacing.eventsPerSecond(120)));
        step("3.8", () -> {
            RoutedRecords routed = lab.parseWithQuarantine(kafkaStream(topic));
            LongAdder valid = new LongAdder();
            LongAdder quarantined = new LongAdder();
            StreamingQuery validQuery =
                    routed.valid().writeStream().foreachBatch(count(valid)).start();
            StreamingQuery quarantineQuery = routed.quarantine()
                    .select(col("reason"), substring(col("raw"), 1, 70).as("raw (first 70 characters)"))
                    .writeStream()
                    .foreachBatch(previewAndCount("quarantine", quarantined))
                    .start();
            Manifest sent = feed.join().manifest();
            Streams.processAll(validQuery);
            Streams.processAll(quarantineQuery);
            say("  sent " + sent.records() + " (" + sent.brokenJson() + " broken JSON, " + sent.wrongType()
                    + " wrong type): " + valid.sum() + " valid + " + quarantined.sum() + " quarantined = "
                    + (valid.sum() + quarantined.sum())
                    + (valid.sum() + quarantined.sum() == sent.records()
                            ? ", nothing lost."
                            : ", which does not add up: records were lost or counted twice."));
            say("  Both queries are still running: " + validQuery.isActive() + ", " + quarantineQuery.isActive() + ".");
            Streams.stop(validQuery);
            Streams.stop(quarantineQuery);
        });
        feed.join();
    }

    private void pipeline() {
        section(
                "7. One stateless pipeline (exercise 3.9)",
                "Parse, keep the valid readings, filter, derive, classify and explode, in one query. Each micro-batch",
                "is computed from its own records alone: the query's progress shows no state operator.");
        String topic = topic("pipeline");
        CompletableFuture<WriteSummary> feed =
                send(topic, Datagen.iot().events(200).seed(11).malformed(0.05).pacing(Pacing.eventsPerSecond(120)));
        step("3.9", () -> {
            LongAdder alerts = new LongAdder();
            StreamingQuery query = lab.alertPipeline(kafkaStream(topic))
                    .select("event_id", "device_id", "temperature", "severity", "tag")
                    .writeStream()
                    .foreachBatch(previewAndCount("alerts", alerts))
                    .start();
            feed.join();
            Streams.processAll(query);
            long stateOperators = Arrays.stream(query.recentProgress())
                    .mapToLong(p -> p.stateOperators().length)
                    .sum();
            say("  " + query.recentProgress().length + " micro-batches, " + inputRows(query) + " records in, "
                    + alerts.sum() + " alert rows out. State operators in the query's progress: " + stateOperators
                    + (stateOperators == 0 ? " (nothing is kept between micro-batches)." : "."));
            Streams.stop(query);
        });
        feed.join();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private String topic(String name) {
        // Unique per run: a broker named by KAFKA_BOOTSTRAP_SERVERS keeps earlier runs' topics.
        return "module03-walkthrough-" + name + "-" + runId;
    }

    /** Writes the records to the topic in the background; the returned future ends when all are sent. */
    private CompletableFuture<WriteSummary> send(String topic, Datagen data) {
        kafka.createTopic(topic, 2);
        return CompletableFuture.supplyAsync(() -> data.toKafka(kafka.clientProperties(), topic));
    }

    private Dataset<Row> kafkaStream(String topic) {
        return spark.readStream()
                .format("kafka")
                .options(kafka.sparkOptions())
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .load();
    }

    /** The walkthrough's own parse, so that the later steps need only their own exercise. */
    private static Dataset<Row> parsed(Dataset<Row> kafkaRecords) {
        return kafkaRecords
                .select(from_json(col("value").cast("string"), Stateless.READINGS)
                        .as("reading"))
                .select("reading.*");
    }

    /** The expression of the severity column in the plan, e.g. {@code CASE WHEN (temperature > 100) ...}. */
    private static String severityExpression(Dataset<Row> classified) {
        String plan = classified.queryExecution().analyzed().toString().replaceAll("#\\d+", "");
        for (String line : plan.split("\n")) {
            int end = line.indexOf(" AS severity");
            if (end < 0) {
                continue;
            }
            int depth = 0;
            int start = end;
            while (start > 0) {
                char c = line.charAt(start - 1);
                if (c == ')') {
                    depth++;
                } else if (c == '(') {
                    depth--;
                } else if ((c == '[' || c == ',') && depth == 0) {
                    break;
                }
                start--;
            }
            return line.substring(start, end).trim();
        }
        return "(no severity column in the plan)";
    }

    private static VoidFunction2<Dataset<Row>, Long> preview(String label) {
        return previewAndCount(label, new LongAdder());
    }

    private static VoidFunction2<Dataset<Row>, Long> count(LongAdder total) {
        return (batch, batchId) -> total.add(batch.count());
    }

    /** Prints each micro-batch's size and its first rows, and adds the size to {@code total}. */
    private static VoidFunction2<Dataset<Row>, Long> previewAndCount(String label, LongAdder total) {
        return (batch, batchId) -> {
            List<Row> rows = batch.collectAsList();
            total.add(rows.size());
            System.out.println("  [" + label + "] micro-batch " + batchId + ": " + rows.size()
                    + (rows.size() == 1 ? " row" : " rows")
                    + (rows.size() > SHOWN_ROWS ? ", the first " + SHOWN_ROWS + ":" : ""));
            if (!rows.isEmpty()) {
                System.out.print(
                        RowText.table(batch.columns(), rows.subList(0, Math.min(SHOWN_ROWS, rows.size())), "    "));
            }
        };
    }

    private static long inputRows(StreamingQuery query) {
        return Arrays.stream(query.recentProgress())
                .mapToLong(p -> p.numInputRows())
                .sum();
    }

    private static String shorten(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length) + "...";
    }

    private static Row report(
            String reportId, String deviceId, String site, Map<String, String> labels, List<Row> readings) {
        return RowFactory.create(
                reportId,
                deviceId,
                RowFactory.create(site, 0.0, 0.0),
                JavaConverters.mapAsScalaMap(labels),
                JavaConverters.asScalaBuffer(readings).toSeq());
    }

    private static Row sensor(String sensorId, double temperature) {
        return RowFactory.create(sensorId, temperature);
    }
}
