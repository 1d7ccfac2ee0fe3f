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

/** The reference solution of module 1. Compare it with your {@link FundamentalsExercise}. */
public class FundamentalsSolution implements Fundamentals {

    @Override
    public Dataset<Row> readSensorEvents(SparkSession spark, String inputDir) {
        // A streaming file source needs the schema up front: it cannot scan files that do not exist yet.
        StructType schema = new StructType()
                .add("event_id", DataTypes.StringType)
                .add("device_id", DataTypes.StringType)
                .add("temperature", DataTypes.DoubleType)
                .add("event_time", DataTypes.TimestampType);
        return spark.readStream().schema(schema).json(inputDir);
    }

    @Override
    public StreamingQuery startInMemory(Dataset<Row> events, String queryName) throws Exception {
        return events.writeStream()
                .format("memory")
                .queryName(queryName)
                .outputMode(OutputMode.Append())
                .start();
    }

    @Override
    public StreamingQuery startEveryTwoSeconds(Dataset<Row> events, String queryName) throws Exception {
        return events.writeStream()
                .format("memory")
                .queryName(queryName)
                .trigger(Trigger.ProcessingTime("2 seconds"))
                .start();
    }

    @Override
    public StreamingQuery startBacklogRun(SparkSession spark, String inputDir, StructType schema, String queryName)
            throws Exception {
        return spark.readStream()
                .schema(schema)
                .option("maxFilesPerTrigger", 1)
                .json(inputDir)
                .writeStream()
                .format("memory")
                .queryName(queryName)
                // Unlike the deprecated Trigger.Once(), AvailableNow honours maxFilesPerTrigger.
                .trigger(Trigger.AvailableNow())
                .start();
    }

    @Override
    public StreamingQuery startContinuousDoubling(SparkSession spark, String queryName) throws Exception {
        return spark.readStream()
                .format("rate")
                .option("rowsPerSecond", 10)
                // A continuous query holds one task per partition for its whole life: keep a core free.
                .option("numPartitions", 1)
                .load()
                .select(col("value"), col("value").multiply(2).as("doubled"))
                .writeStream()
                .format("memory")
                .queryName(queryName)
                .trigger(Trigger.Continuous("1 second"))
                .start();
    }

    @Override
    public DataStreamWriter<Row> countsInCompleteMode(Dataset<Row> events) {
        return countPerDevice(events).writeStream().outputMode(OutputMode.Complete());
    }

    @Override
    public DataStreamWriter<Row> countsInUpdateMode(Dataset<Row> events) {
        return countPerDevice(events).writeStream().outputMode(OutputMode.Update());
    }

    private static Dataset<Row> countPerDevice(Dataset<Row> events) {
        return events.groupBy("device_id").count().withColumnRenamed("count", "events");
    }

    @Override
    public StreamingQuery startParquetIngest(
            SparkSession spark, String inputDir, StructType schema, String outputDir, String checkpointDir)
            throws Exception {
        return spark.readStream()
                .schema(schema)
                .json(inputDir)
                .writeStream()
                .format("parquet")
                .option("path", outputDir)
                // The offsets of every batch and the list of files already read live here.
                .option("checkpointLocation", checkpointDir)
                .start();
    }

    @Override
    public Optional<String> whySparkRefuses(DataStreamWriter<Row> writer) throws Exception {
        StreamingQuery query;
        try {
            query = writer.start();
        } catch (Exception e) {
            // start() declares only TimeoutException; Java will not let us write
            // catch (AnalysisException e) for an exception the method does not declare.
            if (e instanceof AnalysisException) {
                return Optional.of(((AnalysisException) e).getSimpleMessage());
            }
            throw e;
        }
        query.stop();
        return Optional.empty();
    }
}
