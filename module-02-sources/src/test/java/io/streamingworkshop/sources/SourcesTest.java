package io.streamingworkshop.sources;

import static io.streamingworkshop.testkit.Check.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.GeneratedRecord;
import io.streamingworkshop.datagen.RecordType;
import io.streamingworkshop.testkit.BatchCollector;
import io.streamingworkshop.testkit.Check;
import io.streamingworkshop.testkit.Failures;
import io.streamingworkshop.testkit.Graded;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.Learner;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Graded tests of module 2. Each source is real: datagen's JSON files with modification times set
 * one minute apart (so the order Spark picks files in is known), the test kit's Kafka broker (its
 * SASL/PLAIN listener for 2.5), and Delta tables on disk. Expected rows come from the input itself:
 * the files' lines, a plain Kafka consumer, the values the test wrote to Delta.
 */
@WorkshopTest
class SourcesTest {

    final Sources lab = Implementations.load(Sources.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- files ---------------------------------------------------------------------------------

    /** datagen's IoT files part-00000.json, ... with modification times one minute apart, oldest first. */
    static List<Path> readingFiles(Path dir, int events, int eventsPerFile, long seed) {
        Datagen.iot().events(events).eventsPerFile(eventsPerFile).seed(seed).toFiles(dir);
        List<Path> files = dataFiles(dir);
        Instant oldest = Instant.now().minus(Duration.ofHours(1));
        for (int i = 0; i < files.size(); i++) {
            setModified(files.get(i), oldest.plus(Duration.ofMinutes(i)));
        }
        return files;
    }

    static void setModified(Path file, Instant when) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(when));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data files of a directory (not datagen's _manifest.json and _flaws.jsonl), sorted by name. */
    static List<Path> dataFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("part-"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the data files anywhere under a directory (the archive keeps the original path). */
    static Set<String> dataFileNamesUnder(Path dir) {
        if (!Files.exists(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("part-"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** (event_id, device_id, temperature) of every line of the files, read with a plain JSON parser. */
    static List<Object[]> readingsIn(Path... files) {
        List<Object[]> rows = new ArrayList<>();
        for (Path file : files) {
            try {
                for (String line : Files.readAllLines(file)) {
                    rows.add(reading(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    static Object[] reading(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return row(
                    node.get("event_id").asText(),
                    node.get("device_id").asText(),
                    node.get("temperature").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> fields(StructType schema) {
        return Arrays.stream(schema.fields())
                .map(f -> f.name() + ": " + f.dataType().simpleString())
                .collect(Collectors.toList());
    }

    static String names(List<Path> files) {
        return files.stream().map(f -> f.getFileName().toString()).collect(Collectors.joining(", "));
    }

    @Nested
    @DisplayName("Exercise 2.1: Files with an explicit schema and a rate limit")
    class FilesWithAnExplicitSchemaAndARateLimit {

        @Test
        @Graded(exercise = "2.1", points = 3)
        void readsTenFilesThreeAtATimeOldestFirst(SparkSession spark, WorkDir work) {
            Learner.failFastIfNotDone(() -> lab.readingFiles(spark, work.path("probe"), 3));
            // 48 readings, 5 per file: 10 files, the last one with 3 readings.
            List<Path> files = readingFiles(work.dir("iot"), 48, 5, 21);
            Dataset<Row> readings = Learner.call(() -> lab.readingFiles(spark, work.path("iot"), 3), null);
            Check.equal(
                    fields(Sources.READINGS),
                    fields(readings.schema()),
                    "the columns and their types",
                    "give the reader the schema: spark.readStream().schema(READINGS); a file stream without one is refused"
                            + " (or, with schema inference switched on, guessed once from the files there at the start)");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(readings, null);
            Streams.processAll(query);

            String hint =
                    "option(\"maxFilesPerTrigger\", maxFilesPerTrigger) caps the files per micro-batch; Spark takes"
                            + " the oldest files (by modification time) first";
            int[][] expectedFiles = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9}};
            Check.equal(
                    expectedFiles.length,
                    sink.batchCount(),
                    "the number of micro-batches for 10 files, 3 at a time",
                    hint);
            for (int batch = 0; batch < expectedFiles.length; batch++) {
                List<Path> inBatch =
                        Arrays.stream(expectedFiles[batch]).mapToObj(files::get).collect(Collectors.toList());
                Check.rows(sink.batch(batch), "event_id", "device_id", "temperature")
                        .describedAs("micro-batch " + batch + " (files " + names(inBatch) + ")")
                        .hint(hint)
                        .containExactly(readingsIn(inBatch.toArray(Path[]::new)));
            }
        }

        @Test
        @Graded(exercise = "2.1", points = 1)
        void usesTheOpenSourceFileSourceBecauseAutoLoaderIsNotThere(SparkSession spark, WorkDir work) {
            Learner.failFastIfNotDone(() -> lab.readingFiles(spark, work.path("probe"), 1));
            readingFiles(work.dir("iot"), 10, 5, 22);
            Dataset<Row> readings = Learner.call(() -> lab.readingFiles(spark, work.path("iot"), 1), null);
            String plan = readings.queryExecution().logical().toString();
            Check.that(
                    readings.isStreaming() && plan.contains("FileSource[" + work.path("iot") + "]"),
                    "the Dataset does not stream the files of the directory it was given:\n  "
                            + Failures.firstLine(plan),
                    "spark.readStream().schema(READINGS).json(directory) (or format(\"json\").load(directory))");

            String expected = "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: cloudFiles.";
            String refusal;
            try {
                spark.readStream()
                        .format("cloudFiles")
                        .option("cloudFiles.format", "json")
                        .schema(Sources.READINGS)
                        .load(work.path("iot"));
                refusal = null;
            } catch (Exception e) {
                refusal = e.getMessage();
            }
            Check.that(
                    refusal != null && refusal.startsWith(expected),
                    "Auto Loader (format \"cloudFiles\") should not exist in open-source Spark.\n  expected \""
                            + expected + "\"\n  but got: "
                            + (refusal == null ? "a stream" : Failures.firstLine(refusal)),
                    "Auto Loader is Databricks-only: the file source with an explicit schema is what replaces it");
        }
    }

    /** A foreachBatch sink that notes, while each batch runs, which data files are still in the input directory. */
    static final class FilesWitness implements VoidFunction2<Dataset<Row>, Long> {
        private static final long serialVersionUID = 1L;
        static final Map<String, Map<Long, Set<String>>> SEEN = new ConcurrentHashMap<>();
        private final String id = UUID.randomUUID().toString();
        private final String inputDir;
        private final BatchCollector rows;

        FilesWitness(Path inputDir, BatchCollector rows) {
            this.inputDir = inputDir.toString();
            this.rows = rows;
            SEEN.put(id, new ConcurrentSkipListMap<>());
        }

        @Override
        public void call(Dataset<Row> batch, Long batchId) {
            SEEN.get(id).put(batchId, dataFileNamesUnder(Path.of(inputDir)));
            rows.call(batch, batchId);
        }

        Set<String> inputFilesDuring(long batchId) {
            return SEEN.get(id).getOrDefault(batchId, Set.of());
        }
    }

    /** Waits (up to 10 s) until the set of names is the one expected: Spark archives files in a background thread. */
    static Set<String> awaitNames(Supplier<Set<String>> names, Set<String> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Set<String> now = names.get();
        while (!now.equals(expected) && System.nanoTime() < deadline) {
            pause();
            now = names.get();
        }
        return now;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Nested
    @DisplayName("Exercise 2.2: Archive processed files, newest first")
    class ArchiveProcessedFilesNewestFirst {

        @Test
        @Graded(exercise = "2.2", points = 3)
        void readsNewestFirstAndArchivesEachFileAfterItsBatchCommitted(SparkSession spark, WorkDir work)
                throws IOException {
            Learner.failFastIfNotDone(
                    () -> lab.archivedNewestFirst(spark, work.path("probe"), work.path("probe-archive")));
            // Five files in a staging directory; four of them are there when the stream starts.
            List<Path> staged = readingFiles(work.dir("staging"), 25, 5, 23);
            Path input = work.dir("input");
            Path archive = work.root().resolve("archive");
            List<Path> files = new ArrayList<>();
            // What each file holds, read now: once archived, a file is no longer where it was.
            List<List<Object[]>> contents = new ArrayList<>();
            for (Path file : staged) {
                contents.add(readingsIn(file));
            }
            for (Path file : staged.subList(0, 4)) {
                Path moved = Files.move(file, input.resolve(file.getFileName()));
                files.add(moved);
            }
            Dataset<Row> readings =
                    Learner.call(() -> lab.archivedNewestFirst(spark, input.toString(), archive.toString()), null);
            BatchCollector sink = BatchCollector.create();
            FilesWitness witness = new FilesWitness(input, sink);
            StreamingQuery query = Learner.start(
                    () -> readings.writeStream()
                            .foreachBatch(witness)
                            .option("checkpointLocation", work.path("checkpoint"))
                            .start(),
                    null);
            Streams.processAll(query);

            String orderHint =
                    "option(\"latestFirst\", true) with option(\"maxFilesPerTrigger\", 1): one file per micro-batch,"
                            + " the newest (by modification time) first";
            Check.equal(4, sink.batchCount(), "the number of micro-batches for 4 files, one at a time", orderHint);
            for (int batch = 0; batch < 4; batch++) {
                Path file = files.get(3 - batch);
                Check.rows(sink.batch(batch), "event_id", "device_id", "temperature")
                        .describedAs("micro-batch " + batch + " (file " + file.getFileName() + ")")
                        .hint(orderHint)
                        .containExactly(contents.get(3 - batch));
                Check.that(
                        witness.inputFilesDuring(batch)
                                .contains(file.getFileName().toString()),
                        "while micro-batch " + batch + " ran, its file " + file.getFileName()
                                + " had already left the input directory",
                        "cleanSource must archive a file only after the batch that read it committed");
            }

            String archiveHint =
                    "option(\"cleanSource\", \"archive\") with option(\"sourceArchiveDir\", archiveDirectory):"
                            + " Spark moves a batch's files once that batch committed and the next batch is planned";
            Set<String> firstThree = Set.of("part-00001.json", "part-00002.json", "part-00003.json");
            Check.equal(
                    firstThree,
                    awaitNames(() -> dataFileNamesUnder(archive), firstThree),
                    "the files archived after 4 micro-batches",
                    archiveHint);
            Check.equal(
                    Set.of("part-00000.json"),
                    dataFileNamesUnder(input),
                    "the files still in the input directory after 4 micro-batches",
                    "the file of the last micro-batch stays until a next batch is planned: Spark cleans a batch's files"
                            + " only when it writes the offsets of the next one");

            sink.takeNew();
            // A fifth file arrives: its micro-batch lets Spark archive the file of the one before.
            Files.move(staged.get(4), input.resolve(staged.get(4).getFileName()));
            Streams.processAll(query);
            Check.rows(sink.takeNew(), "event_id", "device_id", "temperature")
                    .describedAs("micro-batch 4 (the fifth file)")
                    .hint(orderHint)
                    .containExactly(contents.get(4));
            Set<String> firstFour = Set.of("part-00000.json", "part-00001.json", "part-00002.json", "part-00003.json");
            Check.equal(
                    firstFour,
                    awaitNames(() -> dataFileNamesUnder(archive), firstFour),
                    "the files archived after the fifth file's micro-batch",
                    archiveHint);
        }
    }

    // ---- Kafka ---------------------------------------------------------------------------------

    static String uniqueTopic(String name) {
        // Unique, so that a broker named by KAFKA_BOOTSTRAP_SERVERS never serves an earlier run's records.
        return "module02-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every record of a topic, read back with a plain consumer: the expected metadata comes from Kafka itself. */
    static List<ConsumerRecord<String, String>> recordsOf(KafkaBroker kafka, String topic, int expected) {
        Properties props = kafka.clientProperties();
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        Check.equal(expected, records.size(), "records read back from " + topic + " (test set-up)", null);
        return records;
    }

    static final String[] KAFKA_COLUMNS = {
        "key", "topic", "partition", "offset", "timestamp", "event_id", "device_id", "temperature"
    };

    static List<Object[]> expectedReadings(List<ConsumerRecord<String, String>> records) {
        List<Object[]> rows = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            Object[] reading = reading(record.value());
            rows.add(row(
                    record.key(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    new Timestamp(record.timestamp()),
                    reading[0],
                    reading[1],
                    reading[2]));
        }
        return rows;
    }

    @Nested
    @DisplayName("Exercise 2.3: Read a Kafka topic")
    class ReadAKafkaTopic {

        @Test
        @Graded(exercise = "2.3", points = 3)
        void readsEveryRecordWithItsMetadataAndParsedValue(SparkSession spark) {
            Learner.failFastIfNotDone(() -> lab.kafkaReadings(spark, "localhost:9", "probe"));
            KafkaBroker kafka = KafkaBroker.shared();
            String topic = uniqueTopic("readings");
            kafka.createTopic(topic, 2);
            Datagen.iot().events(30).seed(24).toKafka(kafka.clientProperties(), topic);

            Dataset<Row> readings = Learner.call(() -> lab.kafkaReadings(spark, kafka.bootstrapServers(), topic), null);
            List<String> columns = new ArrayList<>(List.of("key", "topic", "partition", "offset", "timestamp"));
            columns.addAll(List.of(Sources.READINGS.fieldNames()));
            Check.columnsInOrder(
                    readings,
                    "key, topic, partition, offset, timestamp, then \"reading.*\" of the parsed value",
                    columns.toArray(String[]::new));
            Check.equal(
                    "string",
                    readings.schema().apply("key").dataType().simpleString(),
                    "the type of key",
                    "Kafka keys are bytes: col(\"key\").cast(\"string\")");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(readings, null);
            Streams.processAll(query);
            Check.rows(sink.takeNew(), KAFKA_COLUMNS)
                    .describedAs("the records the topic held when the stream started")
                    .hint(
                            "option(\"startingOffsets\", \"earliest\"): a new query starts at the latest offsets by default and"
                                    + " never sees what the topic already held; parse col(\"value\").cast(\"string\") with from_json")
                    .containExactly(expectedReadings(recordsOf(kafka, topic, 30)));

            Datagen.iot().events(6).seed(25).toKafka(kafka.clientProperties(), topic);
            Streams.processAll(query);
            List<ConsumerRecord<String, String>> all = recordsOf(kafka, topic, 36);
            Check.rows(sink.all(), KAFKA_COLUMNS)
                    .describedAs("every record, once, after 6 more arrived")
                    .hint("the stream goes on from where it stopped: 36 records in all")
                    .containExactly(expectedReadings(all));
        }
    }

    @Nested
    @DisplayName("Exercise 2.4: Drain a backlog at a bounded rate")
    class DrainABacklogAtABoundedRate {

        @Test
        @Graded(exercise = "2.4", points = 3)
        void startsAtTheGivenOffsetAndReadsAtMostTwentyRecordsPerBatch(SparkSession spark) {
            Learner.failFastIfNotDone(() -> lab.kafkaBacklog(spark, "localhost:9", "probe", 25, 20));
            KafkaBroker kafka = KafkaBroker.shared();
            String topic = uniqueTopic("backlog");
            kafka.createTopic(topic, 1);
            Datagen.iot().events(100).seed(26).toKafka(kafka.clientProperties(), topic);

            Dataset<Row> backlog =
                    Learner.call(() -> lab.kafkaBacklog(spark, kafka.bootstrapServers(), topic, 25, 20), null);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(backlog, null);
            Streams.processAll(query);

            String hint = "startingOffsets as JSON, {\"" + topic + "\":{\"0\":25}}, starts partition 0 at offset 25;"
                    + " option(\"maxOffsetsPerTrigger\", maxRecordsPerBatch) caps each micro-batch";
            long[][] expectedRanges = {{25, 44}, {45, 64}, {65, 84}, {85, 99}};
            Check.equal(
                    expectedRanges.length,
                    sink.batchCount(),
                    "the number of micro-batches for offsets 25 to 99, 20 at a time",
                    hint);
            for (int batch = 0; batch < expectedRanges.length; batch++) {
                List<Object[]> offsets = new ArrayList<>();
                for (long offset = expectedRanges[batch][0]; offset <= expectedRanges[batch][1]; offset++) {
                    offsets.add(row(0, offset));
                }
                Check.rows(sink.batch(batch), "partition", "offset")
                        .describedAs("micro-batch " + batch + " (offsets " + expectedRanges[batch][0] + " to "
                                + expectedRanges[batch][1] + ")")
                        .hint(hint)
                        .containExactly(offsets);
            }
            List<Long> inputRows = Streams.batchesWithInput(query).stream()
                    .map(StreamingQueryProgress::numInputRows)
                    .collect(Collectors.toList());
            Check.equal(
                    List.of(20L, 20L, 20L, 15L), inputRows, "numInputRows of the progress of each micro-batch", hint);
        }
    }

    @Nested
    @DisplayName("Exercise 2.5: Kafka with SASL authentication")
    class KafkaWithSaslAuthentication {

        private KafkaBroker saslTopicWithRecords(String topic, int events) {
            KafkaBroker sasl = KafkaBroker.sasl();
            sasl.createTopic(topic, 1);
            Datagen.iot().events(events).seed(27).toKafka(sasl.clientProperties(), topic);
            return sasl;
        }

        @Test
        @Graded(exercise = "2.5", points = 3)
        void readsEveryRecordWhenLoggedIn(SparkSession spark) {
            Learner.failFastIfNotDone(
                    () -> lab.authenticatedRecords(spark, new KafkaLogin("localhost:9", "probe", "probe"), "probe"));
            String topic = uniqueTopic("secured");
            KafkaBroker sasl = saslTopicWithRecords(topic, 12);
            KafkaLogin login = new KafkaLogin(sasl.bootstrapServers(), sasl.username(), sasl.password());
            Dataset<Row> records = Learner.call(() -> lab.authenticatedRecords(spark, login, topic), null);
            Check.columnsInOrder(records, "select key and value, each cast to a string", "key", "value");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(records, null);
            Streams.processAll(
                    query,
                    "kafka.security.protocol SASL_PLAINTEXT, kafka.sasl.mechanism PLAIN and"
                            + " kafka.sasl.jaas.config with the login's user and password");
            List<Object[]> expected = recordsOf(sasl, topic, 12).stream()
                    .map(r -> row(r.key(), r.value()))
                    .collect(Collectors.toList());
            Check.rows(sink.all())
                    .describedAs("the records of the secured topic")
                    .hint("from the first record (startingOffsets earliest), key and value as strings")
                    .containExactly(expected);
        }

        @Test
        @Graded(exercise = "2.5", points = 2)
        void failsWithKafkasAuthenticationErrorOnAWrongPassword(SparkSession spark) {
            Learner.failFastIfNotDone(
                    () -> lab.authenticatedRecords(spark, new KafkaLogin("localhost:9", "probe", "probe"), "probe"));
            String topic = uniqueTopic("locked");
            KafkaBroker sasl = saslTopicWithRecords(topic, 3);
            KafkaLogin wrong = new KafkaLogin(sasl.bootstrapServers(), sasl.username(), sasl.password() + "-wrong");
            Dataset<Row> records = Learner.call(() -> lab.authenticatedRecords(spark, wrong, topic), null);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(records, null);
            String failure = failureOf(query);
            String expected = "SaslAuthenticationException: Authentication failed: Invalid username or password";
            Check.that(
                    failure != null && failure.contains(expected),
                    "a wrong password should stop the query with Kafka's own error.\n  expected \"" + expected
                            + "\"\n  but got: "
                            + (failure == null
                                    ? "the query read " + sink.all().size() + " records"
                                    : Failures.firstLine(failure)),
                    "take user and password from the KafkaLogin you are given, never from a string in your code");
        }
    }

    /** Runs the query until it has read everything or failed; the failure's whole cause chain, or null. */
    static String failureOf(StreamingQuery query) {
        try {
            query.processAllAvailable();
        } catch (Exception e) {
            StringBuilder text = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                text.append(t.getClass().getSimpleName())
                        .append(": ")
                        .append(t.getMessage())
                        .append('\n');
            }
            return text.toString();
        }
        return null;
    }

    // ---- Delta ---------------------------------------------------------------------------------

    static final StructType ACCOUNTS = new StructType()
            .add("id", DataTypes.IntegerType)
            .add("owner", DataTypes.StringType)
            .add("balance", DataTypes.DoubleType);

    static Row account(int id, String owner, double balance) {
        return RowFactory.create(id, owner, balance);
    }

    /** One commit that adds exactly one data file. */
    static void append(SparkSession spark, String path, Row... rows) {
        spark.createDataFrame(List.of(rows), ACCOUNTS)
                .coalesce(1)
                .write()
                .format("delta")
                .mode("append")
                .save(path);
    }

    static void sql(SparkSession spark, String statement, String path) {
        spark.sql(statement.replace("{table}", "delta.`" + path + "`"));
    }

    static Object[] accountRow(Row account) {
        return row(account.get(0), account.get(1), account.get(2));
    }

    @Nested
    @DisplayName("Exercise 2.6: A Delta table as a source")
    class ADeltaTableAsASource {

        @Test
        @Graded(exercise = "2.6", points = 3)
        void streamsTheTableThenEveryAppendTwoFilesAtATime(SparkSession spark, WorkDir work) {
            Learner.failFastIfNotDone(() -> lab.deltaAppends(spark, work.path("probe"), 2));
            String table = work.path("accounts");
            // Three commits of one file each: 3 rows, then 2, then 1.
            append(spark, table, account(1, "ada", 10.0), account(2, "bob", 20.0), account(3, "cyd", 30.0));
            append(spark, table, account(4, "dan", 40.0), account(5, "eve", 50.0));
            append(spark, table, account(6, "fay", 60.0));
            Dataset<Row> appends = Learner.call(() -> lab.deltaAppends(spark, table, 2), null);
            Check.columnsInOrder(appends, "the table's columns, unchanged", ACCOUNTS.fieldNames());
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(appends, null);
            Streams.processAll(query);
            String hint =
                    "format(\"delta\").option(\"maxFilesPerTrigger\", maxFilesPerTrigger).load(tablePath): the table's"
                            + " files, oldest first, at most that many per micro-batch";
            Check.equal(2, sink.batchCount(), "the number of micro-batches for a table of 3 files, 2 at a time", hint);
            Check.rows(sink.batch(0))
                    .describedAs("micro-batch 0 (the first two files)")
                    .hint(hint)
                    .containExactly(
                            row(1, "ada", 10.0),
                            row(2, "bob", 20.0),
                            row(3, "cyd", 30.0),
                            row(4, "dan", 40.0),
                            row(5, "eve", 50.0));
            Check.rows(sink.batch(1))
                    .describedAs("micro-batch 1 (the third file)")
                    .hint(hint)
                    .containExactly(row(6, "fay", 60.0));

            append(spark, table, account(7, "gus", 70.0), account(8, "hal", 80.0));
            Streams.processAll(query);
            Check.rows(sink.batch(2))
                    .describedAs("micro-batch 2 (an append while the stream ran)")
                    .hint(hint)
                    .containExactly(row(7, "gus", 70.0), row(8, "hal", 80.0));
        }

        @Test
        @Graded(exercise = "2.6", points = 1)
        void stopsWithDeltasErrorWhenRowsAreDeletedUpstream(SparkSession spark, WorkDir work) {
            Learner.failFastIfNotDone(() -> lab.deltaAppends(spark, work.path("probe"), 10));
            String table = work.path("accounts");
            append(spark, table, account(1, "ada", 10.0), account(2, "bob", 20.0));
            Dataset<Row> appends = Learner.call(() -> lab.deltaAppends(spark, table, 10), null);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(appends, null);
            Streams.processAll(query);
            sql(spark, "DELETE FROM {table} WHERE id = 2", table);
            String failure = failureOf(query);
            String expected = "[DELTA_SOURCE_TABLE_IGNORE_CHANGES] Detected a data update";
            Check.that(
                    failure != null && failure.contains(expected),
                    "a stream of a Delta table's appends should stop when rows are deleted upstream.\n  expected \""
                            + expected + "...\"\n  but got: "
                            + (failure == null ? "the stream went on" : Failures.firstLine(failure)),
                    "2.6 reads appends only, with no other option than maxFilesPerTrigger: keeping the stream alive through"
                            + " changes is exercise 2.7");
        }
    }

    @Nested
    @DisplayName("Exercise 2.7: Keep streaming when the table is updated")
    class KeepStreamingWhenTheTableIsUpdated {

        @Test
        @Graded(exercise = "2.7", points = 3)
        void deliversOnlyAppendedRowsThroughUpdatesAndDeletes(SparkSession spark, WorkDir work) {
            Learner.failFastIfNotDone(() -> lab.appendsIgnoringRewrites(spark, work.path("probe")));
            String table = work.path("accounts");
            append(spark, table, account(1, "ada", 10.0), account(2, "bob", 20.0), account(3, "cyd", 30.0));
            Dataset<Row> appends = Learner.call(() -> lab.appendsIgnoringRewrites(spark, table), null);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(appends, null);
            String hint =
                    "option(\"skipChangeCommits\", true): commits that update or delete rows are skipped whole, so"
                            + " the stream neither stops nor re-sends the rows such a commit rewrote (ignoreChanges would re-send them)";
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew())
                    .describedAs("the table when the stream started")
                    .hint(hint)
                    .containExactly(row(1, "ada", 10.0), row(2, "bob", 20.0), row(3, "cyd", 30.0));

            sql(spark, "UPDATE {table} SET balance = 25.0 WHERE id = 2", table);
            sql(spark, "DELETE FROM {table} WHERE id = 3", table);
            append(spark, table, account(4, "dan", 40.0));
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew())
                    .describedAs("after an UPDATE, a DELETE and an append upstream")
                    .hint(hint)
                    .containExactly(row(4, "dan", 40.0));
        }
    }

    @Nested
    @DisplayName("Exercise 2.8: Delta's change data feed")
    class DeltasChangeDataFeed {

        @Test
        @Graded(exercise = "2.8", points = 3)
        void deliversInsertsNewValuesAndDeletesFromTheStartingVersion(SparkSession spark, WorkDir work) {
            Learner.failFastIfNotDone(() -> lab.changesToApply(spark, work.path("probe"), 2));
            String table = work.path("accounts");
            sql(
                    spark,
                    "CREATE TABLE {table} (id INT, owner STRING, balance DOUBLE) USING delta"
                            + " TBLPROPERTIES (delta.enableChangeDataFeed = true)",
                    table); // version 0
            sql(spark, "INSERT INTO {table} VALUES (1, 'ada', 10.0), (2, 'bob', 20.0), (3, 'cyd', 30.0)", table); // 1
            sql(spark, "UPDATE {table} SET balance = 25.0 WHERE id = 2", table); // 2
            sql(spark, "DELETE FROM {table} WHERE id = 3", table); // 3
            sql(spark, "INSERT INTO {table} VALUES (4, 'dan', 40.0)", table); // 4

            Dataset<Row> changes = Learner.call(() -> lab.changesToApply(spark, table, 2), null);
            Check.columnsInOrder(
                    changes,
                    "the table's columns, then _change_type and _commit_version (drop _commit_timestamp)",
                    "id",
                    "owner",
                    "balance",
                    "_change_type",
                    "_commit_version");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(changes, null);
            String hint =
                    "option(\"readChangeFeed\", true).option(\"startingVersion\", startingVersion): every change from"
                            + " that version on; an UPDATE gives two rows, update_preimage (old values) and update_postimage (new"
                            + " values): a consumer applies only the new ones";
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew())
                    .describedAs("the changes of versions 2 to 4")
                    .hint(hint)
                    .containExactly(
                            row(2, "bob", 25.0, "update_postimage", 2L),
                            row(3, "cyd", 30.0, "delete", 3L),
                            row(4, "dan", 40.0, "insert", 4L));

            sql(spark, "UPDATE {table} SET owner = 'ada l.' WHERE id = 1", table); // 5
            Streams.processAll(query, hint);
            Check.rows(sink.takeNew())
                    .describedAs("the changes of version 5, made while the stream ran")
                    .hint(hint)
                    .containExactly(row(1, "ada l.", 10.0, "update_postimage", 5L));
        }
    }

    @Nested
    @DisplayName("Exercise 2.9: Ignore files that arrive too old")
    class IgnoreFilesThatArriveTooOld {

        @Test
        @Graded(exercise = "2.9", points = 3)
        void ignoresFilesOlderThanTheAgeBeforeTheNewestFileRead(SparkSession spark, WorkDir work) {
            Learner.failFastIfNotDone(() -> lab.recentFiles(spark, work.path("probe"), "1h"));
            // Seven files of two readings, made in a staging directory and moved in with chosen
            // modification times. The newest is a day old: the age counts from the newest file, not the clock.
            List<Path> staged = readingFiles(work.dir("staging"), 14, 2, 29);
            Path input = work.dir("input");
            Instant newest = Instant.now().minus(Duration.ofDays(1));
            List<List<Object[]>> contents = new ArrayList<>();
            for (Path file : staged) {
                contents.add(readingsIn(file));
            }
            Dataset<Row> readings = Learner.call(() -> lab.recentFiles(spark, input.toString(), "1h"), null);
            Check.equal(
                    fields(Sources.READINGS),
                    fields(readings.schema()),
                    "the columns and their types",
                    "give the reader the schema: spark.readStream().schema(READINGS)");

            // There at the start: 3 h, 30 min and 0 min older than the newest.
            arrive(staged.get(0), input, newest.minus(Duration.ofHours(3)));
            arrive(staged.get(1), input, newest.minus(Duration.ofMinutes(30)));
            arrive(staged.get(2), input, newest);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(readings, null);
            Streams.processAll(query);
            String hint =
                    "option(\"maxFileAge\", maxFileAge): after its first micro-batch the file source ignores every file"
                            + " whose modification time is older than (the newest file it has read - maxFileAge); the"
                            + " default is 7 days";
            Check.rows(sink.takeNew(), "event_id", "device_id", "temperature")
                    .describedAs("the first micro-batch (every file there at the start, even the one 3 h older)")
                    .hint(hint)
                    .containExactly(concat(contents.get(0), contents.get(1), contents.get(2)));

            // Later: one file 2 h older than the newest read (too old), one 10 min older (in time).
            arrive(staged.get(3), input, newest.minus(Duration.ofHours(2)));
            arrive(staged.get(4), input, newest.minus(Duration.ofMinutes(10)));
            Streams.processAll(query);
            Check.rows(sink.takeNew(), "event_id", "device_id", "temperature")
                    .describedAs("after a file 2 h older and one 10 min older than the newest file arrived")
                    .hint(hint)
                    .containExactly(contents.get(4));

            // A file 3 h newer moves the limit forward; then a file 1 h newer than the old newest is too old.
            arrive(staged.get(5), input, newest.plus(Duration.ofHours(3)));
            Streams.processAll(query);
            Check.rows(sink.takeNew(), "event_id", "device_id", "temperature")
                    .describedAs("after a file 3 h newer than the newest arrived")
                    .hint(hint)
                    .containExactly(contents.get(5));
            arrive(staged.get(6), input, newest.plus(Duration.ofHours(1)));
            Streams.processAll(query);
            Check.rows(sink.takeNew(), "event_id", "device_id", "temperature")
                    .describedAs("after a file 2 h older than the new newest arrived")
                    .hint(hint)
                    .isEmpty();
        }

        private void arrive(Path staged, Path input, Instant modified) {
            try {
                Path moved = Files.move(staged, input.resolve(staged.getFileName()));
                setModified(moved, modified);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @SafeVarargs
        private List<Object[]> concat(List<Object[]>... parts) {
            List<Object[]> all = new ArrayList<>();
            for (List<Object[]> part : parts) {
                all.addAll(part);
            }
            return all;
        }
    }

    /**
     * The rows the rate source has emitted by the end of second {@code second}, worked out from its
     * documented rule: during the ramp-up the speed grows by rowsPerSecond / (rampUp + 1) (integer
     * division) each second, then stays at rowsPerSecond.
     */
    static long rateRowsBySecond(long second, long rowsPerSecond, long rampUpSeconds) {
        long step = rowsPerSecond / (rampUpSeconds + 1);
        long rows = 0;
        for (long s = 1; s <= second; s++) {
            rows += s <= rampUpSeconds ? step * s : rowsPerSecond;
        }
        return rows;
    }

    @Nested
    @DisplayName("Exercise 2.10: A load generator: the rate source")
    class ALoadGeneratorTheRateSource {

        @Test
        @Graded(exercise = "2.10", points = 3)
        void rampsUpThenEmitsTheRateEverySecondAsProgressReports(SparkSession spark) {
            Learner.failFastIfNotDone(() -> lab.rampedRate(spark, 10, 4));
            Dataset<Row> rate = Learner.call(() -> lab.rampedRate(spark, 10, 4), null);
            Check.equal(
                    List.of("timestamp: timestamp", "value: bigint"),
                    fields(rate.schema()),
                    "the columns and their types",
                    "spark.readStream().format(\"rate\")...load(): the source's own two columns, unchanged");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(rate, null);
            // Run until a batch has reached second 6 (the ramp-up is over at second 4). No assertion
            // below depends on how the seconds fell into batches: a slow machine makes fewer, larger ones.
            long lastSecond = 6;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (endSecond(query.lastProgress()) < lastSecond && System.nanoTime() < deadline) {
                pause();
            }
            List<StreamingQueryProgress> progress = Arrays.stream(query.recentProgress())
                    .filter(p -> endSecond(p) >= 0)
                    .collect(Collectors.toList());
            Check.that(
                    !progress.isEmpty() && endSecond(progress.get(progress.size() - 1)) >= lastSecond,
                    "(test set-up) the query did not reach second " + lastSecond + " within 90 s",
                    null);

            String hint =
                    "option(\"rowsPerSecond\", rowsPerSecond) and option(\"rampUpTime\", rampUpSeconds + \"s\"): during"
                            + " the ramp-up the rate grows by rowsPerSecond / (rampUpSeconds + 1) rows each second; the"
                            + " source's offsets are seconds since the query started";
            long reached = 0;
            for (StreamingQueryProgress batch : progress) {
                long from = startSecond(batch);
                long to = endSecond(batch);
                Check.equal(
                        rateRowsBySecond(to, 10, 4) - rateRowsBySecond(from, 10, 4),
                        batch.numInputRows(),
                        "numInputRows of batch " + batch.batchId() + " (seconds " + from + " to " + to + ")",
                        hint);
                reached = Math.max(reached, rateRowsBySecond(to, 10, 4));
            }
            long rowsByLastSecond = reached;
            List<Long> values = sink.all().stream()
                    .map(row -> row.getLong(row.fieldIndex("value")))
                    .filter(value -> value < rowsByLastSecond)
                    .sorted()
                    .collect(Collectors.toList());
            List<Long> expected = new ArrayList<>();
            for (long v = 0; v < rowsByLastSecond; v++) {
                expected.add(v);
            }
            Check.equal(
                    expected,
                    values,
                    "the values delivered up to second " + endSecond(progress.get(progress.size() - 1)),
                    "every value from 0 on, once: the rate source counts its rows");
        }

        /** The batch's first second: the source's start offset, null for the first batch. */
        private long startSecond(StreamingQueryProgress progress) {
            String start = progress.sources()[0].startOffset();
            return start == null || start.equals("null") ? 0 : Long.parseLong(start.trim());
        }

        /** The batch's last second, or -1 for no progress or no offsets yet. */
        private long endSecond(StreamingQueryProgress progress) {
            if (progress == null || progress.sources().length == 0) {
                return -1;
            }
            String end = progress.sources()[0].endOffset();
            return end == null || end.equals("null") ? -1 : Long.parseLong(end.trim());
        }
    }

    // ---- rescued data ------------------------------------------------------------------------

    /** Writes JSON with the keys of every object sorted, so two objects compare equal whatever their key order. */
    private static final ObjectMapper SORTED_JSON =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /**
     * What _rescued_data must hold for a JSON line, worked out with Jackson: the line's top-level
     * fields that the schema does not name, as one object (keys sorted), or null if there are none.
     */
    static String expectedRescue(String line, StructType schema) {
        try {
            ObjectNode object = (ObjectNode) JSON.readTree(line);
            object.remove(Arrays.asList(schema.fieldNames()));
            return object.isEmpty() ? null : canonical(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of _rescued_data made comparable: its JSON with keys sorted, or a note that it is not JSON at all. */
    static String rescueAsWritten(String rescued) {
        if (rescued == null) {
            return null;
        }
        try {
            return canonical(JSON.readTree(rescued));
        } catch (IOException e) {
            return "(not JSON) " + rescued;
        }
    }

    private static String canonical(JsonNode node) throws IOException {
        return SORTED_JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
    }

    /** The rows with the given columns, and _rescued_data last, made comparable by {@link #rescueAsWritten}. */
    static List<Row> withComparableRescue(List<Row> rows, String... columns) {
        List<Row> comparable = new ArrayList<>();
        for (Row row : rows) {
            Object[] values = new Object[columns.length + 1];
            for (int i = 0; i < columns.length; i++) {
                values[i] = row.get(row.fieldIndex(columns[i]));
            }
            values[columns.length] = rescueAsWritten(row.getString(row.fieldIndex("_rescued_data")));
            comparable.add(RowFactory.create(values));
        }
        return comparable;
    }

    static Timestamp timestamp(String iso) {
        return iso == null ? null : Timestamp.from(Instant.parse(iso));
    }

    static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A stream of the text lines of the files of a directory, in the column "value": what 2.11 is given. */
    static Dataset<Row> lines(SparkSession spark, String directory) {
        return spark.readStream().text(directory);
    }

    static final String RESCUE_HINT =
            "_rescued_data is one JSON object of the line's top-level fields that the schema does not name (the"
                    + " names of schema.fieldNames()), each value as the line wrote it, or null when there are none:"
                    + " json_object_keys(value) gives the keys; filter out the known ones; build the object from the"
                    + " values (README, hint 2, shows how to get a value as JSON, a number as a number)";

    @Nested
    @DisplayName("Exercise 2.11: Keep the fields the schema does not know")
    class KeepTheFieldsTheSchemaDoesNotKnow {

        @Test
        @Graded(exercise = "2.11", points = 3)
        void rescuesTheAddedFieldOfEveryRecordOfTheLaterFiles(SparkSession spark, WorkDir work) throws IOException {
            Learner.failFastIfNotDone(() -> lab.withRescuedData(lines(spark, work.path("probe")), Sources.READINGS));
            // 300 readings, 75 per file; the last 40% by event time (readings 181 to 300) carry battery_pct:
            // files 0 and 1 have none, file 2 has it from its 31st line, file 3 on every line.
            Datagen readings = Datagen.iot()
                    .events(300)
                    .eventsPerFile(75)
                    .schemaChange(0.4)
                    .seed(41);
            List<Path> staged = readingFiles(work.dir("staging"), readings);
            Map<String, GeneratedRecord> records =
                    readings.records().stream().collect(Collectors.toMap(GeneratedRecord::id, Function.identity()));
            String added = RecordType.IOT_READING.addedField();
            long changed = records.values().stream()
                    .filter(GeneratedRecord::schemaChanged)
                    .count();
            Check.equal(120L, changed, "(test set-up) readings with the added field " + added, null);

            Path input = work.dir("input");
            Files.move(staged.get(0), input.resolve(staged.get(0).getFileName()));
            Files.move(staged.get(1), input.resolve(staged.get(1).getFileName()));
            Dataset<Row> rescued =
                    Learner.call(() -> lab.withRescuedData(lines(spark, input.toString()), Sources.READINGS), null);
            List<String> expectedFields = new ArrayList<>(fields(Sources.READINGS));
            expectedFields.add("_rescued_data: string");
            Check.equal(
                    expectedFields,
                    fields(rescued.schema()),
                    "the columns and their types",
                    "the schema's columns, typed, in its order (from_json(col(\"value\"), schema), then \"record.*\"),"
                            + " then _rescued_data as a string");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(rescued, RESCUE_HINT);

            Streams.processAll(query, RESCUE_HINT);
            checkRescued(sink.takeNew(), records, "files 0 and 1 (no reading has " + added + ")");
            for (Path file : staged.subList(2, 4)) {
                Files.move(file, input.resolve(file.getFileName()));
                Streams.processAll(query, RESCUE_HINT);
                checkRescued(sink.takeNew(), records, "file " + file.getFileName() + ", arrived while the stream ran");
            }
        }

        /** Every row of a micro-batch: its known columns typed as the record's JSON says, and its rescued fields. */
        private void checkRescued(List<Row> batch, Map<String, GeneratedRecord> records, String which) {
            List<Object[]> expected = new ArrayList<>();
            for (Row row : batch) {
                GeneratedRecord record = records.get(row.getString(row.fieldIndex("event_id")));
                if (record == null) {
                    continue; // an event_id datagen never made: the comparison below shows the row as unexpected
                }
                JsonNode json = readTree(record.json());
                String rescue = expectedRescue(record.json(), Sources.READINGS);
                Check.that(
                        record.schemaChanged()
                                == (rescue != null && rescue.contains(RecordType.IOT_READING.addedField())),
                        "(test set-up) datagen's reading " + record.id() + " does not match its schemaChanged() flag",
                        null);
                expected.add(row(
                        record.id(),
                        json.get("device_id").asText(),
                        json.get("temperature").asDouble(),
                        timestamp(textOrNull(json, "event_time")),
                        rescue));
            }
            if (expected.size() != batch.size()) {
                expected.add(row("(every row's event_id should be one datagen wrote)"));
            }
            Check.rows(withComparableRescue(batch, "event_id", "device_id", "temperature", "event_time"))
                    .describedAs("micro-batch of " + which + ": event_id, device_id, temperature, event_time,"
                            + " _rescued_data (JSON shown with keys sorted)")
                    .hint(RESCUE_HINT)
                    .containExactly(expected);
        }

        @Test
        @Graded(exercise = "2.11", points = 2)
        void rescuesNestedObjectsAndSeveralFieldsAndNeverAKnownOne(SparkSession spark) {
            Learner.failFastIfNotDone(() -> lab.withRescuedData(
                    MemoryInput.of(Encoders.STRING()).stream().toDF(), Sources.READINGS));
            StructType schema = new StructType()
                    .add("id", DataTypes.StringType)
                    .add("reading", DataTypes.DoubleType)
                    .add("at", DataTypes.TimestampType);
            MemoryInput<String> input = MemoryInput.of(Encoders.STRING());
            Dataset<Row> rescued =
                    Learner.call(() -> lab.withRescuedData(input.stream().toDF(), schema), null);
            Check.columnsInOrder(
                    rescued,
                    "the schema's columns in its order, then _rescued_data",
                    "id",
                    "reading",
                    "at",
                    "_rescued_data");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(rescued, RESCUE_HINT);

            List<String> first = List.of(
                    // an unknown field that is an object holding an array
                    "{\"id\":\"a\",\"reading\":1.5,\"at\":\"2024-05-01T10:00:00.250Z\",\"battery\":{\"pct\":42,\"cells\":[3.7,3.6]}}",
                    // two unknown fields, a string and a negative number; a known field that is null
                    "{\"id\":\"b\",\"reading\":null,\"at\":\"2024-05-01T10:00:01Z\",\"firmware\":\"1.2.0\",\"rssi\":-67}");
            List<String> second = List.of(
                    // nothing unknown
                    "{\"id\":\"c\",\"reading\":2.0,\"at\":\"2024-05-01T10:00:02Z\"}",
                    // a known field missing; unknown: a string that looks like a number, a boolean, a quoted text
                    "{\"id\":\"d\",\"reading\":3.25,\"code\":\"42\",\"calibrated\":true,\"note\":\"says \\\"ok\\\"\"}");
            input.addBatch(first);
            Streams.processAll(query, RESCUE_HINT);
            Check.rows(withComparableRescue(sink.takeNew(), "id", "reading", "at"))
                    .describedAs("micro-batch 0 (JSON shown with keys sorted)")
                    .hint(RESCUE_HINT)
                    .containExactly(
                            row("a", 1.5, timestamp("2024-05-01T10:00:00.250Z"), expectedRescue(first.get(0), schema)),
                            row("b", null, timestamp("2024-05-01T10:00:01Z"), expectedRescue(first.get(1), schema)));
            input.addBatch(second);
            Streams.processAll(query, RESCUE_HINT);
            Check.rows(withComparableRescue(sink.takeNew(), "id", "reading", "at"))
                    .describedAs("micro-batch 1 (JSON shown with keys sorted)")
                    .hint(RESCUE_HINT)
                    .containExactly(
                            row("c", 2.0, timestamp("2024-05-01T10:00:02Z"), null),
                            row("d", 3.25, null, expectedRescue(second.get(1), schema)));
        }

        @Test
        @Graded(exercise = "2.11", points = 1)
        void rescuesWhatSchemaInferenceFixedAtTheStartCannotSee(SparkSession spark, WorkDir work) throws IOException {
            Learner.failFastIfNotDone(() -> lab.withRescuedData(lines(spark, work.path("probe")), Sources.READINGS));
            // 40 readings, 20 per file; the last half carry battery_pct: file 0 has none, file 1 all.
            List<Path> staged = readingFiles(
                    work.dir("staging"),
                    Datagen.iot().events(40).eventsPerFile(20).schemaChange(0.5).seed(43));
            Path input = work.dir("input");
            Files.move(staged.get(0), input.resolve(staged.get(0).getFileName()));
            String added = RecordType.IOT_READING.addedField();

            // Spark's own answer to new fields: infer the schema. It does so once, when the stream is defined.
            Dataset<Row> inferredStream;
            spark.conf().set("spark.sql.streaming.schemaInference", "true");
            try {
                inferredStream = spark.readStream().json(input.toString());
            } finally {
                spark.conf().unset("spark.sql.streaming.schemaInference");
            }
            StructType inferred = inferredStream.schema();
            BatchCollector inferredSink = BatchCollector.create();
            StreamingQuery inferring = inferredSink.start(inferredStream, null);
            Dataset<Row> rescued =
                    Learner.call(() -> lab.withRescuedData(lines(spark, input.toString()), inferred), null);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(rescued, RESCUE_HINT);
            Streams.processAll(inferring);
            Streams.processAll(query, RESCUE_HINT);
            inferredSink.takeNew();
            sink.takeNew();

            Path later = Files.move(staged.get(1), input.resolve(staged.get(1).getFileName()));
            Streams.processAll(inferring);
            Streams.processAll(query, RESCUE_HINT);
            List<Row> inferredRows = inferredSink.takeNew();
            Check.that(
                    inferredRows.size() == 20
                            && inferredRows.stream()
                                    .noneMatch(r -> Arrays.asList(r.schema().fieldNames())
                                            .contains(added)),
                    "(measured behaviour) with spark.sql.streaming.schemaInference the stream was expected to read the"
                            + " later file without " + added
                            + ": the schema is inferred once, when the stream is defined."
                            + " Got " + inferredRows.size() + " rows with the columns "
                            + (inferredRows.isEmpty()
                                    ? "?"
                                    : fields(inferredRows.get(0).schema())),
                    null);
            List<Object[]> expected = new ArrayList<>();
            for (String line : Files.readAllLines(later)) {
                expected.add(row(readTree(line).get("event_id").asText(), expectedRescue(line, inferred)));
            }
            Check.rows(withComparableRescue(sink.takeNew(), "event_id"))
                    .describedAs(
                            "the later file, read with the schema inferred from the first one: event_id, _rescued_data")
                    .hint(RESCUE_HINT + "; whatever the schema, even one Spark inferred")
                    .containExactly(expected);
        }
    }

    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** datagen's files of a configured run, with modification times one minute apart, oldest first. */
    static List<Path> readingFiles(Path dir, Datagen run) {
        run.toFiles(dir);
        List<Path> files = dataFiles(dir);
        Instant oldest = Instant.now().minus(Duration.ofHours(1));
        for (int i = 0; i < files.size(); i++) {
            setModified(files.get(i), oldest.plus(Duration.ofMinutes(i)));
        }
        return files;
    }
}
