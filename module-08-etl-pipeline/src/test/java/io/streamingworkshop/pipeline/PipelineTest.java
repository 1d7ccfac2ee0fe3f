package io.streamingworkshop.pipeline;

import static io.streamingworkshop.testkit.Check.row;
import static io.streamingworkshop.testkit.Times.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.window;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.GeneratedRecord;
import io.streamingworkshop.testkit.BatchCollector;
import io.streamingworkshop.testkit.Check;
import io.streamingworkshop.testkit.Graded;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.Learner;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Graded tests of module 8. Each layer is checked on its own with small inputs fed micro-batch by
 * micro-batch; exercise 8.7 then runs the whole pipeline on a datagen clickstream and checks every
 * table against figures worked out from the generated records (ExpectedPipeline).
 */
@WorkshopTest
class PipelineTest {

    final Pipeline lab = Implementations.load(Pipeline.class);

    /** The columns of {@link Pipeline#parse}: bronze's, the click fields, reason. */
    static final StructType PARSED = parsedSchema();

    static StructType parsedSchema() {
        StructType schema = Pipeline.BRONZE;
        for (StructField field : Pipeline.SILVER.fields()) {
            if (!field.name().equals("user_segment")) {
                schema = schema.add(field);
            }
        }
        return schema.add("reason", DataTypes.StringType);
    }

    static final String[] CLICK_FIELDS = Arrays.stream(PARSED.fieldNames())
            .skip(Pipeline.BRONZE.size())
            .limit(PARSED.size() - Pipeline.BRONZE.size() - 1)
            .toArray(String[]::new);

    static List<Row> delta(SparkSession spark, String path) {
        return spark.read().format("delta").load(path).collectAsList();
    }

    static List<String> typedColumns(StructType schema) {
        return Arrays.stream(schema.fields())
                .map(field -> field.name() + ": " + field.dataType().simpleString())
                .collect(Collectors.toList());
    }

    static void requireSchema(Dataset<Row> result, StructType expected, String hint) {
        Check.equal(
                typedColumns(expected), typedColumns(result.schema()), "the columns, in order, and their types", hint);
    }

    /** A click as datagen writes it; {@code fields} replace or (value null) remove fields. */
    static String clickJson(String id, String user, String category, String type, String time, Object... fields) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        values.put("event_id", id);
        values.put("user_id", user);
        values.put("session_id", "sess-000001");
        values.put("page", "/" + category);
        values.put("page_category", category);
        values.put("event_type", type);
        values.put("time_on_page", 12.5);
        values.put("event_time", time);
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i + 1] == null) {
                values.remove((String) fields[i]);
            } else {
                values.put((String) fields[i], fields[i + 1]);
            }
        }
        return values.entrySet().stream()
                .map(entry -> "\"" + entry.getKey() + "\":"
                        + (entry.getValue() instanceof String text ? "\"" + text + "\"" : entry.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    static Row bronzeRow(String value, String file) {
        return RowFactory.create(value, file, null, null, null, ts("2024-05-01 12:00:00"));
    }

    /** A row of parse's output: bronze columns from {@code file}, then the click, then the reason. */
    static Row parsedRow(
            String id, String user, String category, String type, double timeOnPage, String time, String reason) {
        return RowFactory.create(
                "{\"event_id\":\"" + id + "\"}",
                "file:/in/part-1.json",
                null,
                null,
                null,
                ts("2024-05-01 12:00:00"),
                id,
                user,
                "sess-1",
                "/" + category,
                category,
                type,
                timeOnPage,
                time == null ? null : ts("2024-05-01 " + time),
                reason);
    }

    static Row click(String id, String user, String time) {
        return parsedRow(id, user, "product", "page_view", 10.0, time, null);
    }

    static Row silverRow(
            String id, String user, String category, String segment, String type, double timeOnPage, String time) {
        return RowFactory.create(
                id, user, "sess-1", "/" + category, category, type, timeOnPage, ts("2024-05-01 " + time), segment);
    }

    static Object[] gold(
            String start,
            String end,
            String category,
            String segment,
            long events,
            long pageViews,
            long users,
            double avg) {
        return row(
                ts("2024-05-01 " + start), ts("2024-05-01 " + end), category, segment, events, pageViews, users, avg);
    }

    /**
     * approx_count_distinct's documented bound: a relative standard deviation of 5% (its default
     * rsd), of which we allow three; and one user either way, since two of a handful of users can
     * share one of its 512 registers, whatever the rsd.
     */
    static boolean withinApproxBound(long approx, long exact) {
        return Math.abs(approx - exact) <= Math.max(1, Math.ceil(3 * 0.05 * exact));
    }

    static String uniqueTopic(String name) {
        return "module08-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- 8.1 -----------------------------------------------------------------------------------

    @Nested
    @DisplayName("Exercise 8.1: Bronze from files")
    class BronzeFromFiles {

        @Test
        @Graded(exercise = "8.1", points = 3)
        void keepsEveryLineOfEveryFileWithItsFileAndIngestTime(SparkSession spark, WorkDir work) throws IOException {
            Path dir = work.dir("clicks");
            String hint = "spark.readStream().text(inputDir): one row per line, unparsed; source_file from"
                    + " col(\"_metadata.file_path\"), the Kafka columns lit(null).cast(...), current_timestamp()";
            Dataset<Row> bronze = Learner.call(() -> lab.bronzeFromFiles(spark, dir.toString()), hint);
            requireSchema(bronze, Pipeline.BRONZE, hint);

            String good = clickJson("click-1", "user-0001", "home", "page_view", "2024-05-01T10:00:00.250Z");
            String broken = "{\"event_id\":\"click-2\",\"user_id\":\"us";
            String wrongType = clickJson(
                    "click-3", "user-0002", "cart", "click", "2024-05-01T10:00:01.000Z", "time_on_page", "12.5 s");
            writeLines(dir.resolve("part-00000.json"), good, broken, "", wrongType, good);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(bronze, hint);
            long before = System.currentTimeMillis();
            Streams.processAll(query, hint);
            List<Row> first = sink.takeNew();
            String lines = "every line as it is, once per line: the malformed ones, the empty one and the repeated one"
                    + " too (bronze parses nothing and drops nothing)";
            Check.rows(first, "value", "kafka_topic", "kafka_partition", "kafka_offset")
                    .describedAs("bronze after part-00000.json")
                    .hint(lines)
                    .containExactly(
                            row(good, null, null, null),
                            row(broken, null, null, null),
                            row("", null, null, null),
                            row(wrongType, null, null, null),
                            row(good, null, null, null));
            requireSourceFile(first, "part-00000.json");

            writeLines(dir.resolve("part-00001.json"), broken);
            Streams.processAll(query, hint);
            List<Row> second = sink.takeNew();
            Check.rows(second, "value")
                    .describedAs("bronze after part-00001.json arrived")
                    .hint("a new file's lines, and only them, in the next micro-batch")
                    .containExactly(row(broken));
            requireSourceFile(second, "part-00001.json");
            long after = System.currentTimeMillis();
            for (Row row : sink.all()) {
                Timestamp ingested = row.getAs("ingest_time");
                Check.that(
                        ingested != null
                                && ingested.getTime() >= before - 60_000
                                && ingested.getTime() <= after + 1_000,
                        "ingest_time is " + ingested + ", not when the line was read",
                        "ingest_time = current_timestamp(): the time of the micro-batch, not a time from the line");
            }
        }

        private void requireSourceFile(List<Row> rows, String fileName) {
            for (Row row : rows) {
                String file = row.getAs("source_file");
                Check.that(
                        file != null && file.endsWith("/" + fileName),
                        "source_file is " + file + " for a line of " + fileName,
                        "source_file = col(\"_metadata.file_path\") (or input_file_name()): the file the line came from");
            }
        }
    }

    static void writeLines(Path file, String... lines) throws IOException {
        // Written aside and renamed, so that the stream never sees half a file.
        Path hidden = file.resolveSibling("." + file.getFileName());
        Files.writeString(hidden, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.move(hidden, file);
    }

    // ---- 8.2 -----------------------------------------------------------------------------------

    @Nested
    @DisplayName("Exercise 8.2: Bronze from Kafka")
    class BronzeFromKafka {

        @Test
        @Graded(exercise = "8.2", points = 2)
        void keepsEveryRecordAsTextWithItsTopicPartitionAndOffset(SparkSession spark) {
            KafkaBroker kafka = KafkaBroker.shared();
            String topic = uniqueTopic("bronze");
            String hint = "select value.cast(\"string\"), topic, partition, offset, with source_file a typed null and"
                    + " current_timestamp() as ingest_time, under the BRONZE names";
            Dataset<Row> records = spark.readStream()
                    .format("kafka")
                    .options(kafka.sparkOptions())
                    .option("subscribe", topic)
                    .option("startingOffsets", "earliest")
                    .load();
            Dataset<Row> bronze = Learner.call(() -> lab.bronzeFromKafka(records), hint);
            requireSchema(bronze, Pipeline.BRONZE, hint);
            kafka.createTopic(topic, 2);

            String good = clickJson("click-1", "user-0001", "home", "page_view", "2024-05-01T10:00:00.250Z");
            String broken = "{\"event_id\":\"click-2\",\"user_id\":\"us";
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(bronze, hint);
            send(
                    kafka,
                    topic,
                    List.of(
                            new ProducerRecord<>(topic, 0, "user-0001", good),
                            new ProducerRecord<>(topic, 1, "user-0002", broken),
                            new ProducerRecord<>(topic, 0, "user-0001", good)));
            Streams.processAll(query, hint);
            String[] columns = {"value", "source_file", "kafka_topic", "kafka_partition", "kafka_offset"};
            Check.rows(sink.takeNew(), columns)
                    .describedAs("bronze after three records")
                    .hint("every record as text with its coordinates: a broken or repeated record too")
                    .containExactly(
                            row(good, null, topic, 0, 0L),
                            row(broken, null, topic, 1, 0L),
                            row(good, null, topic, 0, 1L));

            send(kafka, topic, List.of(new ProducerRecord<>(topic, 1, "user-0002", good)));
            Streams.processAll(query, hint);
            List<Row> second = sink.takeNew();
            Check.rows(second, columns)
                    .describedAs("bronze after one more record")
                    .hint("the next micro-batch holds the new record only")
                    .containExactly(row(good, null, topic, 1, 1L));
            Check.that(
                    second.get(0).getAs("ingest_time") != null,
                    "ingest_time is null",
                    "ingest_time = current_timestamp()");
        }

        private void send(KafkaBroker kafka, String topic, List<ProducerRecord<String, String>> records) {
            Properties properties = kafka.clientProperties();
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
                for (ProducerRecord<String, String> record : records) {
                    producer.send(record);
                }
                producer.flush();
            }
        }
    }

    // ---- 8.3 -----------------------------------------------------------------------------------

    @Nested
    @DisplayName("Exercise 8.3: Parse, with a reason for every bad line")
    class ParseWithAReason {

        @Test
        @Graded(exercise = "8.3", points = 4)
        void typesEveryGoodLineAndNamesWhatIsWrongWithEveryBadOne(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Pipeline.BRONZE);
            String hint = "from_json(value, schema, options) twice: all fields strings (fails only on text that is not"
                    + " a JSON object), then the real types (fails on a wrong type too); each schema with a"
                    + " _corrupt_record column and options mode=PERMISSIVE, columnNameOfCorruptRecord=_corrupt_record";
            Dataset<Row> parsed = Learner.call(() -> lab.parse(input.stream()), hint);
            requireSchema(parsed, PARSED, "the bronze columns, then the click fields of SILVER (typed), then reason");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(parsed, hint);

            String good = clickJson("click-1", "user-0001", "home", "page_view", "2024-05-01T10:00:00.250Z");
            String noUser = clickJson("click-2", null, "cart", "add_to_cart", "2024-05-01T10:00:01.000Z");
            String extraField = clickJson(
                    "click-3", "user-0003", "search", "click", "2024-05-01T10:00:02.000Z", "referrer", "google");
            String broken = "{\"event_id\":\"click-4\",\"user_id\":\"us";
            String wrongNumber = clickJson(
                    "click-5", "user-0005", "product", "click", "2024-05-01T10:00:03.000Z", "time_on_page", "12.5 s");
            String noType = clickJson(
                    "click-6", "user-0006", "home", "page_view", "2024-05-01T10:00:04.000Z", "event_type", null);
            input.addBatch(
                    bronzeRow(good, "file:/in/a.json"),
                    bronzeRow(noUser, "file:/in/a.json"),
                    bronzeRow(extraField, "file:/in/a.json"),
                    bronzeRow(broken, "file:/in/a.json"),
                    bronzeRow(wrongNumber, "file:/in/a.json"),
                    bronzeRow(noType, "file:/in/a.json"));
            Streams.processAll(query, hint);
            List<Row> first = sink.takeNew();
            Check.rows(first, "source_file", "event_id", "reason")
                    .describedAs("the reasons after batch 1")
                    .hint("reason null for a good line (a null user_id or an extra field is fine); '"
                            + Pipeline.REASON_NOT_JSON + "' for a cut-off line; '" + Pipeline.REASON_WRONG_TYPE
                            + "' for a string where time_on_page's number belongs; '" + Pipeline.REASON_MISSING_FIELD
                            + "' without event_type. Keep the bronze columns as they are.")
                    .containExactly(
                            row("file:/in/a.json", "click-1", null),
                            row("file:/in/a.json", "click-2", null),
                            row("file:/in/a.json", "click-3", null),
                            row("file:/in/a.json", null, Pipeline.REASON_NOT_JSON),
                            row("file:/in/a.json", "click-5", Pipeline.REASON_WRONG_TYPE),
                            row("file:/in/a.json", "click-6", Pipeline.REASON_MISSING_FIELD));
            Check.rows(first.stream().filter(r -> r.getAs("reason") == null).collect(Collectors.toList()), CLICK_FIELDS)
                    .describedAs("the good lines' fields")
                    .hint("parse with the click fields' real types: time_on_page a double, event_time a timestamp"
                            + " (milliseconds kept)")
                    .containExactly(
                            row(
                                    "click-1",
                                    "user-0001",
                                    "sess-000001",
                                    "/home",
                                    "home",
                                    "page_view",
                                    12.5,
                                    ts("2024-05-01 10:00:00.250")),
                            row(
                                    "click-2",
                                    null,
                                    "sess-000001",
                                    "/cart",
                                    "cart",
                                    "add_to_cart",
                                    12.5,
                                    ts("2024-05-01 10:00:01")),
                            row(
                                    "click-3",
                                    "user-0003",
                                    "sess-000001",
                                    "/search",
                                    "search",
                                    "click",
                                    12.5,
                                    ts("2024-05-01 10:00:02")));

            // Batch 2: no JSON at all, an empty line, a time that is no time, no event_id, a null event_time.
            String badTime = clickJson("click-7", "user-0007", "home", "page_view", "yesterday");
            String noId =
                    clickJson(null, "user-0008", "home", "page_view", "2024-05-01T10:00:05.000Z", "event_id", null);
            String nullTime = clickJson(
                            "click-9",
                            "user-0009",
                            "home",
                            "page_view",
                            "2024-05-01T10:00:06.000Z",
                            "event_time",
                            "null-literal")
                    .replace("\"null-literal\"", "null");
            input.addBatch(
                    bronzeRow("clicked the home page", "file:/in/b.json"),
                    bronzeRow("", "file:/in/b.json"),
                    bronzeRow(badTime, "file:/in/b.json"),
                    bronzeRow(noId, "file:/in/b.json"),
                    bronzeRow(nullTime, "file:/in/b.json"));
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew(), "value", "reason")
                    .describedAs("the reasons after batch 2")
                    .hint("text that is not a JSON object (an empty line too) is '" + Pipeline.REASON_NOT_JSON
                            + "'; an event_time that is not a time is '" + Pipeline.REASON_WRONG_TYPE
                            + "'; no event_id, or event_time null, is '" + Pipeline.REASON_MISSING_FIELD + "'")
                    .containExactly(
                            row("clicked the home page", Pipeline.REASON_NOT_JSON),
                            row("", Pipeline.REASON_NOT_JSON),
                            row(badTime, Pipeline.REASON_WRONG_TYPE),
                            row(noId, Pipeline.REASON_MISSING_FIELD),
                            row(nullTime, Pipeline.REASON_MISSING_FIELD));
        }
    }

    // ---- 8.4 -----------------------------------------------------------------------------------

    @Nested
    @DisplayName("Exercise 8.4: Quarantine")
    class Quarantine {

        @Test
        @Graded(exercise = "8.4", points = 2)
        void keepsEveryLineWithAReasonWithItsRawTextAndOrigin(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(PARSED);
            String hint = "filter(col(\"reason\").isNotNull()) and select the QUARANTINE columns in their order";
            Dataset<Row> quarantined = Learner.call(() -> lab.quarantine(input.stream()), hint);
            requireSchema(quarantined, Pipeline.QUARANTINE, hint);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(quarantined, hint);

            input.addBatch(
                    parsedRow("click-1", "user-1", "home", "page_view", 1.0, "10:00", null),
                    parsedRow("click-2", null, null, null, 1.0, null, Pipeline.REASON_NOT_JSON),
                    parsedRow("click-3", "user-3", "home", "click", 1.0, "10:01", Pipeline.REASON_WRONG_TYPE));
            Streams.processAll(query, hint);
            String all = "every reason goes to quarantine, each line once, with its raw value and where it came from";
            Check.rows(sink.takeNew(), "value", "source_file", "reason")
                    .describedAs("quarantine after batch 1")
                    .hint(all)
                    .containExactly(
                            row("{\"event_id\":\"click-2\"}", "file:/in/part-1.json", Pipeline.REASON_NOT_JSON),
                            row("{\"event_id\":\"click-3\"}", "file:/in/part-1.json", Pipeline.REASON_WRONG_TYPE));

            input.addBatch(
                    parsedRow("click-4", "user-4", "home", "page_view", 1.0, null, Pipeline.REASON_MISSING_FIELD),
                    parsedRow("click-3", "user-3", "home", "click", 1.0, "10:01", Pipeline.REASON_WRONG_TYPE),
                    parsedRow("click-5", null, "home", "page_view", 1.0, "10:02", null));
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew(), "value", "reason")
                    .describedAs("quarantine after batch 2")
                    .hint(all + " (a bad line sent twice is quarantined twice: only silver deduplicates)")
                    .containExactly(
                            row("{\"event_id\":\"click-4\"}", Pipeline.REASON_MISSING_FIELD),
                            row("{\"event_id\":\"click-3\"}", Pipeline.REASON_WRONG_TYPE));
        }
    }

    // ---- 8.5 -----------------------------------------------------------------------------------

    @Nested
    @DisplayName("Exercise 8.5: Silver: deduplicated and enriched")
    class SilverDeduplicatedAndEnriched {

        @Test
        @Graded(exercise = "8.5", points = 5)
        void keepsEachValidClickOnceWithItsUsersSegment(SparkSession spark, WorkDir work) {
            String usersTable = work.path("users");
            StructType usersSchema = new StructType()
                    .add("user_id", DataTypes.StringType)
                    .add("name", DataTypes.StringType)
                    .add("user_segment", DataTypes.StringType);
            spark.createDataFrame(
                            List.of(
                                    RowFactory.create("user-1", "Ada", "premium"),
                                    RowFactory.create("user-3", "Cy", "regular")),
                            usersSchema)
                    .write()
                    .format("delta")
                    .save(usersTable);
            Dataset<Row> users = spark.read().format("delta").load(usersTable);
            MemoryInput<Row> input = MemoryInput.ofRows(PARSED);
            String hint = "the rows without a reason; withWatermark(\"event_time\", WATERMARK_DELAY)"
                    + ".dropDuplicatesWithinWatermark(\"event_id\"); a left join with users on user_id;"
                    + " coalesce(user_segment, lit(UNKNOWN_SEGMENT))";
            Dataset<Row> silver = Learner.call(() -> lab.silver(input.stream(), users), hint);
            requireSchema(silver, Pipeline.SILVER, "the SILVER columns in their order: the click fields, user_segment");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(silver, hint);
            String[] columns = {"event_id", "user_id", "event_time", "user_segment"};

            // Batch 1: a duplicate within the batch, an unknown user, a click without user, a quarantined line.
            input.addBatch(
                    click("click-1", "user-1", "10:00:00.250"),
                    click("click-2", "user-2", "10:01"),
                    click("click-1", "user-1", "10:00:00.250"),
                    click("click-3", null, "10:02"),
                    parsedRow("click-4", "user-3", "home", "click", 1.0, "10:03", Pipeline.REASON_WRONG_TYPE),
                    click("click-5", "user-3", "10:20"));
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew(), columns)
                    .describedAs("silver after batch 1 (latest event 10:20: the watermark becomes 10:05)")
                    .hint("each event_id once; a user not in users (or no user at all) is kept with segment '"
                            + Pipeline.UNKNOWN_SEGMENT + "' (left join); a row with a reason is not silver")
                    .containExactly(
                            row("click-1", "user-1", ts("2024-05-01 10:00:00.250"), "premium"),
                            row("click-2", "user-2", ts("2024-05-01 10:01:00"), Pipeline.UNKNOWN_SEGMENT),
                            row("click-3", null, ts("2024-05-01 10:02:00"), Pipeline.UNKNOWN_SEGMENT),
                            row("click-5", "user-3", ts("2024-05-01 10:20:00"), "regular"));

            // user-2 joins the users table: the next micro-batch must see it.
            spark.createDataFrame(List.of(RowFactory.create("user-2", "Bo", "new")), usersSchema)
                    .write()
                    .format("delta")
                    .mode("append")
                    .save(usersTable);
            // Batch 2: copies of click-1 and click-2 (their ids are still remembered: 10:00 + 15 min is after
            // the watermark 10:05), a late click at 10:06 (after the watermark: kept), one at 10:04 (dropped).
            input.addBatch(
                    click("click-1", "user-1", "10:00:00.250"),
                    click("click-2", "user-2", "10:01"),
                    click("click-6", "user-2", "10:06"),
                    click("click-7", "user-3", "10:04"),
                    click("click-8", "user-2", "10:21"));
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew(), columns)
                    .describedAs("silver after batch 2 (watermark 10:05; user-2 added to users)")
                    .hint("a copy of an id seen within the watermark is dropped; a click later than the watermark"
                            + " (10:04 < 10:05) is dropped, one after it (10:06) is kept: the watermark is "
                            + Pipeline.WATERMARK_DELAY
                            + "; users is read again each micro-batch, so user-2 is 'new' now"
                            + " (join the table you were given, do not collect or cache it)")
                    .containExactly(
                            row("click-6", "user-2", ts("2024-05-01 10:06:00"), "new"),
                            row("click-8", "user-2", ts("2024-05-01 10:21:00"), "new"));
        }
    }

    // ---- 8.6 -----------------------------------------------------------------------------------

    @Nested
    @DisplayName("Exercise 8.6: Gold: windowed metrics")
    class GoldWindowedMetrics {

        @Test
        @Graded(exercise = "8.6", points = 5)
        void writesEachFiveMinuteWindowOnceWhenTheWatermarkHasPassedIt(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Pipeline.SILVER);
            String hint = "withWatermark(\"event_time\", WATERMARK_DELAY), groupBy(window(col(\"event_time\"),"
                    + " windowDuration), page_category, user_segment), then count(\"*\"), the count of page_view,"
                    + " approx_count_distinct(\"user_id\"), avg(\"time_on_page\"); window.start and window.end as columns";
            Dataset<Row> gold = Learner.call(() -> lab.gold(input.stream(), "5 minutes"), hint);
            requireSchema(gold, Pipeline.GOLD, hint);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(gold.writeStream().outputMode(OutputMode.Append()), hint);

            input.addBatch(
                    silverRow("c1", "u1", "product", "premium", "page_view", 10.0, "10:00"),
                    silverRow("c2", "u1", "product", "premium", "click", 20.0, "10:01:30"),
                    silverRow("c3", "u2", "product", "premium", "page_view", 30.5, "10:04:59.999"),
                    silverRow("c4", "u3", "product", "unknown", "add_to_cart", 4.0, "10:02"),
                    silverRow("c5", "u1", "cart", "premium", "page_view", 2.0, "10:05"));
            Streams.processAll(query, hint);
            String windows = "in append mode a window is written once, when the watermark (latest event time - "
                    + Pipeline.WATERMARK_DELAY + ") reaches its end, never before";
            Check.rows(sink.takeNew())
                    .describedAs("gold after batch 1 (latest 10:05, watermark 09:50)")
                    .hint(windows)
                    .isEmpty();

            input.addBatch(silverRow("c6", "u4", "home", "new", "page_view", 1.0, "10:20"));
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew())
                    .describedAs("gold after batch 2 (latest 10:20, watermark 10:05)")
                    .hint(windows + "; [10:00, 10:05) ends at the watermark, so it is final; 10:05:00 belongs to"
                            + " [10:05, 10:10); events counts every click, page_views only page_view, unique_users"
                            + " the distinct user_id")
                    .containExactly(
                            gold("10:00:00", "10:05:00", "product", "premium", 3, 2, 2, 20.1667),
                            gold("10:00:00", "10:05:00", "product", "unknown", 1, 0, 1, 4.0));

            // A click for the closed window [10:00, 10:05) comes too late; 10:34:59 moves the watermark to 10:19:59.
            input.addBatch(
                    silverRow("c7", "u5", "product", "premium", "page_view", 99.0, "10:03"),
                    silverRow("c8", "u1", "cart", "premium", "click", 4.0, "10:09:59"),
                    silverRow("c9", "u6", "home", "new", "click", 7.0, "10:34:59"));
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew())
                    .describedAs("gold after batch 3 (latest 10:34:59, watermark 10:19:59)")
                    .hint(windows + "; a click older than the watermark is not counted, and a written window is never"
                            + " written again")
                    .containExactly(gold("10:05:00", "10:10:00", "cart", "premium", 2, 1, 1, 3.0));
        }

        @Test
        @Graded(exercise = "8.6", points = 2)
        void usesTheWindowSizeItIsGiven(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Pipeline.SILVER);
            String hint = "window(col(\"event_time\"), windowDuration): the size comes from the parameter";
            Dataset<Row> gold = Learner.call(() -> lab.gold(input.stream(), "1 hour"), hint);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(gold.writeStream().outputMode(OutputMode.Append()), hint);
            input.addBatch(
                    silverRow("c1", "u1", "search", "regular", "page_view", 3.0, "10:00"),
                    silverRow("c2", "u2", "search", "regular", "page_view", 5.0, "10:59:59.999"),
                    silverRow("c3", "u1", "search", "regular", "page_view", 9.0, "11:00"));
            input.addBatch(silverRow("c4", "u1", "search", "regular", "click", 9.0, "11:15"));
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew())
                    .describedAs("gold with 1-hour windows after events up to 11:15 (watermark 11:00)")
                    .hint(hint)
                    .containExactly(gold("10:00:00", "11:00:00", "search", "regular", 2, 2, 2, 4.0));
        }

        @Test
        @Graded(exercise = "8.6", points = 1)
        void runsInAppendModeWhereTheOriginalsCountDistinctIsRefused(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Pipeline.SILVER);
            Dataset<Row> gold = Learner.call(() -> lab.gold(input.stream(), "5 minutes"), null);
            Check.equal(
                    java.util.Optional.empty(),
                    Streams.refusalOf(gold.writeStream()
                            .outputMode(OutputMode.Append())
                            .format("memory")
                            .queryName("gold_append")),
                    "Spark's refusal to run your gold in append mode",
                    "a streaming aggregation runs in append mode only with a watermark on its event time, and"
                            + " countDistinct is refused on a stream: use approx_count_distinct");
            // The original's gold layer, as written: countDistinct in a streaming aggregation.
            Dataset<Row> original = input.stream()
                    .withWatermark("event_time", Pipeline.WATERMARK_DELAY)
                    .groupBy(window(col("event_time"), "5 minutes"), col("page_category"), col("user_segment"))
                    .agg(countDistinct("user_id").as("unique_users"));
            String refusal = Streams.refusalOf(original.writeStream()
                            .outputMode(OutputMode.Append())
                            .format("memory")
                            .queryName("original"))
                    .orElse("(no refusal)");
            String expected = "Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using"
                    + " approx_count_distinct() instead.";
            Check.that(
                    refusal.contains(expected),
                    "Spark did not refuse countDistinct as the README says.\n  expected \"" + expected
                            + "\"\n  got      \"" + refusal + "\"",
                    "this part checks Spark itself: if it fails, Spark's message changed and the README must follow");
        }

        @Test
        @Graded(exercise = "8.6", points = 2)
        void countsUniqueUsersWithinApproxCountDistinctsBoundOnAClickstream(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Pipeline.SILVER);
            String hint = "approx_count_distinct(\"user_id\") with its default relative standard deviation (0.05)";
            Dataset<Row> gold = Learner.call(() -> lab.gold(input.stream(), "1 hour"), hint);
            List<GeneratedRecord> records = Datagen.clickstream()
                    .events(3_000)
                    .seed(86)
                    .rate(0.5)
                    .userCount(1_000)
                    .records();
            ExpectedPipeline expected = new ExpectedPipeline(records, List.of(), Duration.ofMinutes(15));
            List<Row> rows = new ArrayList<>();
            expected.silverById
                    .values()
                    .forEach(c -> rows.add(RowFactory.create(
                            c.eventId(),
                            c.userId(),
                            "s",
                            "/",
                            c.category(),
                            c.type(),
                            c.timeOnPage(),
                            Timestamp.from(c.eventTime()),
                            Pipeline.UNKNOWN_SEGMENT)));
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(gold.writeStream().outputMode(OutputMode.Append()), hint);
            input.addBatch(rows);
            Streams.processAll(query, hint);
            var want = expected.gold(Duration.ofHours(1));
            Check.that(!want.isEmpty(), "no window closed: the test's input is wrong", "");
            Map<String, Row> got = new TreeMap<>();
            for (Row row : sink.all()) {
                got.put(row.getAs("window_start").toString() + " " + row.getAs("page_category"), row);
            }
            Check.equal(want.size(), got.size(), "gold rows of the closed 1-hour windows", hint);
            double worst = 0;
            for (var entry : want.entrySet()) {
                Row row = got.get(Timestamp.from(entry.getKey().windowStart()) + " "
                        + entry.getKey().category());
                Check.that(row != null, "no gold row for " + entry.getKey(), hint);
                long exact = entry.getValue().distinctUsers();
                long approx = row.getAs("unique_users");
                double error = Math.abs(approx - exact) / (double) exact;
                worst = Math.max(worst, error);
                Check.that(
                        withinApproxBound(approx, exact),
                        "unique_users of " + entry.getKey() + " is " + approx + ", exactly " + exact + " users",
                        hint);
            }
            System.out.printf("approx_count_distinct: %d groups, worst relative error %.4f%n", want.size(), worst);
        }
    }

    // ---- 8.7 -----------------------------------------------------------------------------------

    @Nested
    @DisplayName("Exercise 8.7: The pipeline, end to end")
    class ThePipelineEndToEnd {

        @Test
        @Graded(exercise = "8.7", points = 6)
        void turnsDatagensClickstreamIntoExactlyTheExpectedTablesAcrossARestart(SparkSession spark, WorkDir work)
                throws Exception {
            Learner.failFastIfNotDone(() -> lab.start(
                    spark,
                    PipelineConfig.under(
                            work.dir("probe"),
                            new PipelineConfig.Files(work.dir("probe-input")),
                            work.dir("probe-users"))));
            // 4,000 clicks of 200 users, one every 2 s of event time (2 h 13 min: two 1-hour windows close),
            // 5% late by 10 minutes, 3% sent twice within 30 s, 2% malformed; the users table knows 180 users.
            Datagen clicks = Datagen.clickstream()
                    .events(4_000)
                    .seed(8)
                    .rate(0.5)
                    .userCount(200)
                    .late(0.05, Duration.ofMinutes(10))
                    .duplicates(0.03, Duration.ofSeconds(30))
                    .malformed(0.02)
                    .eventsPerFile(250);
            Path generated = work.dir("generated");
            clicks.toFiles(generated);
            List<GeneratedRecord> records = clicks.records();
            Datagen users = Datagen.users().userCount(180);
            Path usersTable = work.root().resolve("users");
            users.toDelta(spark, usersTable.toString());
            ExpectedPipeline expected = new ExpectedPipeline(records, users.records(), Duration.ofMinutes(15));

            Path input = work.dir("input");
            List<Path> files = dataFiles(generated);
            PipelineConfig config =
                    PipelineConfig.under(work.dir("pipeline"), new PipelineConfig.Files(input), usersTable);
            String hint = "start bronze, silver, quarantine and one gold query per GOLD_WINDOWS, each into its Delta"
                    + " table config.table(name) with checkpoint config.checkpoint(name) and queryName(name)";

            // The first half of the files, then a stop and a restart from the same checkpoints, then the rest.
            moveInto(input, files.subList(0, files.size() / 2));
            RunningPipeline first = Learner.call(() -> lab.start(spark, config), hint);
            requireQueries(first, config);
            first.processAllAvailable();
            first.stop();
            moveInto(input, files.subList(files.size() / 2, files.size()));
            RunningPipeline second = Learner.call(() -> lab.start(spark, config), hint);
            second.processAllAvailable();
            second.stop();

            checkTables(spark, config, records, expected);
        }

        private void requireQueries(RunningPipeline pipeline, PipelineConfig config) {
            Check.equal(
                    PipelineConfig.names(),
                    List.copyOf(pipeline.queries().keySet()),
                    "the pipeline's queries",
                    "one query per table, named after it: " + PipelineConfig.names());
            pipeline.queries()
                    .forEach((name, query) -> Check.equal(
                            name,
                            query.name(),
                            "the name of the query writing table " + name,
                            "queryName(name): the dashboard and the tests find a query by its table's name"));
        }

        private void checkTables(
                SparkSession spark, PipelineConfig config, List<GeneratedRecord> records, ExpectedPipeline expected) {
            String restart = " (the pipeline was stopped and restarted from its checkpoints half way: a table with"
                    + " too many rows lost its checkpoint, one with too few did not read on)";
            long bronze =
                    spark.read().format("delta").load(config.table("bronze")).count();
            Check.equal(
                    (long) records.size(),
                    bronze,
                    "rows in bronze, one per line sent",
                    "bronze keeps every line once" + restart);

            Map<String, Long> reasons = new TreeMap<>();
            for (Row row : delta(spark, config.table("quarantine"))) {
                reasons.merge(row.getAs("reason"), 1L, Long::sum);
            }
            Check.equal(
                    expected.quarantinedByReason,
                    reasons,
                    "quarantine rows per reason",
                    "datagen cut off half of its malformed lines (not JSON) and gave the other half a string for"
                            + " time_on_page (wrong type): each goes to quarantine once, with its reason" + restart);

            List<Row> silver = delta(spark, config.table("silver"));
            Map<String, Long> copies = silver.stream()
                    .collect(Collectors.groupingBy(row -> (String) row.getAs("event_id"), Collectors.counting()));
            Check.equal(
                    (long) expected.silverById.size(),
                    (long) silver.size(),
                    "rows in silver",
                    "each valid click once: " + expected.duplicateCopies + " copies to drop, no late click lost"
                            + " (the watermark is 15 minutes and the late ones are 10 minutes late)" + restart);
            List<String> twice = copies.entrySet().stream()
                    .filter(entry -> entry.getValue() > 1)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .limit(3)
                    .toList();
            Check.that(
                    twice.isEmpty(),
                    "silver holds " + twice + " more than once",
                    "dropDuplicatesWithinWatermark(\"event_id\") after the watermark" + restart);
            Check.that(
                    copies.keySet().equals(expected.silverById.keySet()),
                    "silver's event ids are not those of the valid clicks",
                    "every click that parses, none that does not");
            long unknown = silver.stream()
                    .filter(row -> Pipeline.UNKNOWN_SEGMENT.equals(row.getAs("user_segment")))
                    .count();
            Check.equal(
                    expected.unknownUserClicks(),
                    unknown,
                    "silver clicks of users the users table does not know",
                    "a left join keeps them, in segment '" + Pipeline.UNKNOWN_SEGMENT + "'");

            double worstUniqueUsersError = 0;
            Map<String, Integer> goldRows = new TreeMap<>();
            for (String window : Pipeline.GOLD_WINDOWS) {
                String name = PipelineConfig.goldName(window);
                Duration size = name.endsWith("h") ? Duration.ofHours(1) : Duration.ofMinutes(5);
                Map<ExpectedPipeline.GoldKey, ExpectedPipeline.GoldFigures> want = expected.gold(size);
                List<Row> got = delta(spark, config.table(name));
                goldRows.put(name, got.size());
                Map<ExpectedPipeline.GoldKey, Row> byKey = new java.util.HashMap<>();
                for (Row row : got) {
                    ExpectedPipeline.GoldKey key = new ExpectedPipeline.GoldKey(
                            ((Timestamp) row.getAs("window_start")).toInstant(),
                            ((Timestamp) row.getAs("window_end")).toInstant(),
                            row.getAs("page_category"),
                            row.getAs("user_segment"));
                    Check.that(
                            byKey.put(key, row) == null,
                            name + " holds " + key + " twice",
                            "append mode with a watermark writes each window once" + restart);
                    Check.that(
                            want.containsKey(key),
                            name + " holds " + key + ", which the input does not imply"
                                    + " (or whose window the final watermark " + expected.finalWatermark
                                    + " has not closed)",
                            "windows of " + window + " per page_category and user_segment, written once closed");
                }
                for (var entry : want.entrySet()) {
                    Row row = byKey.get(entry.getKey());
                    Check.that(
                            row != null,
                            name + " misses " + entry.getKey(),
                            "every closed window is written" + restart);
                    ExpectedPipeline.GoldFigures figures = entry.getValue();
                    String what = name + " " + entry.getKey();
                    Check.equal(
                            figures.events(),
                            row.<Long>getAs("events"),
                            "events of " + what,
                            "count(\"*\") of the deduplicated clicks" + restart);
                    Check.equal(
                            figures.pageViews(),
                            row.<Long>getAs("page_views"),
                            "page_views of " + what,
                            "the clicks of type page_view");
                    double avg = row.getAs("avg_time_on_page");
                    Check.that(
                            Math.abs(avg - figures.avgTimeOnPage()) < 1e-9,
                            "avg_time_on_page of " + what + " is " + avg + ", expected " + figures.avgTimeOnPage(),
                            "avg(\"time_on_page\") over the deduplicated clicks");
                    long approx = row.getAs("unique_users");
                    worstUniqueUsersError = Math.max(worstUniqueUsersError, Math.abs(approx - figures.distinctUsers()));
                    Check.that(
                            withinApproxBound(approx, figures.distinctUsers()),
                            "unique_users of " + what + " is " + approx + ", exactly " + figures.distinctUsers(),
                            "approx_count_distinct(\"user_id\")");
                }
            }
            System.out.printf(
                    "Pipeline end to end: %d records (%d events), quarantined %s, %d duplicate copies removed, %d silver"
                            + " rows (%d of unknown users), gold rows %s, final watermark %s, worst unique_users error"
                            + " %.0f user(s)%n",
                    records.size(),
                    expected.silverById.size() + expected.quarantined(),
                    expected.quarantinedByReason,
                    expected.duplicateCopies,
                    silver.size(),
                    unknown,
                    goldRows,
                    expected.finalWatermark,
                    worstUniqueUsersError);
        }
    }

    static List<Path> dataFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")
                            && !file.getFileName().toString().startsWith("_"))
                    .sorted()
                    .toList();
        }
    }

    static void moveInto(Path dir, List<Path> files) throws IOException {
        for (Path file : files) {
            Files.move(file, dir.resolve(file.getFileName()));
        }
    }
}
