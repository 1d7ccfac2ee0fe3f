package io.streamingworkshop.fundamentals;

import static org.apache.spark.sql.functions.col;

import java.util.Optional;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.streamingworkshop.testkit.Todo;

/**
 * Your work for module 1. Each method is one exercise of module-01-fundamentals/README.md; replace
 * its {@code throw Todo.exercise(...)} with your code, then run
 * {@code ./mvnw test -pl module-01-fundamentals}.
 */
public class FundamentalsExercise implements Fundamentals {

    @Override
    public Dataset<Row> readSensorEvents(SparkSession spark, String inputDir) {
        // TODO 1.1: build the schema (event_id, device_id, temperature, event_time) and read
        //           inputDir with spark.readStream() as JSON.
        throw Todo.exercise("1.1", "Read a directory as a stream");
    }

    @Override
    public StreamingQuery startInMemory(Dataset<Row> events, String queryName) throws Exception {
        // TODO 1.2: write events to the "memory" sink, named queryName, in append mode, and start it.
        throw Todo.exercise("1.2", "Start a query into the memory sink");
    }

    @Override
    public StreamingQuery startEveryTwoSeconds(Dataset<Row> events, String queryName) throws Exception {
        // TODO 1.3: as in 1.2, with a processing-time trigger of two seconds.
        throw Todo.exercise("1.3", "A processing-time trigger");
    }

    @Override
    public StreamingQuery startBacklogRun(SparkSession spark, String inputDir, StructType schema, String queryName)
            throws Exception {
        // TODO 1.4: read inputDir with this schema, one file per micro-batch; process what is there
        //           now and stop (which trigger?); memory sink named queryName.
        throw Todo.exercise("1.4", "Process the backlog, then stop");
    }

    @Override
    public StreamingQuery startContinuousDoubling(SparkSession spark, String queryName) throws Exception {
        // TODO 1.5: rate source (10 rows/s, one partition) -> value, value * 2 AS doubled -> memory
        //           sink named queryName, with a continuous trigger that checkpoints every second.
        throw Todo.exercise("1.5", "Continuous processing");
    }

    @Override
    public DataStreamWriter<Row> countsInCompleteMode(Dataset<Row> events) {
        // TODO 1.6: count events per device_id (columns device_id, events) and return the writer in
        //           complete mode. Do not start it.
        throw Todo.exercise("1.6", "A running count in complete mode");
    }

    @Override
    public DataStreamWriter<Row> countsInUpdateMode(Dataset<Row> events) {
        // TODO 1.7: the same count, in update mode.
        throw Todo.exercise("1.7", "The same count in update mode");
    }

    @Override
    public StreamingQuery startParquetIngest(SparkSession spark, String inputDir, StructType schema, String outputDir,
            String checkpointDir) throws Exception {
        // TODO 1.8: read inputDir as a stream and write Parquet files to outputDir, with its progress
        //           kept in checkpointDir.
        throw Todo.exercise("1.8", "Stop, restart, lose nothing");
    }

    @Override
    public Optional<String> whySparkRefuses(DataStreamWriter<Row> writer) throws Exception {
        // TODO 1.9: start the writer. If Spark refuses (an AnalysisException), return its message;
        //           otherwise stop the query and return Optional.empty().
        throw Todo.exercise("1.9", "When Spark refuses to start a query");
    }
}
