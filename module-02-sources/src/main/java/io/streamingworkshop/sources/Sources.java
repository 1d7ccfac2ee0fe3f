package io.streamingworkshop.sources;

import io.streamingworkshop.datagen.RecordType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Module 2, reading from streaming sources: the exercises of this lab, one method each.
 * {@link SourcesExercise} is where you write them; {@link SourcesSolution} is the reference.
 * The README (module-02-sources/README.md) explains each one; {@code SourcesTest} checks them.
 *
 * <p>Every method returns a streaming {@code Dataset<Row>}: the tests choose the sink, the
 * checkpoint and the trigger, and feed the source (files, Kafka records, Delta commits) themselves.
 */
public interface Sources {

    /**
     * The IoT readings datagen writes, as files and as Kafka values: {@code event_id},
     * {@code device_id}, {@code sensor_id} strings, {@code temperature}, {@code humidity} doubles,
     * {@code location} struct ({@code site}, {@code lat}, {@code lon}), {@code tags} array of
     * strings, {@code event_time} timestamp.
     */
    StructType READINGS = RecordType.IOT_READING.schema();

    /**
     * Exercise 2.1: the JSON-lines files of {@code directory} as a stream of readings, read with the
     * explicit schema {@link #READINGS} (never inferred), at most {@code maxFilesPerTrigger} files
     * per micro-batch. Columns: those of {@link #READINGS}, in that order.
     */
    Dataset<Row> readingFiles(SparkSession spark, String directory, int maxFilesPerTrigger);

    /**
     * Exercise 2.2: like 2.1, but one file per micro-batch, the newest file first, and every file
     * whose micro-batch has been committed moved (archived) into {@code archiveDirectory}.
     */
    Dataset<Row> archivedNewestFirst(SparkSession spark, String directory, String archiveDirectory);

    /**
     * Exercise 2.3: every record of {@code topic} on the broker at {@code bootstrapServers}, from
     * the first one the topic still holds, as: {@code key} (string), {@code topic},
     * {@code partition}, {@code offset}, {@code timestamp} (Kafka's own), then the fields of the
     * reading in the record's JSON value, parsed with {@link #READINGS}.
     */
    Dataset<Row> kafkaReadings(SparkSession spark, String bootstrapServers, String topic);

    /**
     * Exercise 2.4: the records of partition 0 of {@code topic} (a topic with one partition),
     * starting at offset {@code startingOffset} (not at the first or the latest record), at most
     * {@code maxRecordsPerBatch} records per micro-batch. Columns: Kafka's own, unchanged.
     */
    Dataset<Row> kafkaBacklog(
            SparkSession spark, String bootstrapServers, String topic, long startingOffset, long maxRecordsPerBatch);

    /**
     * Exercise 2.5: every record of {@code topic} on a listener that requires SASL/PLAIN over an
     * unencrypted connection (SASL_PLAINTEXT), logging in as {@code login} says, from the first
     * record. Columns: {@code key} and {@code value}, both strings.
     */
    Dataset<Row> authenticatedRecords(SparkSession spark, KafkaLogin login, String topic);

    /**
     * Exercise 2.6: the rows appended to the Delta table at {@code tablePath} (what it holds when
     * the stream starts, then every append), at most {@code maxFilesPerTrigger} data files per
     * micro-batch. Columns: the table's.
     */
    Dataset<Row> deltaAppends(SparkSession spark, String tablePath, int maxFilesPerTrigger);

    /**
     * Exercise 2.7: like 2.6 without a file limit, for a table that is also updated and deleted
     * from upstream: the stream keeps running and delivers only appended rows, never the rows a
     * commit that changes or deletes existing data rewrote.
     */
    Dataset<Row> appendsIgnoringRewrites(SparkSession spark, String tablePath);

    /**
     * Exercise 2.8: the change data feed of the Delta table at {@code tablePath} from table version
     * {@code startingVersion} on, keeping only what a consumer must apply: inserts, the new values
     * of updated rows and deletes (not the old values of updated rows). Columns: the table's, then
     * {@code _change_type} and {@code _commit_version}.
     */
    Dataset<Row> changesToApply(SparkSession spark, String tablePath, long startingVersion);

    /**
     * Exercise 2.9: like 2.1 without a file limit, but a file whose modification time is more than
     * {@code maxFileAge} (a duration such as {@code "1h"}) older than the newest file the stream
     * has read is ignored. Columns: those of {@link #READINGS}, in that order.
     */
    Dataset<Row> recentFiles(SparkSession spark, String directory, String maxFileAge);

    /**
     * Exercise 2.10: Spark's built-in {@code rate} source, for load tests: rows {@code timestamp},
     * {@code value} (0, 1, 2, ...) at {@code rowsPerSecond} rows a second, reached after a linear
     * ramp-up of {@code rampUpSeconds} seconds.
     */
    Dataset<Row> rampedRate(SparkSession spark, long rowsPerSecond, int rampUpSeconds);

    /**
     * Exercise 2.11: the open-source form of Auto Loader's rescued-data column. {@code lines} is a
     * stream of JSON lines in one string column {@code value} (for example
     * {@code spark.readStream().text(directory)}); return the columns of {@code schema}, parsed from
     * each line, then {@code _rescued_data}: a string holding, as one JSON object, every top-level
     * field of the line whose name is not a field of {@code schema}, each with its value as the
     * line wrote it (a number stays a number, an object stays an object); null when the line has no
     * such field. Built-in functions only, no UDF.
     */
    Dataset<Row> withRescuedData(Dataset<Row> lines, StructType schema);
}
