package io.streamingworkshop.sources;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import io.streamingworkshop.testkit.Todo;
import io.streamingworkshop.testkit.kafka.KafkaBroker;

/**
 * Your work for module 2. Each method is one exercise of module-02-sources/README.md; replace its
 * {@code throw Todo.exercise(...)} with your code, then run {@code ./mvnw test -pl module-02-sources}.
 * Every method starts with {@code spark.readStream()} and returns the streaming Dataset: the tests
 * start the query themselves.
 */
public class SourcesExercise implements Sources {

    @Override
    public Dataset<Row> readingFiles(SparkSession spark, String directory, int maxFilesPerTrigger) {
        // TODO 2.1: the JSON files of directory with the schema READINGS, at most maxFilesPerTrigger files per batch.
        throw Todo.exercise("2.1", "Files with an explicit schema and a rate limit");
    }

    @Override
    public Dataset<Row> archivedNewestFirst(SparkSession spark, String directory, String archiveDirectory) {
        // TODO 2.2: as 2.1 with one file per batch, newest first, processed files archived to archiveDirectory.
        throw Todo.exercise("2.2", "Archive processed files, newest first");
    }

    @Override
    public Dataset<Row> kafkaReadings(SparkSession spark, String bootstrapServers, String topic) {
        // TODO 2.3: subscribe to topic from its first record; key as a string, the metadata columns, and the
        //           value parsed with from_json(..., READINGS) and flattened ("reading.*").
        throw Todo.exercise("2.3", "Read a Kafka topic");
    }

    @Override
    public Dataset<Row> kafkaBacklog(SparkSession spark, String bootstrapServers, String topic, long startingOffset,
            long maxRecordsPerBatch) {
        // TODO 2.4: startingOffsets as per-partition JSON ({"topic":{"0":offset}}) and maxOffsetsPerTrigger.
        throw Todo.exercise("2.4", "Drain a backlog at a bounded rate");
    }

    @Override
    public Dataset<Row> authenticatedRecords(SparkSession spark, KafkaLogin login, String topic) {
        // TODO 2.5: the kafka.security.protocol, kafka.sasl.mechanism and kafka.sasl.jaas.config options, from login.
        //           KafkaBroker.jaasConfig(user, password) writes the JAAS line for you.
        throw Todo.exercise("2.5", "Kafka with SASL authentication");
    }

    @Override
    public Dataset<Row> deltaAppends(SparkSession spark, String tablePath, int maxFilesPerTrigger) {
        // TODO 2.6: the Delta table at tablePath as a stream, at most maxFilesPerTrigger files per batch.
        throw Todo.exercise("2.6", "A Delta table as a source");
    }

    @Override
    public Dataset<Row> appendsIgnoringRewrites(SparkSession spark, String tablePath) {
        // TODO 2.7: as 2.6 (no file limit), but commits that update or delete rows must not stop the stream.
        throw Todo.exercise("2.7", "Keep streaming when the table is updated");
    }

    @Override
    public Dataset<Row> changesToApply(SparkSession spark, String tablePath, long startingVersion) {
        // TODO 2.8: readChangeFeed from startingVersion; drop the update_preimage rows and _commit_timestamp.
        throw Todo.exercise("2.8", "Delta's change data feed");
    }

    @Override
    public Dataset<Row> recentFiles(SparkSession spark, String directory, String maxFileAge) {
        // TODO 2.9: as 2.1 without a file limit; files older than maxFileAge before the newest file are ignored.
        throw Todo.exercise("2.9", "Ignore files that arrive too old");
    }

    @Override
    public Dataset<Row> rampedRate(SparkSession spark, long rowsPerSecond, int rampUpSeconds) {
        // TODO 2.10: format "rate" with rowsPerSecond and a rampUpTime of rampUpSeconds seconds.
        throw Todo.exercise("2.10", "A load generator: the rate source");
    }

    @Override
    public Dataset<Row> withRescuedData(Dataset<Row> lines, StructType schema) {
        // TODO 2.11: from_json(col("value"), schema) for the known columns, plus _rescued_data: the line's
        //           top-level fields that schema does not name (json_object_keys), as one JSON object, or null.
        throw Todo.exercise("2.11", "Keep the fields the schema does not know");
    }
}
