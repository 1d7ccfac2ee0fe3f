package io.streamingworkshop.pipeline.app;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamingworkshop.pipeline.Pipeline;
import io.streamingworkshop.pipeline.PipelineConfig;
import io.streamingworkshop.pipeline.RunningPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * The dashboard's picture of the pipeline, as one JSON object: the state of the run, each table's
 * rows (batch reads of the Delta tables the streaming queries write), each query's health, and
 * the gold metrics per window for the charts.
 *
 * <p>A table is read again only when its Delta log has a new version, so an idle pipeline costs
 * no Spark jobs. Each table's entry carries the version it was read at: a test can read the same
 * version with time travel and compare exactly.
 */
final class Snapshots {

    /** Windows per gold table drawn in the charts: the latest ones. */
    static final int CHART_WINDOWS = 24;

    /** Throughput samples kept for the rate chart: about two minutes. */
    static final int RATE_SAMPLES = 80;

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_CLOCK =
            DateTimeFormatter.ofPattern("MMM d HH:mm").withZone(ZoneOffset.UTC);

    private final ObjectMapper json = new ObjectMapper();
    private final SparkSession spark;
    private final PipelineConfig config;
    private final QueryHealth health;
    private final Map<String, Long> versionsRead = new HashMap<>();
    private final Map<String, ObjectNode> tableCache = new HashMap<>();
    private final Deque<RateSample> rates = new ArrayDeque<>();
    private final Instant started = Instant.now();
    private final Map<String, DeltaLogRows> logRows = new HashMap<>();
    private ObjectNode reasons;
    private long reasonsReadAt;

    /** How often the quarantine's reasons are counted (a Spark job); its row count is always current. */
    static final Duration REASONS_EVERY = Duration.ofSeconds(10);

    private record RateSample(long atMillis, Map<String, Long> inputRows) {}

    Snapshots(SparkSession spark, PipelineConfig config, QueryHealth health) {
        this.spark = spark;
        this.config = config;
        this.health = health;
    }

    /** A snapshot of everything; {@code pipeline} is null while it starts. */
    synchronized ObjectNode take(AppRun.State state, String error, RunningPipeline pipeline, ClickFeed feed) {
        ObjectNode root = json.createObjectNode();
        root.put("time", Instant.now().toString());
        root.put("state", state.name().toLowerCase());
        root.put(
                "implementation",
                io.streamingworkshop.testkit.Implementations.mode().name().toLowerCase());
        root.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        root.put("input", describeInput());
        root.put("trigger", triggerText(config.trigger()));
        ObjectNode feedNode = root.putObject("feed");
        feedNode.put("active", feed != null);
        if (feed != null) {
            feedNode.put("run", feed.runNumber());
            feedNode.put("written", feed.written());
            feedNode.put("planned", feed.planned());
            feedNode.put("finished", feed.finished());
            feedNode.put(
                    "eventTime",
                    feed.latestEventTime() == null
                            ? null
                            : feed.latestEventTime().toString());
        }
        String failure = error;
        ObjectNode queries = root.putObject("queries");
        if (pipeline != null) {
            for (Map.Entry<String, StreamingQuery> entry : pipeline.queries().entrySet()) {
                String problem = addQuery(queries, entry.getKey(), entry.getValue());
                if (problem != null && failure == null) {
                    failure = entry.getKey() + " failed: " + problem;
                }
            }
        }
        addRates(root.putObject("rates"));
        ObjectNode tables = root.putObject("tables");
        for (String name : PipelineConfig.names()) {
            try {
                tables.set(name, table(name));
            } catch (RuntimeException e) {
                // A table half-written by a failing query must not take the dashboard down with it.
                tables.putObject(name).put("error", AppRun.describe(e));
            }
        }
        if (failure != null) {
            root.put("error", failure);
        } else {
            root.putNull("error");
        }
        return root;
    }

    /** "every 2s", "available now": Spark's toString of a trigger is a class name. */
    static String triggerText(org.apache.spark.sql.streaming.Trigger trigger) {
        String text = String.valueOf(trigger);
        java.util.regex.Matcher interval = java.util.regex.Pattern.compile("ProcessingTimeTrigger\\((\\d+)\\)")
                .matcher(text);
        if (interval.matches()) {
            long ms = Long.parseLong(interval.group(1));
            return ms == 0
                    ? "as fast as possible"
                    : ms % 1000 == 0 ? "every " + ms / 1000 + " s" : "every " + ms + " ms";
        }
        return text.contains("AvailableNow") ? "available now" : text;
    }

    String toJson(ObjectNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String describeInput() {
        if (config.input() instanceof PipelineConfig.Kafka kafka) {
            return "Kafka topic " + kafka.topic() + " at " + kafka.bootstrapServers();
        }
        return "files in " + ((PipelineConfig.Files) config.input()).directory();
    }

    // ---- queries ------------------------------------------------------------------------------

    /** Adds one query's health; returns its failure, if it failed. */
    private String addQuery(ObjectNode queries, String name, StreamingQuery query) {
        ObjectNode node = queries.putObject(name);
        boolean active = query.isActive();
        node.put("active", active);
        QueryHealth.Totals totals = health.of(name);
        StreamingQueryProgress last = totals == null ? query.lastProgress() : totals.last;
        if (totals != null) {
            node.put("inputRowsTotal", totals.inputRows);
            node.put("droppedByWatermark", totals.droppedByWatermark);
            node.put("batches", totals.batches);
        }
        if (last != null) {
            node.put("batchId", last.batchId());
            node.put("inputRowsPerSecond", finite(last.inputRowsPerSecond()));
            node.put("processedRowsPerSecond", finite(last.processedRowsPerSecond()));
            Long duration = last.durationMs().get("triggerExecution");
            node.put("batchDurationMs", duration == null ? 0 : duration);
            node.put("lastInputRows", last.numInputRows());
            String watermark = last.eventTime().get("watermark");
            node.put("watermark", watermark == null || watermark.startsWith("1970-01-01") ? null : watermark);
            long stateRows = 0;
            for (var state : last.stateOperators()) {
                stateRows += state.numRowsTotal();
            }
            node.put("stateRows", stateRows);
        }
        String problem = null;
        if (query.exception().isDefined()) {
            problem = AppRun.describe(query.exception().get());
            node.put("exception", problem);
        }
        return problem;
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? Math.round(value * 10) / 10.0 : 0;
    }

    /** Rows per second into each query, from the totals' growth between two snapshots. */
    private void addRates(ObjectNode node) {
        Map<String, Long> now = new HashMap<>();
        for (String name : PipelineConfig.names()) {
            QueryHealth.Totals totals = health.of(name);
            now.put(name, totals == null ? 0L : totals.inputRows);
        }
        long nowMillis = System.currentTimeMillis();
        RateSample previous = rates.peekLast();
        rates.addLast(new RateSample(nowMillis, now));
        while (rates.size() > RATE_SAMPLES + 1) {
            rates.removeFirst();
        }
        ArrayNode times = node.putArray("t");
        ObjectNode series = node.putObject("series");
        PipelineConfig.names().forEach(series::putArray);
        RateSample before = null;
        for (RateSample sample : rates) {
            if (before != null) {
                double seconds = Math.max(0.001, (sample.atMillis - before.atMillis) / 1000.0);
                times.add(Math.round((sample.atMillis - nowMillis) / 1000.0));
                for (String name : PipelineConfig.names()) {
                    double perSecond = (sample.inputRows.get(name) - before.inputRows.get(name)) / seconds;
                    ((ArrayNode) series.get(name)).add(Math.round(perSecond * 10) / 10.0);
                }
            }
            before = sample;
        }
        if (previous == null) {
            node.put("note", "rates appear from the second update on");
        }
    }

    // ---- tables -------------------------------------------------------------------------------

    private ObjectNode table(String name) {
        Path dir = Path.of(config.table(name));
        long version = latestVersion(dir);
        if (version < 0) {
            ObjectNode missing = json.createObjectNode();
            missing.put("rows", 0);
            missing.put("version", -1);
            return missing;
        }
        Long read = versionsRead.get(name);
        boolean reasonsDue = name.equals(PipelineConfig.QUARANTINE)
                && System.currentTimeMillis() - reasonsReadAt >= REASONS_EVERY.toMillis();
        if (read != null && read == version && !reasonsDue) {
            return tableCache.get(name);
        }
        ObjectNode node = json.createObjectNode();
        node.put("version", version);
        if (name.startsWith("gold_")) {
            // Gold changes only when a window closes: a batch read at that version, for the charts.
            gold(
                    node,
                    spark.read().format("delta").option("versionAsOf", version).load(dir.toString()),
                    name);
        } else {
            // Bronze, silver and quarantine change every micro-batch: their row counts come from the
            // Delta log's per-file statistics, read incrementally, so that counting costs no Spark job.
            node.put(
                    "rows",
                    logRows.computeIfAbsent(name, n -> new DeltaLogRows(dir)).rowsUpTo(version));
            if (name.equals(PipelineConfig.QUARANTINE)) {
                if (reasonsDue || reasons == null) {
                    reasons = json.createObjectNode();
                    Dataset<Row> table = spark.read()
                            .format("delta")
                            .option("versionAsOf", version)
                            .load(dir.toString());
                    for (Row row : table.groupBy("reason").count().collectAsList()) {
                        reasons.put(String.valueOf(row.getString(0)), row.getLong(1));
                    }
                    reasonsReadAt = System.currentTimeMillis();
                }
                node.set("reasons", reasons);
            }
        }
        versionsRead.put(name, version);
        tableCache.put(name, node);
        return node;
    }

    /** The gold table's totals, and its latest windows as series per page category and per segment. */
    private void gold(ObjectNode node, Dataset<Row> table, String name) {
        Row totals = table.agg(count(lit(1)), sum("events"), sum("page_views"), max("window_start"))
                .first();
        long rows = totals.getLong(0);
        node.put("rows", rows);
        node.put("events", rows == 0 ? 0 : totals.getLong(1));
        node.put("pageViews", rows == 0 ? 0 : totals.getLong(2));
        ArrayNode labels = node.putArray("windows");
        ObjectNode byCategory = node.putObject("eventsByCategory");
        ObjectNode bySegment = node.putObject("eventsBySegment");
        ObjectNode usersByCategory = node.putObject("uniqueUsersByCategory");
        ObjectNode timeBySegment = node.putObject("avgTimeOnPageBySegment");
        if (rows == 0) {
            node.put("windowCount", 0);
            return;
        }
        Duration size = windowSize(name);
        Timestamp latest = totals.getTimestamp(3);
        Timestamp from = Timestamp.from(latest.toInstant().minus(size.multipliedBy(CHART_WINDOWS - 1)));
        node.put("windowCount", table.select("window_start").distinct().count());
        node.put("latestWindow", latest.toInstant().toString());
        List<Row> recent = table.where(col("window_start").geq(lit(from)))
                .select("window_start", "page_category", "user_segment", "events", "unique_users", "avg_time_on_page")
                .collectAsList();
        TreeSet<Instant> windows = new TreeSet<>();
        TreeSet<String> categories = new TreeSet<>();
        TreeSet<String> segments = new TreeSet<>();
        Map<String, Map<Instant, double[]>> cells = new HashMap<>();
        for (Row row : recent) {
            Instant window = row.getTimestamp(0).toInstant();
            String category = String.valueOf(row.getString(1));
            String segment = String.valueOf(row.getString(2));
            long events = row.isNullAt(3) ? 0 : row.getLong(3);
            long users = row.isNullAt(4) ? 0 : row.getLong(4);
            double avg = row.isNullAt(5) ? 0 : row.getDouble(5);
            windows.add(window);
            categories.add(category);
            segments.add(segment);
            add(cells, "c:" + category, window, events, users, 0);
            add(cells, "s:" + segment, window, events, 0, avg * events);
        }
        boolean days = size.compareTo(Duration.ofHours(1)) >= 0 || spansDays(windows);
        windows.forEach(w -> labels.add((days ? DAY_CLOCK : CLOCK).format(w)));
        for (String category : categories) {
            ArrayNode events = byCategory.putArray(category);
            ArrayNode users = usersByCategory.putArray(category);
            Map<Instant, double[]> series = cells.getOrDefault("c:" + category, Map.of());
            for (Instant w : windows) {
                double[] cell = series.getOrDefault(w, new double[3]);
                events.add((long) cell[0]);
                // Each user is in one segment: the segments' approximate counts add up per category.
                users.add((long) cell[1]);
            }
        }
        for (String segment : segments) {
            ArrayNode events = bySegment.putArray(segment);
            ArrayNode time = timeBySegment.putArray(segment);
            Map<Instant, double[]> series = cells.getOrDefault("s:" + segment, Map.of());
            for (Instant w : windows) {
                double[] cell = series.getOrDefault(w, new double[3]);
                events.add((long) cell[0]);
                // The average over all the segment's clicks: each group's average weighted by its clicks.
                time.add(cell[0] == 0 ? 0 : Math.round(cell[2] / cell[0] * 10) / 10.0);
            }
        }
    }

    private static void add(
            Map<String, Map<Instant, double[]>> cells,
            String key,
            Instant window,
            long events,
            long users,
            double weightedTime) {
        double[] cell = cells.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(window, w -> new double[3]);
        cell[0] += events;
        cell[1] += users;
        cell[2] += weightedTime;
    }

    private static boolean spansDays(TreeSet<Instant> windows) {
        return !windows.isEmpty()
                && Duration.between(windows.first(), windows.last()).compareTo(Duration.ofHours(20)) > 0;
    }

    static Duration windowSize(String goldName) {
        for (String window : Pipeline.GOLD_WINDOWS) {
            if (PipelineConfig.goldName(window).equals(goldName)) {
                String[] parts = window.split("\\s+");
                long amount = Long.parseLong(parts[0]);
                return switch (parts[1].charAt(0)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
        }
        throw new IllegalArgumentException("not a gold table: " + goldName);
    }

    /** The newest committed version in a Delta table's log, or -1 when there is no table yet. */
    static long latestVersion(Path table) {
        Path log = table.resolve("_delta_log");
        if (!Files.isDirectory(log)) {
            return -1;
        }
        try (Stream<Path> entries = Files.list(log)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\d{20}\\.json"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20)))
                    .max()
                    .orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }
}
