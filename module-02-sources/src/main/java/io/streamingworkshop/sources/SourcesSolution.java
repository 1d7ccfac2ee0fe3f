package io.streamingworkshop.sources;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.json_object_keys;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/** The reference solution of module 2. */
public class SourcesSolution implements Sources {

    @Override
    public Dataset<Row> readingFiles(SparkSession spark, String directory, int maxFilesPerTrigger) {
        return spark.readStream()
                .schema(READINGS)
                .option("maxFilesPerTrigger", maxFilesPerTrigger)
                .json(directory);
    }

    @Override
    public Dataset<Row> archivedNewestFirst(SparkSession spark, String directory, String archiveDirectory) {
        return spark.readStream()
                .schema(READINGS)
                .option("maxFilesPerTrigger", 1)
                .option("latestFirst", true)
                .option("cleanSource", "archive")
                .option("sourceArchiveDir", archiveDirectory)
                .json(directory);
    }

    @Override
    public Dataset<Row> kafkaReadings(SparkSession spark, String bootstrapServers, String topic) {
        return spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", bootstrapServers)
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .load()
                .select(
                        col("key").cast("string").as("key"),
                        col("topic"),
                        col("partition"),
                        col("offset"),
                        col("timestamp"),
                        from_json(col("value").cast("string"), READINGS).as("reading"))
                .select("key", "topic", "partition", "offset", "timestamp", "reading.*");
    }

    @Override
    public Dataset<Row> kafkaBacklog(
            SparkSession spark, String bootstrapServers, String topic, long startingOffset, long maxRecordsPerBatch) {
        String startingOffsets = "{\"" + topic + "\":{\"0\":" + startingOffset + "}}";
        return spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", bootstrapServers)
                .option("subscribe", topic)
                .option("startingOffsets", startingOffsets)
                .option("maxOffsetsPerTrigger", maxRecordsPerBatch)
                .load();
    }

    @Override
    public Dataset<Row> authenticatedRecords(SparkSession spark, KafkaLogin login, String topic) {
        return spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", login.bootstrapServers())
                .option("kafka.security.protocol", "SASL_PLAINTEXT")
                .option("kafka.sasl.mechanism", "PLAIN")
                .option("kafka.sasl.jaas.config", KafkaBroker.jaasConfig(login.username(), login.password()))
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .load()
                .select(
                        col("key").cast("string").as("key"),
                        col("value").cast("string").as("value"));
    }

    @Override
    public Dataset<Row> deltaAppends(SparkSession spark, String tablePath, int maxFilesPerTrigger) {
        return spark.readStream()
                .format("delta")
                .option("maxFilesPerTrigger", maxFilesPerTrigger)
                .load(tablePath);
    }

    @Override
    public Dataset<Row> appendsIgnoringRewrites(SparkSession spark, String tablePath) {
        return spark.readStream()
                .format("delta")
                .option("skipChangeCommits", true)
                .load(tablePath);
    }

    @Override
    public Dataset<Row> changesToApply(SparkSession spark, String tablePath, long startingVersion) {
        return spark.readStream()
                .format("delta")
                .option("readChangeFeed", true)
                .option("startingVersion", startingVersion)
                .load(tablePath)
                .filter(col("_change_type").notEqual("update_preimage"))
                .drop("_commit_timestamp");
    }

    @Override
    public Dataset<Row> recentFiles(SparkSession spark, String directory, String maxFileAge) {
        return spark.readStream()
                .schema(READINGS)
                .option("maxFileAge", maxFileAge)
                .json(directory);
    }

    @Override
    public Dataset<Row> rampedRate(SparkSession spark, long rowsPerSecond, int rampUpSeconds) {
        return spark.readStream()
                .format("rate")
                .option("rowsPerSecond", rowsPerSecond)
                .option("rampUpTime", rampUpSeconds + "s")
                .load();
    }

    @Override
    public Dataset<Row> withRescuedData(Dataset<Row> lines, StructType schema) {
        Column line = col("value");
        Column knownNames =
                array(Arrays.stream(schema.fieldNames()).map(functions::lit).toArray(Column[]::new));
        // json_object_keys: the line's top-level keys (null if the line is not a JSON object).
        Column unknownKeys = filter(json_object_keys(line), key -> not(array_contains(knownNames, key)));
        Column fields = transform(unknownKeys, key -> concat(jsonString(key), lit(":"), jsonValue(line, key)));
        Column rescued = when(size(unknownKeys).gt(0), concat(lit("{"), array_join(fields, ","), lit("}")));
        return lines.select(from_json(line, schema).as("record"), rescued.as("_rescued_data"))
                .select("record.*", "_rescued_data");
    }

    /**
     * The value of the top-level field {@code key} of a JSON line, as JSON text: a string quoted
     * and escaped, a number, object or array as written, a JSON null as {@code null}.
     * {@code get_json_object(line, "$.key")} would give a string without its quotes, so "42" and 42
     * would look alike; through a wildcard over a one-element array ({@code [line]}, path
     * {@code $[*]['key']}) Spark returns the matched value as JSON.
     */
    private static Column jsonValue(Column line, Column key) {
        Column inArray = concat(lit("["), line, lit("]"));
        Column path = concat(lit("$[*]['"), key, lit("']"));
        return coalesce(call_function("get_json_object", inArray, path), lit("null"));
    }

    /** A string as a JSON string literal, quotes and escapes included: to_json of a one-element array, unwrapped. */
    private static Column jsonString(Column text) {
        return regexp_extract(to_json(array(text)), "^\\[(.*)\\]$", 1);
    }
}
