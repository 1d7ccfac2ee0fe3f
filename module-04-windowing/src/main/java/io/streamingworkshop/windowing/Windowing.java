package io.streamingworkshop.windowing;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Module 4, windowing and watermarks: the exercises of this lab, one method each.
 * {@link WindowingExercise} is where you write them; {@link WindowingSolution} is the reference.
 * The README (module-04-windowing/README.md) explains each one; {@code WindowingTest} checks them.
 *
 * <p>Two input streams ({@link #READINGS} and {@link #CLICKS}):
 * <ul>
 *   <li><b>readings</b>: {@code event_id} string, {@code device_id} string, {@code sensor_id} string,
 *       {@code temperature} double, {@code event_time} timestamp (when the sensor measured),
 *       {@code ingest_time} timestamp (when the pipeline received it);</li>
 *   <li><b>clicks</b>: {@code user_id} string, {@code user_segment} string ({@code "new"},
 *       {@code "regular"}, {@code "premium"} or {@code "at_risk"}, as in the datagen users dimension), {@code page} string, {@code event_time} timestamp.</li>
 * </ul>
 */
public interface Windowing {

    /** The schema of the readings stream. */
    StructType READINGS = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add("sensor_id", DataTypes.StringType)
            .add("temperature", DataTypes.DoubleType)
            .add("event_time", DataTypes.TimestampType)
            .add("ingest_time", DataTypes.TimestampType);

    /** The schema of the clicks stream. */
    StructType CLICKS = new StructType()
            .add("user_id", DataTypes.StringType)
            .add("user_segment", DataTypes.StringType)
            .add("page", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType);

    /** Who consumes the windowed counts, for exercise 4.6. */
    enum Audience {
        /** Raises an alert per window: wants each window once, final, never revised. */
        ALERTING,
        /** Shows live charts: wants every change to a window as soon as it happens. */
        DASHBOARD
    }

    /**
     * Exercise 4.1: the readings with an event-time watermark that tolerates events up to
     * 10 minutes late, measured on {@code event_time}. Columns unchanged.
     */
    Dataset<Row> withEventTimeWatermark(Dataset<Row> readings);

    /**
     * Exercise 4.2: per device and tumbling 5-minute window of {@code event_time}: {@code window},
     * {@code device_id}, {@code events} (the count) and {@code avg_temperature}. The input already
     * carries its watermark (from 4.1); do not add another.
     */
    Dataset<Row> fiveMinuteCounts(Dataset<Row> watermarkedReadings);

    /**
     * Exercise 4.3: a moving average per sensor: 15-minute windows of {@code event_time} that slide
     * every 5 minutes; columns {@code window}, {@code sensor_id}, {@code moving_avg}. The input
     * already carries its watermark.
     */
    Dataset<Row> movingAverage(Dataset<Row> watermarkedReadings);

    /**
     * Exercise 4.4: user sessions: clicks of the same user at most 10 minutes apart form one
     * session ({@code session_window}); columns {@code user_id}, {@code session_window},
     * {@code clicks}. The input already carries its watermark.
     */
    Dataset<Row> sessions(Dataset<Row> watermarkedClicks);

    /**
     * Exercise 4.5: like 4.4, but the gap depends on the user's segment: 20 minutes for
     * {@code "premium"} users, 5 minutes for everyone else; columns {@code user_id},
     * {@code session_window}, {@code clicks}.
     */
    Dataset<Row> sessionsBySegment(Dataset<Row> watermarkedClicks);

    /**
     * Exercise 4.6: a writer for windowed counts (the output of 4.2) that gives {@code audience}
     * what it needs, with the output mode that keeps the state bounded by the watermark. Do not
     * choose a sink or start it.
     */
    DataStreamWriter<Row> writerFor(Dataset<Row> windowCounts, Audience audience);

    /**
     * Exercise 4.7: how many input rows the query's stateful operators have dropped as too late
     * (behind the watermark), over all the progress reports it still holds.
     */
    long rowsDroppedByWatermark(StreamingQuery query);

    /**
     * Exercise 4.8: runs the five-minute count per device (4.2's aggregation, with a watermark of
     * {@code watermarkDelay} on {@code event_time}) in append mode over {@code batches}, one
     * micro-batch per list, and reports what it produced.
     */
    WatermarkRun measure(SparkSession spark, List<List<Row>> batches, String watermarkDelay) throws Exception;

    /**
     * Exercise 4.9: among {@code runs} (one per delay, over the same input of {@code totalEvents}
     * events), the delay of the run whose windows wait the fewest batches while counting at least
     * {@code minCompleteness} (e.g. 0.95) of the events; {@code null} if no run meets it.
     */
    String chooseDelay(List<WatermarkRun> runs, long totalEvents, double minCompleteness);
}
