package io.streamingworkshop.sources;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import io.streamingworkshop.testkit.kafka.KafkaBroker;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
}
