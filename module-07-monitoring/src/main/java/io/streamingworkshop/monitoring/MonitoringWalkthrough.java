package io.streamingworkshop.monitoring;

import static io.streamingworkshop.testkit.Walkthrough.say;
import static io.streamingworkshop.testkit.Walkthrough.section;
import static io.streamingworkshop.testkit.Walkthrough.step;
import static org.apache.spark.sql.functions.col;

import io.streamingworkshop.testkit.ExerciseNotDoneException;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.Walkthrough;
import io.streamingworkshop.testkit.WorkDir;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.MapFunction;
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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The module 7 walkthrough: a query that falls behind and recovers, watched live through its
 * progress, alerts, the Spark UI and the Prometheus endpoint; then a poison record, a supervised
 * restart from the checkpoint, and a checkpoint broken by a changed query. Run it with
 * {@code ./mvnw -q -pl module-07-monitoring verify -Pwalkthrough} (your exercises) or with
 * {@code -Pwalkthrough,solutions}.
 */
public final class MonitoringWalkthrough {

    /** Events with the cost (ms) of processing each one: the walkthrough's slow step sleeps that long. */
    static final StructType COSTLY_EVENTS = new StructType()
            .add("id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType)
            .add("cost_ms", DataTypes.IntegerType);

    static final StructType EVENTS = new StructType()
            .add("id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType);

    private final Monitoring lab = Implementations.load(Monitoring.class);
    private final SparkSession spark;
    private final WorkDir work = WorkDir.named("monitoring");

    private MonitoringWalkthrough(SparkSession spark) {
        this.spark = spark;
    }

    public static void main(String[] args) {
        // Settings Spark reads when the session starts (SparkConf takes spark.* system properties):
        // a listener by configuration, the streaming metrics, and the Prometheus servlet on the UI.
        System.setProperty("spark.sql.streaming.streamingQueryListeners", ConfiguredListener.class.getName());
        System.setProperty("spark.sql.streaming.metricsEnabled", "true");
        System.setProperty(
                "spark.metrics.conf.*.sink.prometheusServlet.class", "org.apache.spark.metrics.sink.PrometheusServlet");
        System.setProperty("spark.metrics.conf.*.sink.prometheusServlet.path", "/metrics/prometheus/");
        SparkSession spark =
                Walkthrough.start("Module 7 walkthrough: monitoring and production practice", Monitoring.class);
        MonitoringWalkthrough walkthrough = new MonitoringWalkthrough(spark);
        walkthrough.fallingBehindAndRecovering();
        walkthrough.poisonRecordAndSupervisedRestart();
        walkthrough.brokenCheckpoint();
        System.exit(Walkthrough.finish());
    }

    /** Registered by configuration, not by code: every query of the session is reported. */
    public static final class ConfiguredListener extends StreamingQueryListener {
        @Override
        public void onQueryStarted(QueryStartedEvent event) {
            say("  [listener from spark.sql.streaming.streamingQueryListeners] started " + event.name());
        }

        @Override
        public void onQueryProgress(QueryProgressEvent event) {}

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {
            say("  [listener from spark.sql.streaming.streamingQueryListeners] terminated " + event.id()
                    + (event.exception().isDefined() ? " with an error" : ""));
        }
    }

    private void fallingBehindAndRecovering() {
        section(
                "1. A query that falls behind, then recovers (exercises 7.1, 7.2, 7.4, 7.5, 7.8)",
                "Rows arrive every 40 ms (25 rows/s). For 3 seconds each row costs 80 ms to process (at most",
                "12.5 rows/s), then nothing: the query falls behind, its batches grow, then it drains the backlog.",
                "Every new progress report is printed as your 7.1 line, with the alerts of your 7.5 rules",
                "(2 batches in a row for FALLING_BEHIND and STATE_GROWING, a 1000 ms trigger interval).");
        step("7.1", () -> {
            List<String> events = new CopyOnWriteArrayList<>();
            StreamingQueryListener recorder = lab.eventRecorder(events);
            spark.streams().addListener(recorder);
            MemoryInput<Row> input = MemoryInput.ofRows(COSTLY_EVENTS);
            Dataset<Row> processed = input.stream()
                    .coalesce(1)
                    .map(
                            (MapFunction<Row, Row>) row -> {
                                Thread.sleep(row.getInt(3));
                                return row;
                            },
                            Encoders.row(COSTLY_EVENTS));
            ProgressWatcher watcher = lab.alerts(
                    new AlertRules(2, 1000),
                    alert -> say("    ALERT " + alert.kind() + " at batch " + alert.batchId() + ": " + alert.detail()));
            say("  (warming Spark up first: the first batch of a JVM takes seconds by itself)");
            MemoryInput<Row> warmUp = MemoryInput.ofRows(COSTLY_EVENTS);
            StreamingQuery warmUpQuery = warmUp.stream()
                    .coalesce(1)
                    .writeStream()
                    .queryName("warm_up")
                    .foreachBatch((batch, id) -> {
                        batch.count();
                    })
                    .start();
            warmUp.addBatch(RowFactory.create("w", "d1", new Timestamp(System.currentTimeMillis()), 0));
            Streams.processAll(warmUpQuery);
            Streams.stop(warmUpQuery);
            StreamingQuery query = processed
                    .writeStream()
                    .queryName("falls_behind")
                    .trigger(Trigger.ProcessingTime(1000))
                    .foreachBatch((batch, id) -> {
                        batch.count();
                    })
                    .start();
            printUrls(query);
            long start = System.currentTimeMillis();
            long lastShown = -1;
            int n = 0;
            boolean scraped = false;
            boolean recovered = false;
            // Until a batch after the slow phase keeps up again (processed faster than rows arrive), 25 s at most.
            while (!recovered && System.currentTimeMillis() - start < 25_000) {
                long elapsed = System.currentTimeMillis() - start;
                input.addBatch(RowFactory.create(
                        "a-" + (++n), "d1", new Timestamp(System.currentTimeMillis()), elapsed < 3_000 ? 80 : 0));
                for (StreamingQueryProgress progress : query.recentProgress()) {
                    if (progress.numInputRows() > 0 && progress.batchId() > lastShown) {
                        lastShown = progress.batchId();
                        say("  " + lab.progressLine(progress));
                        watcher.onProgress(progress);
                        recovered =
                                elapsed > 6_000 && progress.processedRowsPerSecond() > progress.inputRowsPerSecond();
                    }
                }
                if (!scraped && elapsed > 5_000) {
                    scraped = true;
                    scrapePrometheus(query.name());
                }
                Walkthrough.pause(40);
            }
            Streams.stop(query);
            spark.streams().removeListener(recorder);
            say("  Your 7.2 monitor, after the run: " + lab.monitor(query).size() + " batches read rows.");
            say("  Your 7.4 listener recorded: " + String.join(" | ", compressIdle(events)));
        });
    }

    private void printUrls(StreamingQuery query) {
        if (spark.sparkContext().uiWebUrl().isDefined()) {
            String ui = spark.sparkContext().uiWebUrl().get();
            say("  While it runs: " + ui + "/StreamingQuery/ (the UI's Structured Streaming tab) and " + ui
                    + "/metrics/prometheus/ (what Prometheus would scrape)");
        } else {
            say("  (the Spark UI is off: -Dworkshop.ui=false)");
        }
    }

    /** Fetches the Prometheus endpoint over HTTP, as a scraper would, and shows this query's gauges. */
    private void scrapePrometheus(String queryName) {
        if (!spark.sparkContext().uiWebUrl().isDefined()) {
            return;
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            spark.sparkContext().uiWebUrl().get() + "/metrics/prometheus/"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            say("  GET /metrics/prometheus/ -> HTTP " + response.statusCode() + "; the gauges of this query:");
            response.body()
                    .lines()
                    .filter(line -> line.contains("spark_streaming_" + queryName))
                    .forEach(line -> say("    " + line));
            try {
                say("  Your 7.8 queryGauges: " + lab.queryGauges(response.body(), queryName));
            } catch (ExerciseNotDoneException e) {
                say("  (your 7.8 queryGauges is not done yet)");
            }
        } catch (Exception e) {
            say("  (could not scrape the metrics: " + e.getMessage() + ")");
        }
    }

    private static List<String> compressIdle(List<String> events) {
        List<String> shown = new ArrayList<>();
        for (String event : events) {
            if (!(event.startsWith("idle")
                    && !shown.isEmpty()
                    && shown.get(shown.size() - 1).startsWith("idle"))) {
                shown.add(event);
            }
        }
        return shown;
    }

    private void poisonRecordAndSupervisedRestart() {
        section(
                "2. A poison record, a supervised restart, and the checkpoint in between (exercises 7.3, 7.6, 7.7)",
                "Three JSON files; the second holds a record that the parsing step cannot take (id p-7).",
                "Your 7.6 supervisor restarts the query from its checkpoint; the hook sets p-7 aside first.");
        step("7.6", () -> {
            Path in = work.dir("in");
            write(in.resolve("part-1.json"), 1, "r1", "r2", "r3");
            write(in.resolve("part-2.json"), 2, "r4", "p-7", "r6");
            write(in.resolve("part-3.json"), 3, "r7", "r8", "r9");
            Set<String> deadLetters = new LinkedHashSet<>();
            String checkpoint = work.path("checkpoint");
            QueryStarter starter = location -> {
                Set<String> quarantined = Set.copyOf(deadLetters);
                return spark.readStream()
                        .schema(EVENTS)
                        .option("maxFilesPerTrigger", 1)
                        .json(in.toString())
                        .filter((FilterFunction<Row>) row -> !quarantined.contains(row.getString(0)))
                        .map(
                                (MapFunction<Row, Row>) row -> {
                                    if (row.getString(0).startsWith("p-")) {
                                        throw new IllegalArgumentException("poison record " + row.getString(0));
                                    }
                                    return row;
                                },
                                Encoders.row(EVENTS))
                        .writeStream()
                        .queryName("supervised")
                        .trigger(Trigger.AvailableNow())
                        .foreachBatch((batch, id) -> {
                            say("    batch " + id + " written: "
                                    + batch.select("id").as(Encoders.STRING()).collectAsList());
                        })
                        .option("checkpointLocation", location)
                        .start();
            };
            RestartHooks hooks = new RestartHooks() {
                @Override
                public void failed(int attempt, Throwable rootCause) {
                    say("  attempt " + attempt + " failed: " + rootCause.getMessage());
                    try {
                        say("  the checkpoint now: " + lab.inspectCheckpoint(Path.of(checkpoint)));
                    } catch (Exception e) {
                        say("  (checkpoint not inspected: " + e.getMessage() + ")");
                    }
                    Matcher poison =
                            Pattern.compile("poison record (\\S+)").matcher(String.valueOf(rootCause.getMessage()));
                    if (poison.find()) {
                        deadLetters.add(poison.group(1));
                        say("  set aside (dead letters): " + deadLetters);
                    }
                }

                @Override
                public void sleep(Duration backoff) throws InterruptedException {
                    say("  waiting " + backoff.toMillis() + " ms before the next start");
                    Thread.sleep(backoff.toMillis());
                }
            };
            SupervisedRun run = lab.supervise(starter, checkpoint, 3, Duration.ofMillis(500), hooks);
            say("  " + run);
            say("  the checkpoint at the end: " + lab.inspectCheckpoint(Path.of(checkpoint)));
        });
    }

    private static void write(Path file, int minutesAgo, String... ids) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (String id : ids) {
            lines.append("{\"id\":\"")
                    .append(id)
                    .append("\",\"device_id\":\"d1\",\"event_time\":\"2024-05-01T10:00:00Z\"}\n");
        }
        Files.writeString(file, lines);
        // The file source reads files oldest first.
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - (10 - minutesAgo) * 60_000L));
    }

    private void brokenCheckpoint() {
        section(
                "3. What breaks a checkpoint (exercise 7.3)",
                "A count per device runs on a checkpoint; then the same checkpoint is given a count per device and",
                "hour. Spark refuses at the first batch that touches the state.");
        step("7.3", () -> {
            MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
            String checkpoint = work.path("counts-checkpoint");
            StreamingQuery before = input.stream()
                    .groupBy(col("device_id"))
                    .count()
                    .writeStream()
                    .queryName("count_per_device")
                    .outputMode(OutputMode.Update())
                    .foreachBatch((batch, id) -> {
                        batch.count(); // a foreachBatch that never reads its batch never runs the aggregation
                    })
                    .option("checkpointLocation", checkpoint)
                    .start();
            input.addBatch(RowFactory.create("e1", "d1", Timestamp.valueOf("2024-05-01 10:00:00")));
            Streams.processAll(before);
            Streams.stop(before);
            StreamingQuery after = input.stream()
                    .groupBy(
                            col("device_id"),
                            org.apache
                                    .spark
                                    .sql
                                    .functions
                                    .hour(col("event_time"))
                                    .as("hour"))
                    .count()
                    .writeStream()
                    .queryName("count_per_device_and_hour")
                    .outputMode(OutputMode.Update())
                    .foreachBatch((batch, id) -> {
                        batch.count();
                    })
                    .option("checkpointLocation", checkpoint)
                    .start();
            input.addBatch(RowFactory.create("e2", "d1", Timestamp.valueOf("2024-05-01 11:00:00")));
            QuerySnapshot snapshot = lab.snapshot(after, 30_000);
            say("  restarted with another grouping key: terminated=" + snapshot.terminated() + ", the root cause:");
            say("    " + snapshot.error());
            say("  The way out: a new checkpoint, and a backfill of what the old query would have produced.");
        });
    }
}
