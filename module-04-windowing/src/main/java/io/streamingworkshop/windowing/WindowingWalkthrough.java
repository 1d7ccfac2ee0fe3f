package io.streamingworkshop.windowing;

import static io.streamingworkshop.testkit.Walkthrough.printer;
import static io.streamingworkshop.testkit.Walkthrough.say;
import static io.streamingworkshop.testkit.Walkthrough.section;
import static io.streamingworkshop.testkit.Walkthrough.step;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.max;

import io.streamingworkshop.datagen.AtomicFiles;
import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.GeneratedRecord;
import io.streamingworkshop.datagen.Pacing;
import io.streamingworkshop.datagen.RecordType;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.RowText;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.Walkthrough;
import io.streamingworkshop.testkit.WorkDir;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The module 4 walkthrough: windows and watermarks on datagen's streams, with late and
 * out-of-order events, live in the terminal. Run it with
 * {@code ./mvnw -q -pl module-04-windowing verify -Pwalkthrough} (your exercises) or with
 * {@code -Pwalkthrough,solutions}.
 */
public final class WindowingWalkthrough {

    private static final long SEED = 4;

    private final Windowing lab = Implementations.load(Windowing.class);
    private final SparkSession spark;
    private final WorkDir work = WorkDir.named("windowing");

    private WindowingWalkthrough(SparkSession spark) {
        this.spark = spark;
    }

    public static void main(String[] args) {
        SparkSession spark = Walkthrough.start("Module 4 walkthrough: windowing and watermarks", Windowing.class);
        WindowingWalkthrough walkthrough = new WindowingWalkthrough(spark);
        walkthrough.liveTumblingWindows();
        walkthrough.slidingWindows();
        walkthrough.sessions();
        walkthrough.latencyAgainstCompleteness();
        System.exit(Walkthrough.finish());
    }

    /** Readings from datagen's IoT files, shaped like {@link Windowing#READINGS} (ingest time: now). */
    private Dataset<Row> readings(Path dir, int filesPerTrigger) {
        return spark.readStream()
                .schema(RecordType.IOT_READING.schema())
                .option("maxFilesPerTrigger", filesPerTrigger)
                .json(dir.toString())
                .select(
                        col("event_id"),
                        col("device_id"),
                        col("sensor_id"),
                        col("temperature"),
                        col("event_time"),
                        current_timestamp().as("ingest_time"));
    }

    private void liveTumblingWindows() {
        section(
                "1. Five-minute windows, live, with late and out-of-order readings (exercises 4.1, 4.2, 4.7)",
                "datagen writes 3 devices' readings, 2 files a second: 10% arrive 14 minutes late, 20% up to",
                "3 minutes out of order. Append mode prints each window once, when the watermark (latest event",
                "time - 10 minutes) passes its end; the line under each batch shows the watermark and the drops.",
                "A reading 14 minutes late still counts if its window is open, and is dropped if it is final.");
        StreamingQuery[] finished = new StreamingQuery[1];
        step("4.2", () -> {
            Path dir = work.dir("iot-live");
            Datagen generator = Datagen.iot()
                    .seed(SEED)
                    .events(600)
                    .rate(0.25)
                    .deviceCount(3)
                    .late(0.10, Duration.ofMinutes(14))
                    .outOfOrder(0.20, Duration.ofMinutes(3))
                    .eventsPerFile(50)
                    .pacing(Pacing.filesPerSecond(2));
            Thread writer = new Thread(() -> generator.toFiles(dir), "datagen-writer");

            Dataset<Row> counts = lab.fiveMinuteCounts(lab.withEventTimeWatermark(readings(dir, 1)));
            StreamingQuery query = counts.writeStream()
                    .outputMode(OutputMode.Append())
                    .queryName("five_minute_counts")
                    .foreachBatch(printer("final windows"))
                    .start();
            StreamingQueryListener progress = new ProgressLine(query);
            spark.streams().addListener(progress);
            writer.start();
            writer.join();
            Streams.processAll(query);
            spark.streams().removeListener(progress);
            Streams.stop(query);
            finished[0] = query;
            say("  The last windows are still open: the watermark waits for later readings.");
        });
        step("4.7", () -> {
            if (finished[0] == null) {
                say("  (needs the query of exercise 4.2 above)");
                return;
            }
            say("  rowsDroppedByWatermark: " + lab.rowsDroppedByWatermark(finished[0]) + " readings were dropped:"
                    + " they belonged to windows the watermark had already passed.");
        });
    }

    private void slidingWindows() {
        section(
                "2. A moving average: 15-minute windows every 5 minutes (exercise 4.3)",
                "The same readings; one sensor's windows, each reading in three of them. Update mode shows",
                "the averages as they change; here only the final state after all files is printed.");
        step("4.3", () -> {
            Dataset<Row> averages =
                    lab.movingAverage(readings(work.dir("iot-live"), 100).withWatermark("event_time", "1 hour"));
            String sensor = spark.read()
                    .schema(RecordType.IOT_READING.schema())
                    .json(work.path("iot-live"))
                    .select("sensor_id")
                    .orderBy("sensor_id")
                    .first()
                    .getString(0);
            StreamingQuery query = averages.where(col("sensor_id").equalTo(sensor))
                    .writeStream()
                    .outputMode(OutputMode.Complete())
                    .format("memory")
                    .queryName("moving_avg")
                    .trigger(Trigger.AvailableNow())
                    .start();
            Streams.awaitTermination(query, Duration.ofMinutes(2));
            List<Row> rows = spark.table("moving_avg").orderBy("window").collectAsList();
            say("  sensor " + sensor + ": " + rows.size() + " windows");
            System.out.print(RowText.table(spark.table("moving_avg").columns(), rows, "    "));
        });
    }

    private void sessions() {
        section(
                "3. Sessions, and a gap per segment (exercises 4.4 and 4.5)",
                "datagen's clickstream for 6 users over an hour, joined with the users dimension (a stream-static",
                "join) for their segment. Sessions close 10 minutes after a user's last click; with 4.5, premium",
                "users get 20 minutes and everyone else 5. A session comes out once the watermark (latest click",
                "- 10 minutes) has passed its end.");
        Path clicks = work.dir("clicks");
        Datagen.clickstream()
                .seed(SEED)
                .events(400)
                .rate(0.1)
                .userCount(6)
                .eventsPerFile(100)
                .toFiles(clicks);
        Dataset<Row> users =
                Datagen.users().seed(SEED).userCount(6).toDataFrame(spark).select("user_id", "user_segment");
        closeEverySession(clicks, users);
        say("  segments: "
                + users.orderBy("user_id").collectAsList().stream()
                        .map(u -> u.getString(0) + " " + u.getString(1))
                        .collect(Collectors.joining(", ")));
        Dataset<Row> stream = spark.readStream()
                .schema(RecordType.CLICK.schema())
                .json(clicks.toString())
                .join(users, "user_id")
                .select(col("user_id"), col("user_segment"), col("page"), col("event_time"))
                .withWatermark("event_time", "10 minutes");
        step("4.4", () -> runToEnd(lab.sessions(stream), "sessions (10-minute gap)"));
        step("4.5", () -> runToEnd(lab.sessionsBySegment(stream), "sessions (gap by segment)"));
    }

    /**
     * A heartbeat click an hour after the last one, in a file of its own: it moves the watermark past
     * every session, so the premium users' 20-minute sessions come out too, not only the short ones.
     */
    private void closeEverySession(Path clicks, Dataset<Row> users) {
        Row last = spark.read()
                .schema(RecordType.CLICK.schema())
                .json(clicks.toString())
                .agg(max("event_time"))
                .first();
        Instant heartbeat = last.getTimestamp(0).toInstant().plus(Duration.ofHours(1));
        String user = users.orderBy("user_id").first().getString(0);
        AtomicFiles.writeLines(
                clicks,
                "zz-heartbeat.json",
                String.format(
                        Locale.ROOT,
                        "{\"event_id\":\"heartbeat\",\"user_id\":\"%s\",\"session_id\":\"heartbeat\",\"page\":\"/heartbeat\","
                                + "\"page_category\":\"heartbeat\",\"event_type\":\"heartbeat\",\"time_on_page\":0.0,"
                                + "\"event_time\":\"%s\"}",
                        user,
                        heartbeat));
        say("  a heartbeat click of " + user + " at " + heartbeat + " (an hour after the last click) closes every"
                + " session, so the 20-minute ones come out as well");
    }

    private void runToEnd(Dataset<Row> sessions, String label) throws Exception {
        StreamingQuery query = sessions.writeStream()
                .outputMode(OutputMode.Append())
                .trigger(Trigger.AvailableNow())
                .foreachBatch(printer(label))
                .start();
        Streams.awaitTermination(query, Duration.ofMinutes(2));
    }

    private void latencyAgainstCompleteness() {
        section(
                "4. Latency against completeness (exercises 4.8 and 4.9)",
                "One late-heavy stream (datagen: 15% of readings 8 minutes late, 20% out of order), fed in",
                "batches of 25, then a heartbeat an hour later that closes every window. Each delay is run with",
                "your measure(); chooseDelay() picks the fastest one that counts 95% of the readings.");
        List<GeneratedRecord> records = Datagen.iot()
                .seed(SEED)
                .events(300)
                .rate(0.2)
                .deviceCount(2)
                .late(0.15, Duration.ofMinutes(8))
                .outOfOrder(0.20, Duration.ofMinutes(4))
                .records();
        List<WatermarkRun> runs = new ArrayList<>();
        step("4.8", () -> {
            List<List<Row>> batches = batches(records, 25);
            for (String delay : List.of("2 minutes", "5 minutes", "10 minutes", "15 minutes")) {
                runs.add(lab.measure(spark, batches, delay));
            }
            say(String.format(
                    Locale.ROOT,
                    "  %-11s %8s %16s %8s %13s",
                    "delay",
                    "windows",
                    "events counted",
                    "dropped",
                    "longest wait"));
            for (WatermarkRun run : runs) {
                say(String.format(
                        Locale.ROOT,
                        "  %-11s %8d %9d (%4.1f%%) %8d %7d batches",
                        run.delay(),
                        run.emittedWindows(),
                        run.countedEvents(),
                        100 * run.completeness(records.size()),
                        run.droppedEvents(),
                        run.maxBatchesWaited()));
            }
        });
        step("4.9", () -> {
            if (runs.isEmpty()) {
                say("  (chooseDelay picks from the runs that measure() makes in exercise 4.8: do 4.8 to see it here)");
                return;
            }
            say("  chooseDelay for 95%: " + lab.chooseDelay(runs, records.size(), 0.95) + "; for 90%: "
                    + lab.chooseDelay(runs, records.size(), 0.90));
        });
    }

    /** datagen's records in arrival order, as rows of {@link Windowing#READINGS}, plus a closing heartbeat. */
    private List<List<Row>> batches(List<GeneratedRecord> records, int size) {
        List<String> json = records.stream().map(GeneratedRecord::json).toList();
        List<Row> parsed = spark.read()
                .schema(RecordType.IOT_READING.schema())
                .json(spark.createDataset(json, Encoders.STRING()))
                .collectAsList();
        List<List<Row>> batches = new ArrayList<>();
        List<Row> batch = new ArrayList<>();
        Timestamp last = null;
        for (int i = 0; i < parsed.size(); i++) {
            Row r = parsed.get(i);
            Timestamp eventTime = r.getTimestamp(r.fieldIndex("event_time"));
            batch.add(RowFactory.create(
                    r.getString(0),
                    r.getString(1),
                    r.getString(2),
                    r.getDouble(3),
                    eventTime,
                    Timestamp.from(records.get(i).arrivalTime())));
            last = last == null || eventTime.after(last) ? eventTime : last;
            if (batch.size() == size) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        Timestamp heartbeat = new Timestamp(last.getTime() + Duration.ofHours(1).toMillis());
        batches.add(List.of(RowFactory.create("heartbeat", "heartbeat", "heartbeat", 0.0, heartbeat, heartbeat)));
        return batches;
    }

    /** One line per micro-batch of the live query: what it read, the watermark, what was dropped. */
    private static final class ProgressLine extends StreamingQueryListener {
        private final StreamingQuery query;

        ProgressLine(StreamingQuery query) {
            this.query = query;
        }

        @Override
        public void onQueryStarted(QueryStartedEvent event) {}

        @Override
        public void onQueryProgress(QueryProgressEvent event) {
            StreamingQueryProgress p = event.progress();
            if (!p.id().equals(query.id()) || p.numInputRows() == 0) {
                return;
            }
            long dropped = Arrays.stream(p.stateOperators())
                    .mapToLong(o -> o.numRowsDroppedByWatermark())
                    .sum();
            String watermark = p.eventTime()
                    .getOrDefault("watermark", "none")
                    .replace('T', ' ')
                    .replace(".000Z", "");
            if (watermark.startsWith("1970-01-01")) {
                // Spark reports 0 (the epoch) until a batch has seen an event time to subtract the delay from.
                watermark = "none yet (set after the first batch's latest event time)";
            }
            say("  (batch " + p.batchId() + ": " + p.numInputRows() + " readings, latest event time "
                    + p.eventTime().getOrDefault("max", "?").replace('T', ' ').replace(".000Z", "")
                    + ", watermark " + watermark + ", " + dropped + " dropped in this batch)");
        }

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {}
    }
}
