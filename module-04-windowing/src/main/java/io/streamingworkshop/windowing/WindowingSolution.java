package io.streamingworkshop.windowing;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.session_window;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

import io.streamingworkshop.testkit.BatchCollector;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.Streams;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;

/** The reference solution of module 4. Compare it with your {@link WindowingExercise}. */
public class WindowingSolution implements Windowing {

    @Override
    public Dataset<Row> withEventTimeWatermark(Dataset<Row> readings) {
        // Event time, not ingest time: lateness is about when things happened.
        return readings.withWatermark("event_time", "10 minutes");
    }

    @Override
    public Dataset<Row> fiveMinuteCounts(Dataset<Row> watermarkedReadings) {
        return watermarkedReadings
                .groupBy(window(col("event_time"), "5 minutes"), col("device_id"))
                .agg(count("*").as("events"), avg("temperature").as("avg_temperature"));
    }

    @Override
    public Dataset<Row> movingAverage(Dataset<Row> watermarkedReadings) {
        return watermarkedReadings
                .groupBy(window(col("event_time"), "15 minutes", "5 minutes"), col("sensor_id"))
                .agg(avg("temperature").as("moving_avg"));
    }

    @Override
    public Dataset<Row> sessions(Dataset<Row> watermarkedClicks) {
        return watermarkedClicks
                .groupBy(col("user_id"), session_window(col("event_time"), "10 minutes"))
                .agg(count("*").as("clicks"));
    }

    @Override
    public Dataset<Row> sessionsBySegment(Dataset<Row> watermarkedClicks) {
        // The gap may be an expression evaluated per row.
        return watermarkedClicks
                .groupBy(
                        col("user_id"),
                        session_window(
                                col("event_time"),
                                when(col("user_segment").equalTo("premium"), lit("20 minutes"))
                                        .otherwise(lit("5 minutes"))))
                .agg(count("*").as("clicks"));
    }

    @Override
    public DataStreamWriter<Row> writerFor(Dataset<Row> windowCounts, Audience audience) {
        // Append: a window once the watermark has passed its end, never again. Update: every change
        // at once. Both let the watermark drop old windows from the state; complete would keep them all.
        OutputMode mode = audience == Audience.ALERTING ? OutputMode.Append() : OutputMode.Update();
        return windowCounts.writeStream().outputMode(mode);
    }

    @Override
    public long rowsDroppedByWatermark(StreamingQuery query) {
        // Each progress report covers one trigger: add them all up, not just the last one.
        return Arrays.stream(query.recentProgress())
                .flatMap(progress -> Arrays.stream(progress.stateOperators()))
                .mapToLong(StateOperatorProgress::numRowsDroppedByWatermark)
                .sum();
    }

    @Override
    public WatermarkRun measure(SparkSession spark, List<List<Row>> batches, String watermarkDelay) throws Exception {
        MemoryInput<Row> input = MemoryInput.ofRows(READINGS);
        BatchCollector sink = BatchCollector.create();
        Dataset<Row> counts = fiveMinuteCounts(input.stream().withWatermark("event_time", watermarkDelay));
        StreamingQuery query = counts.writeStream()
                .outputMode(OutputMode.Append())
                .foreachBatch(sink)
                .start();
        try {
            Map<String, Integer> firstSeenInBatch = new HashMap<>();
            long emittedWindows = 0;
            long countedEvents = 0;
            int maxBatchesWaited = 0;
            for (int batch = 0; batch < batches.size(); batch++) {
                for (Row reading : batches.get(batch)) {
                    firstSeenInBatch.putIfAbsent(windowKey(reading.getString(1), reading.getTimestamp(4)), batch);
                }
                input.addBatch(batches.get(batch));
                Streams.processAll(query);
                for (Row emitted : sink.takeNew()) {
                    Row window = emitted.getStruct(0);
                    emittedWindows++;
                    countedEvents += emitted.getLong(2);
                    int waited = batch - firstSeenInBatch.get(windowKey(emitted.getString(1), window.getTimestamp(0)));
                    maxBatchesWaited = Math.max(maxBatchesWaited, waited);
                }
            }
            return new WatermarkRun(
                    watermarkDelay, emittedWindows, countedEvents, rowsDroppedByWatermark(query), maxBatchesWaited);
        } finally {
            Streams.stop(query);
        }
    }

    @Override
    public String chooseDelay(List<WatermarkRun> runs, long totalEvents, double minCompleteness) {
        return runs.stream()
                .filter(run -> run.completeness(totalEvents) >= minCompleteness)
                .min(Comparator.comparingInt(WatermarkRun::maxBatchesWaited))
                .map(WatermarkRun::delay)
                .orElse(null);
    }

    /** A window of 4.2 by device and start time; any event time inside the window gives the same key. */
    static String windowKey(String deviceId, Timestamp eventTime) {
        long fiveMinutes = 5 * 60 * 1000L;
        return deviceId + "@" + Math.floorDiv(eventTime.getTime(), fiveMinutes) * fiveMinutes;
    }
}
