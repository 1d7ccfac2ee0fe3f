package io.streamingworkshop.windowing;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.session_window;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

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

import io.streamingworkshop.testkit.BatchCollector;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.Todo;

/**
 * Your work for module 4. Each method is one exercise of module-04-windowing/README.md; replace its
 * {@code throw Todo.exercise(...)} with your code, then run {@code ./mvnw test -pl module-04-windowing}.
 */
public class WindowingExercise implements Windowing {

    @Override
    public Dataset<Row> withEventTimeWatermark(Dataset<Row> readings) {
        // TODO 4.1: a watermark on the right time column that tolerates 10 minutes of lateness.
        throw Todo.exercise("4.1", "A watermark on event time");
    }

    @Override
    public Dataset<Row> fiveMinuteCounts(Dataset<Row> watermarkedReadings) {
        // TODO 4.2: group by a tumbling 5-minute window of event_time and device_id; count as events,
        //           average temperature as avg_temperature.
        throw Todo.exercise("4.2", "Tumbling windows");
    }

    @Override
    public Dataset<Row> movingAverage(Dataset<Row> watermarkedReadings) {
        // TODO 4.3: 15-minute windows sliding every 5 minutes, per sensor_id; avg(temperature) as moving_avg.
        throw Todo.exercise("4.3", "Sliding windows");
    }

    @Override
    public Dataset<Row> sessions(Dataset<Row> watermarkedClicks) {
        // TODO 4.4: group by user_id and a session window with a 10-minute gap; count as clicks.
        throw Todo.exercise("4.4", "Session windows");
    }

    @Override
    public Dataset<Row> sessionsBySegment(Dataset<Row> watermarkedClicks) {
        // TODO 4.5: as 4.4, with a gap of 20 minutes for premium users and 5 minutes for the others.
        throw Todo.exercise("4.5", "A session gap per segment");
    }

    @Override
    public DataStreamWriter<Row> writerFor(Dataset<Row> windowCounts, Audience audience) {
        // TODO 4.6: the writer with the output mode each audience needs. Do not start it.
        throw Todo.exercise("4.6", "Append or update");
    }

    @Override
    public long rowsDroppedByWatermark(StreamingQuery query) {
        // TODO 4.7: add up numRowsDroppedByWatermark of every state operator in every progress report.
        throw Todo.exercise("4.7", "Count what the watermark dropped");
    }

    @Override
    public WatermarkRun measure(SparkSession spark, List<List<Row>> batches, String watermarkDelay) throws Exception {
        // TODO 4.8: run your 4.2 count with this watermark delay in append mode over the batches (one
        //           micro-batch each) and fill a WatermarkRun. windowKey(...) below helps with the waits.
        throw Todo.exercise("4.8", "Measure a watermark");
    }

    @Override
    public String chooseDelay(List<WatermarkRun> runs, long totalEvents, double minCompleteness) {
        // TODO 4.9: the delay of the run that meets minCompleteness with the fewest batches waited, or null.
        throw Todo.exercise("4.9", "Choose a watermark delay");
    }

    /** A window of 4.2 by device and start time; any event time inside the window gives the same key. */
    static String windowKey(String deviceId, Timestamp eventTime) {
        long fiveMinutes = 5 * 60 * 1000L;
        return deviceId + "@" + Math.floorDiv(eventTime.getTime(), fiveMinutes) * fiveMinutes;
    }
}
