package io.streamingworkshop.datagen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The library's entry point: say what to generate, then where it goes.
 *
 * <pre>{@code
 * WriteSummary run = Datagen.iot().events(10_000).seed(42)
 *         .late(0.05, Duration.ofMinutes(10))
 *         .toFiles(work.dir("iot"));
 * long late = run.manifest().late();                       // exactly 500
 * spark.readStream().schema(RecordType.IOT_READING.schema()).json(work.path("iot"));
 * }</pre>
 *
 * A {@code Datagen} is a builder: each setter changes it and returns it. The generator options
 * are checked when a terminal method ({@link #records()}, {@link #toFiles}, {@link #toKafka},
 * {@link #toDataFrame}, {@link #toDelta}) runs, with a message that names what is wrong.
 */
public final class Datagen {

    private final DatasetKind dataset;
    private final GeneratorOptions.Builder options;
    private int eventsPerFile = 1000;
    private boolean overwrite;
    private Pacing pacing = Pacing.asFastAsPossible();
    private PrintStream progress;
    private int partitions = 2;
    private Duration kafkaTimeout = Duration.ofSeconds(10);
    private Path kafkaManifestDir;

    private Datagen(GeneratorOptions.Builder options) {
        this.dataset = options.dataset();
        this.options = options;
    }

    public static Datagen of(DatasetKind dataset) {
        return new Datagen(GeneratorOptions.builder(dataset));
    }

    /** A run of the options collected in {@code options}; later setters of this Datagen change them too. */
    public static Datagen of(GeneratorOptions.Builder options) {
        return new Datagen(options);
    }

    /** IoT sensor readings, one stream ({@link RecordType#IOT_READING}), keyed by device. */
    public static Datagen iot() {
        return of(DatasetKind.IOT);
    }

    /** Clicks in user sessions ({@link RecordType#CLICK}), keyed by user. */
    public static Datagen clickstream() {
        return of(DatasetKind.CLICKSTREAM);
    }

    /** Orders and their shipments: two streams ({@link RecordType#ORDER}, {@link RecordType#SHIPMENT}). */
    public static Datagen orders() {
        return of(DatasetKind.ORDERS);
    }

    /** Purchases ({@link RecordType#TRANSACTION}), keyed by user. */
    public static Datagen transactions() {
        return of(DatasetKind.TRANSACTIONS);
    }

    /** The users dimension: {@link #userCount} rows, ids {@code user-0001}... as the events use them. */
    public static Datagen users() {
        return of(DatasetKind.USERS);
    }

    /** The product catalog: {@link #productCount} rows, ids {@code prod-0001}... as the events use them. */
    public static Datagen products() {
        return of(DatasetKind.PRODUCTS);
    }

    // ---- what to generate ----------------------------------------------------------------------

    /** How many events (for orders: how many orders). Default 1000. Not for a dimension. */
    public Datagen events(long events) {
        options.events(events);
        return this;
    }

    /** Default 42. The same seed and options give the same bytes. */
    public Datagen seed(long seed) {
        options.seed(seed);
        return this;
    }

    /** The event time of the first event. Default 2024-05-01T10:00:00Z. */
    public Datagen start(Instant start) {
        options.start(start);
        return this;
    }

    /** Events per simulated second of event time. Default 10. */
    public Datagen rate(double eventsPerSimulatedSecond) {
        options.rate(eventsPerSimulatedSecond);
        return this;
    }

    /** IoT devices ({@code device-001}...). Default 20. */
    public Datagen deviceCount(int devices) {
        options.devices(devices);
        return this;
    }

    /** Users the events pick from, and the size of the users dimension. Default 200. */
    public Datagen userCount(int users) {
        options.users(users);
        return this;
    }

    /** Products the events pick from, and the size of the product catalog. Default 50. */
    public Datagen productCount(int products) {
        options.products(products);
        return this;
    }

    /** Makes {@code fraction} of the events arrive exactly {@code by} after their event time. */
    public Datagen late(double fraction, Duration by) {
        options.late(fraction, by);
        return this;
    }

    /** Holds {@code fraction} of the events back by more than one event gap and at most {@code upTo}. */
    public Datagen outOfOrder(double fraction, Duration upTo) {
        options.outOfOrder(fraction, upTo);
        return this;
    }

    /** Sends {@code fraction} of the events twice; the copy arrives at most {@code within} after the original. */
    public Datagen duplicates(double fraction, Duration within) {
        options.duplicates(fraction, within);
        return this;
    }

    /** Writes {@code fraction} of the events badly: half cut off (broken JSON), half with a wrong type. */
    public Datagen malformed(double fraction) {
        options.malformed(fraction);
        return this;
    }

    /** Adds a new field to the last {@code fraction} of the events (see {@link RecordType#addedField()}). */
    public Datagen schemaChange(double fraction) {
        options.schemaChange(fraction);
        return this;
    }

    /** Orders only: the fraction of orders that never ship. Default 0.1. */
    public Datagen unshipped(double fraction) {
        options.unshipped(fraction);
        return this;
    }

    /** Orders only: a shipment follows its order by less than this. Default 30 minutes. */
    public Datagen maxShipDelay(Duration delay) {
        options.maxShipDelay(delay);
        return this;
    }

    // ---- how to write it -----------------------------------------------------------------------

    /** Records per file. Default 1000. */
    public Datagen eventsPerFile(int eventsPerFile) {
        this.eventsPerFile =
                (int) OptionChecks.wholeNumber(eventsPerFile, 1, Integer.MAX_VALUE, "events-per-file", "eventsPerFile");
        return this;
    }

    /** Replace what an earlier run wrote in the output directory (never files datagen did not write). */
    public Datagen overwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    /** Default {@link Pacing#asFastAsPossible()}. */
    public Datagen pacing(Pacing pacing) {
        if (pacing == null) {
            throw new IllegalArgumentException("pacing must not be null: use Pacing.asFastAsPossible()");
        }
        this.pacing = pacing;
        return this;
    }

    /** Print a progress line to {@code out} every few seconds of a long run. Off by default. */
    public Datagen progressTo(PrintStream out) {
        this.progress = out;
        return this;
    }

    /** Partitions of a topic that {@link #toKafka} creates (an existing topic keeps its own): 1 to 10,000. Default 2. */
    public Datagen partitions(int partitions) {
        this.partitions = (int) OptionChecks.wholeNumber(partitions, 1, 10_000, "partitions", "partitions");
        return this;
    }

    /** How long to wait for the broker to answer, and for each send. Default 10 seconds. */
    public Datagen kafkaTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Kafka timeout must be longer than zero, got " + timeout);
        }
        this.kafkaTimeout = timeout;
        return this;
    }

    /** Where {@link #toKafka} writes {@code <topic>.manifest.json} and {@code <topic>.flaws.jsonl}. Default: nowhere. */
    public Datagen kafkaManifestDir(Path dir) {
        this.kafkaManifestDir = dir;
        return this;
    }

    // ---- run -----------------------------------------------------------------------------------

    /** The checked generator options. */
    public GeneratorOptions options() {
        return options.build();
    }

    /** Every record of the run in memory, all streams, in arrival order. For small runs. */
    public List<GeneratedRecord> records() {
        List<GeneratedRecord> records = new ArrayList<>();
        forEachRecord(records::add);
        return records;
    }

    /** The records of one stream, in arrival order. */
    public List<GeneratedRecord> records(RecordType type) {
        return records().stream().filter(r -> r.type() == type).collect(Collectors.toList());
    }

    /** Hands every record to {@code consumer} in arrival order, without keeping them: for large runs. */
    public void forEachRecord(Consumer<GeneratedRecord> consumer) {
        new Simulation(options()).run(consumer);
    }

    /**
     * Writes JSON-lines files, each made visible whole, with {@code _manifest.json} and
     * {@code _flaws.jsonl} beside them. For {@link DatasetKind#ORDERS} the two streams go to
     * {@code dir/orders} and {@code dir/shipments}. The directories must be new or empty (or see {@link #overwrite}).
     */
    public WriteSummary toFiles(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("the output directory must not be null");
        }
        GeneratorOptions checked = options();
        Pacer pacer = new Pacer(pacing);
        Map<RecordType, RecordSink> sinks = new EnumMap<>(RecordType.class);
        List<RecordType> types = dataset.recordTypes();
        for (RecordType type : types) {
            Path streamDir = types.size() == 1 ? dir : dir.resolve(type.streamName());
            sinks.put(type, new FileSink(streamDir, type, eventsPerFile, overwrite, pacer));
        }
        return Generation.run(checked, sinks, pacer, progress, dir.toString());
    }

    /** Sends the records of a one-stream dataset to {@code topic}, creating it if needed. */
    public WriteSummary toKafka(Properties clientProperties, String topic) {
        if (dataset == DatasetKind.ORDERS) {
            throw new IllegalArgumentException(
                    "The orders dataset writes two streams: use toKafka(properties," + " ordersTopic, shipmentsTopic)");
        }
        return toKafka(clientProperties, Map.of(dataset.recordType(), topic));
    }

    /** Orders: sends orders to {@code ordersTopic} and shipments to {@code shipmentsTopic}. */
    public WriteSummary toKafka(Properties clientProperties, String ordersTopic, String shipmentsTopic) {
        if (dataset != DatasetKind.ORDERS) {
            throw new IllegalArgumentException(
                    "The " + dataset.cliName() + " dataset writes one stream: use" + " toKafka(properties, topic)");
        }
        return toKafka(clientProperties, Map.of(RecordType.ORDER, ordersTopic, RecordType.SHIPMENT, shipmentsTopic));
    }

    private WriteSummary toKafka(Properties clientProperties, Map<RecordType, String> topics) {
        if (dataset.isDimension()) {
            throw new IllegalArgumentException("The " + dataset.cliName() + " dataset is a dimension table: write it"
                    + " to files (toFiles) or as a Delta table (toDelta), not to Kafka");
        }
        if (clientProperties == null) {
            throw new IllegalArgumentException(
                    "the Kafka client properties must not be null," + " e.g. KafkaBroker.shared().clientProperties()");
        }
        Map<RecordType, String> checkedTopics = new EnumMap<>(RecordType.class);
        topics.forEach((type, topic) -> checkedTopics.put(type, checkTopic(topic)));
        if (pacing.pacesFiles()) {
            throw new IllegalArgumentException("Kafka has no files: pace it with Pacing.eventsPerSecond(...)");
        }
        GeneratorOptions checked = options();
        Properties client = new Properties();
        client.putAll(clientProperties);
        KafkaSink sink = new KafkaSink(client, checkedTopics, partitions, kafkaTimeout, kafkaManifestDir);
        Map<RecordType, RecordSink> sinks = new EnumMap<>(RecordType.class);
        checkedTopics.keySet().forEach(type -> sinks.put(type, sink));
        String destination =
                String.join(", ", checkedTopics.values()) + " at " + client.getProperty("bootstrap.servers");
        return Generation.run(checked, sinks, new Pacer(pacing), progress, destination);
    }

    private static String checkTopic(String topic) {
        if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("'" + topic + "' is not a valid Kafka topic name (letters, digits,"
                    + " '.', '_' and '-', at most 249 characters)");
        }
        return topic;
    }

    /**
     * The records of a one-stream dataset as a batch DataFrame with the record type's schema (the
     * evolved one if a schema change is generated). Malformed records become rows with nulls, as
     * Spark's JSON reader makes them; use {@link #records()} to see the raw lines.
     */
    public Dataset<Row> toDataFrame(SparkSession spark) {
        return toDataFrame(spark, dataset.recordType());
    }

    public Dataset<Row> toDataFrame(SparkSession spark, RecordType type) {
        if (spark == null) {
            throw new IllegalArgumentException("spark must not be null: use WorkshopSpark.session()");
        }
        if (!dataset.recordTypes().contains(type)) {
            throw new IllegalArgumentException(
                    "The " + dataset.cliName() + " dataset has no " + type.streamName() + " records");
        }
        GeneratorOptions checked = options();
        List<String> lines = records(type).stream().map(GeneratedRecord::json).collect(Collectors.toList());
        StructType schema = checked.schemaChangeFraction() > 0 ? type.evolvedSchema() : type.schema();
        return spark.read().schema(schema).json(spark.createDataset(lines, Encoders.STRING()));
    }

    /**
     * Writes a dimension (users or products) as a Delta table at {@code path}, replacing the table
     * if one is there. Refuses a non-empty directory that is not a Delta table.
     */
    public void toDelta(SparkSession spark, String path) {
        if (!dataset.isDimension()) {
            throw new IllegalArgumentException("toDelta writes dimension tables (users, products); for the "
                    + dataset.cliName() + " stream use toFiles or toKafka, or toDataFrame(spark).write()");
        }
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("the Delta table path must not be empty");
        }
        Path local = Path.of(path);
        if (Files.isDirectory(local) && !Files.isDirectory(local.resolve("_delta_log")) && hasEntries(local)) {
            throw new DatagenException(path + " is not empty and not a Delta table: choose another path");
        }
        toDataFrame(spark).write().format("delta").mode("overwrite").save(path);
    }

    private static boolean hasEntries(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new DatagenException("Cannot read " + dir + ": " + OutputDirectory.reason(e), e);
        }
    }
}
