package io.streamingworkshop.fundamentals;

import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.StructType;

/**
 * Module 1, Structured Streaming fundamentals: the exercises of this lab, one method each.
 * {@link FundamentalsExercise} is where you write them; {@link FundamentalsSolution} is the reference.
 * The README (module-01-fundamentals/README.md) explains each one; the tests in
 * {@code FundamentalsTest} check them.
 *
 * <p>The input everywhere is a stream of sensor events, one JSON object per line:
 * <pre>{"event_id":"e-001","device_id":"sensor-1","temperature":21.5,"event_time":"2024-05-01T10:00:00Z"}</pre>
 *
 * <p>Methods that start a query may throw {@link java.util.concurrent.TimeoutException}, because
 * {@code DataStreamWriter.start()} declares it.
 */
public interface Fundamentals {

    /**
     * Exercise 1.1: the JSON files in {@code inputDir} as a streaming Dataset, read with an explicit
     * schema: {@code event_id} string, {@code device_id} string, {@code temperature} double,
     * {@code event_time} timestamp, in that order.
     */
    Dataset<Row> readSensorEvents(SparkSession spark, String inputDir);

    /**
     * Exercise 1.2: starts {@code events} into the memory sink in append mode, as an in-memory table
     * named {@code queryName} (queryable with {@code spark.table(queryName)}).
     */
    StreamingQuery startInMemory(Dataset<Row> events, String queryName) throws Exception;

    /**
     * Exercise 1.3: like 1.2, but a micro-batch starts at most every two seconds
     * (a processing-time trigger).
     */
    StreamingQuery startEveryTwoSeconds(Dataset<Row> events, String queryName) throws Exception;

    /**
     * Exercise 1.4: reads the JSON files in {@code inputDir} (with {@code schema}) at most one file
     * per micro-batch, processes everything that is there now, and then stops by itself. Writes to
     * the memory sink as a table named {@code queryName}.
     */
    StreamingQuery startBacklogRun(SparkSession spark, String inputDir, StructType schema, String queryName)
            throws Exception;

    /**
     * Exercise 1.5: a continuous-processing query (checkpoint every second) over the {@code rate}
     * source with one partition, emitting {@code value} and {@code doubled = value * 2} to the memory
     * sink as a table named {@code queryName}.
     */
    StreamingQuery startContinuousDoubling(SparkSession spark, String queryName) throws Exception;

    /**
     * Exercise 1.6: the number of events per device ({@code device_id}, {@code events}) as a
     * running aggregation, written in complete mode: every micro-batch emits the whole result table.
     * Return the writer; the caller picks the sink and starts it.
     */
    DataStreamWriter<Row> countsInCompleteMode(Dataset<Row> events);

    /**
     * Exercise 1.7: the same running count, written in update mode: every micro-batch emits only
     * the devices whose count changed.
     */
    DataStreamWriter<Row> countsInUpdateMode(Dataset<Row> events);

    /**
     * Exercise 1.8: copies the JSON files in {@code inputDir} (with {@code schema}) into Parquet
     * files in {@code outputDir}, remembering its progress in {@code checkpointDir}, so that a
     * stopped query started again with the same arguments processes only what arrived since:
     * nothing twice, nothing lost.
     */
    StreamingQuery startParquetIngest(
            SparkSession spark, String inputDir, StructType schema, String outputDir, String checkpointDir)
            throws Exception;

    /**
     * Exercise 1.9: starts {@code writer}. If Spark refuses to start it, returns Spark's reason
     * (the message of the {@code AnalysisException}); if it starts, stops it again and returns
     * {@code Optional.empty()}.
     */
    Optional<String> whySparkRefuses(DataStreamWriter<Row> writer) throws Exception;
}
