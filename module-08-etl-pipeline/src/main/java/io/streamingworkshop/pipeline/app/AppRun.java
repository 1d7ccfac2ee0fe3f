package io.streamingworkshop.pipeline.app;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.pipeline.Pipeline;
import io.streamingworkshop.pipeline.PipelineConfig;
import io.streamingworkshop.pipeline.RunningPipeline;
import io.streamingworkshop.testkit.ExerciseNotDoneException;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.JavaVersionCheck;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * One run of the application: the dashboard (bound first, so a busy port is refused before Spark
 * starts), the SparkSession, the users table, the click feed, the pipeline's queries and the
 * snapshots pushed to the page every {@link #SNAPSHOT_EVERY}. {@link PipelineApp} runs it from the
 * command line; the browser test runs it in its own JVM.
 */
final class AppRun implements AutoCloseable {

    enum State {
        STARTING,
        RUNNING,
        FINISHED,
        STOPPED,
        FAILED
    }

    static final Duration SNAPSHOT_EVERY = Duration.ofMillis(1500);

    /** How long --check waits past --duration for the first gold row (a slow machine, not a broken run). */
    static final Duration CHECK_GRACE = Duration.ofSeconds(240);

    private final AppSettings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final Dashboard dashboard;
    private long startedMillis;
    private final Object lock = new Object();
    private volatile State state = State.STARTING;
    private volatile String error;
    private volatile boolean stopRequested;
    private volatile boolean closed;
    private volatile SparkSession spark;
    private volatile PipelineConfig config;
    private volatile RunningPipeline running;
    private volatile ClickFeed feed;
    private volatile Snapshots snapshots;
    private volatile QueryHealth health;
    private volatile long firstGoldMillis = -1;
    private ScheduledExecutorService publisher;

    private AppRun(AppSettings settings, PrintStream out, PrintStream err, Dashboard dashboard) {
        this.settings = settings;
        this.out = out;
        this.err = err;
        this.dashboard = dashboard;
        this.startedMillis = jvmStartMillis();
    }

    /**
     * Starts everything and returns while the pipeline runs. {@code session} is the SparkSession to
     * use (a test's), or null to build one from the settings.
     */
    static AppRun start(AppSettings settings, PrintStream out, PrintStream err, SparkSession session) throws Exception {
        if (!settings.generate() && settings.kafka() == null && !Files.isDirectory(settings.inputDirectory())) {
            throw new UsageException("the input directory " + settings.inputDirectory()
                    + " does not exist (give --input DIR, or let the application generate clicks)");
        }
        Dashboard dashboard = settings.dashboard() ? Dashboard.start(settings.port()) : null;
        AppRun run = new AppRun(settings, out, err, dashboard);
        if (session != null) {
            run.startedMillis = System.currentTimeMillis(); // in a test's JVM: time from this call
        }
        try {
            run.startEverything(session);
        } catch (Exception | Error e) {
            run.close();
            throw e;
        }
        return run;
    }

    private void startEverything(SparkSession session) throws Exception {
        Pipeline pipeline = Implementations.load(Pipeline.class);
        out.printf(
                "Pipeline application: the %s pipeline (%s), tables and checkpoints under %s%n",
                Implementations.mode().name().toLowerCase(Locale.ROOT),
                pipeline.getClass().getSimpleName(),
                settings.root());
        if (dashboard != null) {
            out.println("Dashboard: " + dashboard.url() + "   (Ctrl-C stops the pipeline cleanly)");
            dashboard.publish("{\"state\":\"starting\",\"queries\":{},\"tables\":{},\"error\":null}");
        }
        out.flush();
        spark = session != null ? session : createSession();
        Files.createDirectories(settings.root());
        ensureUsersTable();
        PipelineConfig.Input input = settings.kafka() != null
                ? new PipelineConfig.Kafka(settings.kafka(), settings.topic())
                : new PipelineConfig.Files(settings.inputDirectory());
        config = PipelineConfig.under(settings.root(), input, settings.users())
                .withTrigger(
                        settings.availableNow()
                                ? Trigger.AvailableNow()
                                : Trigger.ProcessingTime(settings.trigger().toMillis()));
        health = new QueryHealth(java.util.Set.copyOf(PipelineConfig.names()));
        spark.streams().addListener(health);
        snapshots = new Snapshots(spark, config, health);
        if (settings.generate()) {
            if (settings.kafka() == null) {
                Files.createDirectories(settings.feedDirectory());
            }
            feed = ClickFeed.start(settings, !settings.availableNow());
            out.printf(
                    "Feed: run %d, %,d clicks %s into %s%n",
                    feed.runNumber(),
                    settings.events(),
                    settings.availableNow()
                            ? "as fast as possible"
                            : String.format(
                                    Locale.ROOT,
                                    "at %s per second (simulated clock %dx)",
                                    trimmed(settings.rate()),
                                    ClickFeed.TIME_SCALE),
                    settings.kafka() != null ? "topic " + settings.topic() : settings.feedDirectory());
        }
        publisher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dashboard-snapshots");
            thread.setDaemon(true);
            return thread;
        });
        publisher.scheduleWithFixedDelay(this::publishSnapshot, 0, SNAPSHOT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        if (!settings.availableNow()) {
            try {
                running = pipeline.start(spark, config);
            } catch (Exception e) {
                fail("the pipeline did not start: " + describe(e));
                return;
            }
            state = State.RUNNING;
            out.println("Pipeline running: queries "
                    + String.join(", ", running.queries().keySet()));
        } else {
            state = State.RUNNING;
            this.pipeline = pipeline;
        }
    }

    private Pipeline pipeline;

    private SparkSession createSession() {
        JavaVersionCheck.requireSupportedJava();
        // The dashboard says when batches fall behind; in the terminal it would be a line every batch.
        org.apache.logging.log4j.core.config.Configurator.setLevel(
                "org.apache.spark.sql.execution.streaming.ProcessingTimeExecutor",
                org.apache.logging.log4j.Level.ERROR);
        // "Truncated the string representation of a plan": the pipeline's plans are wide; nothing to act on.
        org.apache.logging.log4j.core.config.Configurator.setLevel(
                "org.apache.spark.sql.catalyst.util.SparkStringUtils", org.apache.logging.log4j.Level.ERROR);
        // A second run on the same root reloads each stateful query's state once, with a warning that
        // says itself that this is normal.
        org.apache.logging.log4j.core.config.Configurator.setLevel(
                "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider",
                org.apache.logging.log4j.Level.ERROR);
        SparkSession.Builder builder = SparkSession.builder().appName("pipeline-app");
        if (settings.master() != null) {
            builder.master(settings.master());
        } else if (System.getProperty("spark.master") == null) {
            builder.master("local[2]"); // spark-submit sets spark.master; otherwise a laptop's two cores
        }
        boolean local = settings.master() == null
                ? System.getProperty("spark.master", "local").startsWith("local")
                : settings.master().startsWith("local");
        if (local) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        return builder.config("spark.ui.enabled", false)
                .config("spark.ui.showConsoleProgress", false)
                .config("spark.sql.shuffle.partitions", 2)
                .config("spark.default.parallelism", 2)
                .config("spark.sql.session.timeZone", "UTC")
                .config(
                        "spark.sql.warehouse.dir",
                        settings.root().resolve("warehouse").toString())
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.databricks.delta.snapshotPartitions", 2)
                // The pipeline's plans are wide: without this Spark warns that it shortened one.
                .config("spark.sql.debug.maxToStringFields", 200)
                .getOrCreate();
    }

    private void ensureUsersTable() {
        Path users = settings.users();
        if (Files.isDirectory(users.resolve("_delta_log"))) {
            return;
        }
        Datagen.users().userCount(ClickFeed.USERS).toDelta(spark, users.toString());
        out.println("Users: wrote the users dimension (" + ClickFeed.USERS + " users) to " + users);
    }

    /** Waits until the run ends (its duration, Ctrl-C, --available-now's end); returns the exit code. */
    int awaitEnd() throws Exception {
        if (state == State.FAILED) {
            return keepShowingFailure();
        }
        if (settings.availableNow()) {
            return processAvailable();
        }
        long deadline = settings.duration() == null
                ? Long.MAX_VALUE
                : System.currentTimeMillis() + settings.duration().toMillis();
        boolean graceGiven = false;
        while (!stopRequested) {
            if (System.currentTimeMillis() >= deadline) {
                // --check on a slow machine: the duration may end before the first window closed. Wait
                // once, for a bounded time, for the first gold row rather than fail a run that is only slow.
                if (!settings.check() || graceGiven || firstGoldMillis >= 0) {
                    break;
                }
                graceGiven = true;
                deadline = System.currentTimeMillis() + CHECK_GRACE.toMillis();
                out.printf(
                        "Check: no gold row yet when the duration ended; waiting up to %d s more for the first one%n",
                        CHECK_GRACE.toSeconds());
            }
            if (graceGiven && firstGoldMillis >= 0) {
                break;
            }
            String failure = failedQuery();
            if (failure != null) {
                fail(failure);
                return keepShowingFailure();
            }
            if (feed != null && feed.failure() != null) {
                fail("the click feed failed: " + feed.failure());
                return keepShowingFailure();
            }
            Thread.sleep(250);
        }
        return finish(State.STOPPED);
    }

    /** --available-now: every layer in turn, until a round finds nothing new (its last batches close windows). */
    private int processAvailable() throws Exception {
        if (feed != null) {
            feed.awaitFinished();
            if (feed.failure() != null) {
                fail("the click feed failed: " + feed.failure());
                return finish(State.FAILED);
            }
            out.printf("Feed: wrote %,d clicks%n", feed.written());
        }
        // One round runs each query once over what its input held when it started; a layer's output is
        // the next layer's input, so three rounds carry a click from the input to gold. A fourth finds nothing.
        for (int round = 1; round <= 6 && !stopRequested; round++) {
            try {
                running = pipeline.start(spark, config);
                for (StreamingQuery query : running.queries().values()) {
                    query.awaitTermination();
                }
            } catch (StreamingQueryException e) {
                fail(describe(e));
                return finish(State.FAILED);
            } catch (Exception e) {
                fail("the pipeline did not start: " + describe(e));
                return finish(State.FAILED);
            }
            long rows = 0;
            for (StreamingQuery query : running.queries().values()) {
                for (var progress : query.recentProgress()) {
                    rows += progress.numInputRows();
                }
            }
            out.printf("Round %d: %,d rows read by the queries%n", round, rows);
            if (rows == 0) {
                break;
            }
        }
        return finish(stopRequested ? State.STOPPED : State.FINISHED);
    }

    private int keepShowingFailure() throws InterruptedException {
        if (dashboard != null && settings.duration() == null && !settings.availableNow()) {
            out.println("The dashboard stays up to show the error: Ctrl-C quits.");
            while (!stopRequested) {
                Thread.sleep(250);
            }
        }
        return finish(State.FAILED);
    }

    private String failedQuery() {
        RunningPipeline current = running;
        if (current == null) {
            return null;
        }
        for (Map.Entry<String, StreamingQuery> entry : current.queries().entrySet()) {
            if (entry.getValue().exception().isDefined()) {
                return entry.getKey() + " failed: "
                        + describe(entry.getValue().exception().get());
            }
        }
        return null;
    }

    private void fail(String message) {
        error = message;
        state = State.FAILED;
        err.println("pipeline-app: " + PipelineApp.oneLine(message));
        publishSnapshot();
    }

    /** Stops everything once; prints what the tables hold; returns the exit code. */
    private int finish(State end) {
        synchronized (lock) {
            if (closed) {
                return state == State.FAILED ? PipelineApp.FAILED : PipelineApp.OK;
            }
            if (state != State.FAILED) {
                state = end;
            }
            stopQueries();
            publishSnapshot();
            Map<String, Long> rows = tableRows();
            out.println("Stopped. Rows per table: " + rows);
            if (firstGoldMillis >= 0) {
                out.printf("First gold rows seen %.1f s after the JVM started%n", firstGoldMillis / 1000.0);
            }
            int code = state == State.FAILED ? PipelineApp.FAILED : PipelineApp.OK;
            if (settings.check() && code == PipelineApp.OK) {
                code = check(rows);
            }
            closeQuietly();
            return code;
        }
    }

    private int check(Map<String, Long> rows) {
        boolean layers =
                rows.getOrDefault(PipelineConfig.BRONZE, 0L) > 0 && rows.getOrDefault(PipelineConfig.SILVER, 0L) > 0;
        boolean gold = rows.entrySet().stream().anyMatch(e -> e.getKey().startsWith("gold_") && e.getValue() > 0);
        if (layers && gold) {
            out.println("Check passed: bronze, silver and gold hold rows.");
            return PipelineApp.OK;
        }
        err.println(
                "pipeline-app: check failed: bronze, silver and at least one gold table must hold rows, got " + rows);
        return PipelineApp.FAILED;
    }

    private Map<String, Long> tableRows() {
        Map<String, Long> rows = new LinkedHashMap<>();
        if (spark == null || config == null) {
            return rows;
        }
        for (String name : PipelineConfig.names()) {
            Path table = Path.of(config.table(name));
            try {
                rows.put(
                        name,
                        Snapshots.latestVersion(table) < 0
                                ? 0
                                : spark.read()
                                        .format("delta")
                                        .load(table.toString())
                                        .count());
            } catch (RuntimeException e) {
                rows.put(name, -1L);
            }
        }
        return rows;
    }

    private void stopQueries() {
        // Stopping interrupts the running batches; Delta's writer then logs "Aborting job" with no
        // message. Expected at a stop, so not worth a line: the batch runs again on the next start.
        org.apache.logging.log4j.core.config.Configurator.setLevel(
                "org.apache.spark.sql.delta.files.DeltaFileFormatWriter", org.apache.logging.log4j.Level.OFF);
        if (feed != null) {
            feed.close();
        }
        RunningPipeline current = running;
        if (current != null) {
            try {
                current.stop();
            } catch (Exception e) {
                err.println("pipeline-app: a query did not stop in time: " + describe(e));
            }
        }
    }

    private void publishSnapshot() {
        if (dashboard == null && firstGoldMillis >= 0) {
            return;
        }
        Snapshots current = snapshots;
        if (current == null) {
            return;
        }
        try {
            var snapshot = current.take(state, error, running, feed);
            if (firstGoldMillis < 0) {
                for (var table : (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>)
                        snapshot.get("tables")::fields) {
                    if (table.getKey().startsWith("gold_")
                            && table.getValue().path("rows").asLong() > 0) {
                        firstGoldMillis = System.currentTimeMillis() - startedMillis;
                        out.printf(
                                "First gold rows (%s) %.1f s after the JVM started%n",
                                table.getKey(), firstGoldMillis / 1000.0);
                        break;
                    }
                }
            }
            if (dashboard != null) {
                dashboard.publish(current.toJson(snapshot));
            }
        } catch (RuntimeException e) {
            // A snapshot taken while Spark stops may fail; the next one will do.
        }
    }

    /** Ctrl-C: stop the queries before Spark's own shutdown stops the SparkContext under them. */
    void stopFromSignal() {
        stopRequested = true;
        if (!closed) {
            out.println();
            out.println("Stopping the pipeline (Ctrl-C)...");
            finish(State.STOPPED);
        }
    }

    /** Asks the run to end; {@link #awaitEnd} then stops everything and returns. */
    void requestStop() {
        stopRequested = true;
    }

    String url() {
        return dashboard == null ? null : dashboard.url();
    }

    State state() {
        return state;
    }

    PipelineConfig config() {
        return config;
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (!closed) {
                stopQueries();
                closeQuietly();
            }
        }
    }

    private void closeQuietly() {
        closed = true;
        if (publisher != null) {
            publisher.shutdownNow();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (spark != null && health != null) {
            spark.streams().removeListener(health);
        }
    }

    /** An exception as one line: what went wrong at its root, without Spark's wrapping. */
    static String describe(Throwable e) {
        Throwable t = e;
        if (t instanceof StreamingQueryException && t.getCause() != null) {
            t = t.getCause();
        }
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? "" : t.getMessage().strip();
        if (t instanceof ExerciseNotDoneException || t instanceof UsageException) {
            return PipelineApp.oneLine(message);
        }
        String firstLine = message.lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + (firstLine.isEmpty() ? "" : ": " + firstLine);
    }

    private static String trimmed(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static long jvmStartMillis() {
        try {
            return ManagementFactory.getRuntimeMXBean().getStartTime();
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }
}
