package io.streamingworkshop.pipeline;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Module 8, the ETL pipeline: the exercises of this lab, one method each. {@link PipelineExercise}
 * is where you write them; {@link PipelineSolution} is the reference. The README
 * (module-08-etl-pipeline/README.md) explains each one; {@code PipelineTest} checks them.
 *
 * <p>The pipeline takes datagen's clickstream (JSON lines, with malformed, duplicated and late
 * records) through three layers of Delta tables, each written by its own streaming query with its
 * own checkpoint:
 *
 * <ul>
 *   <li><b>bronze</b> ({@link #BRONZE}): every line as it came, with where and when it came in;
 *   <li><b>silver</b> ({@link #SILVER}): parsed, typed, deduplicated, enriched with the user's
 *       segment; what cannot be parsed goes to <b>quarantine</b> ({@link #QUARANTINE}) with a reason;
 *   <li><b>gold</b> ({@link #GOLD}): metrics per window, page category and user segment, for
 *       {@link #GOLD_WINDOWS}, each window written once, when it is final.
 * </ul>
 */
public interface Pipeline {

    /** Watermark delay of silver's deduplication and of gold's windows: longer than any event is late. */
    String WATERMARK_DELAY = "15 minutes";

    /** The window sizes of the gold tables, and the names of their tables: gold_5m and gold_1h. */
    List<String> GOLD_WINDOWS = List.of("5 minutes", "1 hour");

    /** {@code user_segment} of a click whose user is not in the users dimension. */
    String UNKNOWN_SEGMENT = "unknown";

    /** {@code reason} of a line that is not a JSON object. */
    String REASON_NOT_JSON = "not valid JSON";

    /** {@code reason} of a JSON object with a value of the wrong type (e.g. a string for time_on_page). */
    String REASON_WRONG_TYPE = "wrong type";

    /** {@code reason} of a JSON object without event_id, event_type or event_time. */
    String REASON_MISSING_FIELD = "missing event_id, event_type or event_time";

    /**
     * The bronze table: the raw line, where it came from (a file, or Kafka coordinates; the others
     * null) and when the pipeline read it.
     */
    StructType BRONZE = new StructType()
            .add("value", DataTypes.StringType)
            .add("source_file", DataTypes.StringType)
            .add("kafka_topic", DataTypes.StringType)
            .add("kafka_partition", DataTypes.IntegerType)
            .add("kafka_offset", DataTypes.LongType)
            .add("ingest_time", DataTypes.TimestampType);

    /** The quarantine table: the bronze columns and why the line could not be parsed. */
    StructType QUARANTINE = BRONZE.add("reason", DataTypes.StringType);

    /** The silver table: datagen's click fields, typed, and the user's segment. */
    StructType SILVER = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("user_id", DataTypes.StringType)
            .add("session_id", DataTypes.StringType)
            .add("page", DataTypes.StringType)
            .add("page_category", DataTypes.StringType)
            .add("event_type", DataTypes.StringType)
            .add("time_on_page", DataTypes.DoubleType)
            .add("event_time", DataTypes.TimestampType)
            .add("user_segment", DataTypes.StringType);

    /** A gold table: one row per window, page category and user segment. */
    StructType GOLD = new StructType()
            .add("window_start", DataTypes.TimestampType)
            .add("window_end", DataTypes.TimestampType)
            .add("page_category", DataTypes.StringType)
            .add("user_segment", DataTypes.StringType)
            .add("events", DataTypes.LongType)
            .add("page_views", DataTypes.LongType)
            .add("unique_users", DataTypes.LongType)
            .add("avg_time_on_page", DataTypes.DoubleType);

    /**
     * Exercise 8.1: bronze from files. A stream of every line of the JSON-lines files in {@code
     * inputDir}, unparsed, with the {@link #BRONZE} columns: {@code value} the line, {@code
     * source_file} the file it came from, the Kafka columns null, {@code ingest_time} when it was
     * read. Nothing parsed, nothing dropped: a malformed line is a row like any other.
     */
    Dataset<Row> bronzeFromFiles(SparkSession spark, String inputDir);

    /**
     * Exercise 8.2: bronze from Kafka. {@code kafkaRecords} is a stream read with {@code
     * format("kafka")}; the result has the {@link #BRONZE} columns: the value as text, its topic,
     * partition and offset, {@code source_file} null, {@code ingest_time} when it was read.
     */
    Dataset<Row> bronzeFromKafka(Dataset<Row> kafkaRecords);

    /**
     * Exercise 8.3: parse. The bronze columns, the {@link #SILVER} click fields parsed from {@code
     * value} with an explicit schema (not {@code user_segment}), and {@code reason}: null for a good
     * line, else {@link #REASON_NOT_JSON}, {@link #REASON_WRONG_TYPE} or {@link
     * #REASON_MISSING_FIELD}.
     */
    Dataset<Row> parse(Dataset<Row> bronze);

    /** Exercise 8.4: quarantine. The rows of {@link #parse} with a reason, as {@link #QUARANTINE}. */
    Dataset<Row> quarantine(Dataset<Row> parsed);

    /**
     * Exercise 8.5: silver. The rows of {@link #parse} without a reason, as {@link #SILVER}: each
     * {@code event_id} once (duplicates removed within {@link #WATERMARK_DELAY} of event time), and
     * {@code user_segment} from {@code users} (a static table with {@code user_id} and {@code
     * user_segment}), {@link #UNKNOWN_SEGMENT} when the user is not there: no click is lost.
     */
    Dataset<Row> silver(Dataset<Row> parsed, Dataset<Row> users);

    /**
     * Exercise 8.6: gold. From a silver stream, the {@link #GOLD} metrics per tumbling window of
     * {@code windowDuration}, page category and user segment: {@code events} all clicks, {@code
     * page_views} those of type {@code page_view}, {@code unique_users} approximately (a streaming
     * query cannot count distinct exactly), {@code avg_time_on_page}. With a watermark of {@link
     * #WATERMARK_DELAY}, so that in append mode each window is written once, when final.
     */
    Dataset<Row> gold(Dataset<Row> silver, String windowDuration);

    /**
     * Exercise 8.7: the pipeline. Starts one streaming query per table, each reading the table
     * before it (bronze from the input) and writing a Delta table, with its own checkpoint, as
     * {@link PipelineConfig} lays them out: bronze, silver, quarantine, and one gold query per
     * {@link #GOLD_WINDOWS}. The queries are named after their tables.
     */
    RunningPipeline start(SparkSession spark, PipelineConfig config) throws Exception;
}
