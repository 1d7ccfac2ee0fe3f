package io.streamingworkshop.pipeline.cluster;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingworkshop.datagen.Manifest;
import io.streamingworkshop.pipeline.Pipeline;
import io.streamingworkshop.pipeline.PipelineConfig;
import io.streamingworkshop.testkit.WorkshopSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The local half of {@code scripts/cluster.sh}: what runs beside the cluster, not on it.
 *
 * {@code verify ...} proves from the master's and the workers' JSON and from the application's
 * event log that its tasks ran in executors of the given worker JVMs (saving the JSON it read in the
 * {@code --save} directory), then reads the tables the
 * application wrote with a batch Delta read and checks them. Exits 1 with the reason when a check
 * fails.
 */
public final class ClusterCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ClusterCheck() {}

    public static void main(String[] args) {
        try {
            if (args.length > 0 && args[0].equals("verify")) {
                verify(Options.parse(args));
            } else {
                throw new CheckFailed("usage: ClusterCheck verify --master-ui URL --event-log DIR"
                        + " --workers HOST:PORT,... --root DIR --input DIR --save DIR [--probe]");
            }
        } catch (CheckFailed e) {
            System.out.println("FAIL: " + e.getMessage());
            System.exit(1);
        } finally {
            WorkshopSpark.ifStarted().ifPresent(SparkSession::stop);
        }
    }

    private static void verify(Options options) {
        proveExecutorsRanInWorkers(options);
        if (options.probe) {
            checkProbeTable(options);
        } else {
            checkGoldTables(options);
        }
    }

    // ---- the executors ------------------------------------------------------------------------

    /**
     * The master knows its workers (id, host:port, web UI); each worker's JSON lists the executors
     * it ran for each application; the event log says which executor ran each task. Together: the
     * tasks ran in executors that the expected worker JVMs launched, never in the driver.
     */
    private static void proveExecutorsRanInWorkers(Options options) {
        String appId = applicationId(options.eventLog);
        Map<String, Integer> tasksByExecutor = tasksByExecutor(options.eventLog);
        int allTasks =
                tasksByExecutor.values().stream().mapToInt(Integer::intValue).sum();

        JsonNode master = getJson(options.masterUi + "/json/", options.saveTo.resolve("master.json"));
        System.out.printf(
                "Cluster: master %s, %d workers alive, application %s%n",
                master.path("url").asText(), master.path("aliveworkers").asInt(), appId);

        Map<String, Integer> tasksByWorker = new LinkedHashMap<>();
        int tasksInWorkers = 0;
        for (JsonNode worker : master.path("workers")) {
            String hostPort =
                    worker.path("host").asText() + ":" + worker.path("port").asInt();
            JsonNode workerState = getJson(
                    worker.path("webuiaddress").asText() + "/json/",
                    options.saveTo.resolve("worker-" + worker.path("port").asInt() + ".json"));
            List<String> executors = new ArrayList<>();
            for (String list : List.of("executors", "finishedexecutors")) {
                for (JsonNode executor : workerState.path(list)) {
                    if (executor.path("appid").asText().equals(appId)) {
                        executors.add(executor.path("id").asText());
                    }
                }
            }
            int tasks = executors.stream()
                    .mapToInt(id -> tasksByExecutor.getOrDefault(id, 0))
                    .sum();
            tasksInWorkers += tasks;
            System.out.printf(
                    "  worker %s (%s, %s): executors %s ran %,d tasks%n",
                    hostPort,
                    worker.path("id").asText(),
                    worker.path("state").asText(),
                    executors.isEmpty() ? "none" : String.join(", ", executors),
                    tasks);
            if (options.workers.contains(hostPort) && tasks > 0) {
                tasksByWorker.put(hostPort, tasks);
            }
        }
        if (!tasksByWorker.keySet().containsAll(options.workers)) {
            throw new CheckFailed("the tasks did not run in every worker JVM: expected executors with tasks in "
                    + options.workers + ", found them in " + tasksByWorker.keySet()
                    + " (executors' logs: target/cluster/work/" + appId + ")");
        }
        if (tasksInWorkers != allTasks) {
            throw new CheckFailed((allTasks - tasksInWorkers) + " of " + allTasks
                    + " tasks ran outside the workers' executors: " + tasksByExecutor);
        }
        System.out.printf(
                "OK: all %,d tasks ran in executors of %d separate worker JVMs%n", allTasks, tasksByWorker.size());
    }

    private static Path eventLogFile(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().startsWith("app-"))
                    .toList();
            if (logs.size() != 1) {
                throw new CheckFailed("expected one application's event log in " + dir + ", found " + logs);
            }
            return logs.get(0);
        } catch (IOException e) {
            throw new CheckFailed("cannot list the event logs in " + dir + ": " + e.getMessage());
        }
    }

    private static String applicationId(Path eventLogDir) {
        return eventLogFile(eventLogDir).getFileName().toString().replaceFirst("\\.inprogress$", "");
    }

    private static Map<String, Integer> tasksByExecutor(Path eventLogDir) {
        Map<String, Integer> tasks = new TreeMap<>();
        try (Stream<String> lines = Files.lines(eventLogFile(eventLogDir))) {
            lines.filter(line -> line.startsWith("{\"Event\":\"SparkListenerTaskEnd\""))
                    .map(ClusterCheck::readJson)
                    .forEach(event -> tasks.merge(
                            event.path("Task Info").path("Executor ID").asText(), 1, Integer::sum));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tasks.isEmpty()) {
            throw new CheckFailed("the event log in " + eventLogDir + " records no finished task");
        }
        return tasks;
    }

    // ---- the tables ---------------------------------------------------------------------------

    private static void checkProbeTable(Options options) {
        Manifest manifest = Manifest.read(options.input);
        long rows = table(options, ClusterProbe.TABLE).count();
        System.out.printf("Probe table: %,d rows for %,d records in the input%n", rows, manifest.records());
        // Malformed lines are rows of nulls, duplicates rows like the others: one row per record.
        if (rows != manifest.records()) {
            throw new CheckFailed(
                    "the probe table has " + rows + " rows, the input " + manifest.records() + " records");
        }
    }

    /**
     * Each gold window is written once, when the watermark (the latest event time in silver minus
     * {@link Pipeline#WATERMARK_DELAY}) has passed its end: so a gold table's events add up to the
     * silver rows of exactly the windows that ended by then.
     */
    private static void checkGoldTables(Options options) {
        Manifest manifest = Manifest.read(options.input);
        Dataset<Row> silver = table(options, PipelineConfig.SILVER);
        long silverRows = silver.count();
        long quarantined = table(options, PipelineConfig.QUARANTINE).count();
        System.out.printf(
                "Silver: %,d rows (the input has %,d valid events); quarantine: %,d rows (%,d malformed)%n",
                silverRows, manifest.validEvents(), quarantined, manifest.malformed());
        if (silverRows == 0) {
            throw new CheckFailed("the silver table is empty");
        }
        Timestamp latest = silver.agg(max("event_time")).first().getTimestamp(0);
        Timestamp watermark = new Timestamp(
                latest.getTime() - parseDelay(Pipeline.WATERMARK_DELAY).toMillis());
        System.out.printf("Latest event time in silver %s, so the watermark is at %s%n", latest, watermark);

        for (String windowDuration : Pipeline.GOLD_WINDOWS) {
            String name = PipelineConfig.goldName(windowDuration);
            Dataset<Row> gold = table(options, name);
            Row figures = gold.agg(expr("count(*)"), sum("events"), expr("count(distinct window_start)"))
                    .first();
            long rows = figures.getLong(0);
            long events = figures.isNullAt(1) ? 0 : figures.getLong(1);
            long expected = silver.withColumn("w", window(col("event_time"), windowDuration))
                    .filter(col("w.end").leq(watermark))
                    .count();
            System.out.printf(
                    "Gold %s: %,d rows in %,d final windows, %,d events; silver has %,d events in"
                            + " windows that ended by the watermark%n",
                    name, rows, figures.getLong(2), events, expected);
            if (rows == 0 && expected > 0) {
                throw new CheckFailed(name + " is empty, though " + expected + " silver events lie in final windows");
            }
            if (events != expected) {
                throw new CheckFailed(name + " counts " + events + " events, silver has " + expected
                        + " in the windows that are final");
            }
        }
        Dataset<Row> gold5m = table(options, PipelineConfig.goldName(Pipeline.GOLD_WINDOWS.get(0)));
        if (gold5m.isEmpty()) {
            throw new CheckFailed("the gold table " + PipelineConfig.goldName(Pipeline.GOLD_WINDOWS.get(0))
                    + " is empty: give the input a longer span of event time than the watermark delay");
        }
        System.out.println("OK: the gold tables hold rows and agree with silver");
    }

    private static Dataset<Row> table(Options options, String name) {
        Path path = options.root.resolve("tables").resolve(name);
        if (!Files.isDirectory(path.resolve("_delta_log"))) {
            throw new CheckFailed("no Delta table at " + path);
        }
        return WorkshopSpark.session().read().format("delta").load(path.toString());
    }

    private static Duration parseDelay(String delay) {
        String[] parts = delay.trim().split("\\s+");
        long amount = Long.parseLong(parts[0]);
        String unit = parts[1].toLowerCase();
        if (unit.startsWith("sec")) {
            return Duration.ofSeconds(amount);
        } else if (unit.startsWith("min")) {
            return Duration.ofMinutes(amount);
        } else if (unit.startsWith("hour")) {
            return Duration.ofHours(amount);
        }
        throw new IllegalArgumentException("unknown unit in '" + delay + "'");
    }

    // ---- plumbing -----------------------------------------------------------------------------

    /** The JSON at {@code url}, also saved to {@code copy} for whoever looks into a run later. */
    private static JsonNode getJson(String url, Path copy) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new CheckFailed(url + " answered HTTP " + response.statusCode());
            }
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, response.body());
            return readJson(response.body());
        } catch (IOException e) {
            throw new CheckFailed(url + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailed("interrupted while reading " + url);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new CheckFailed("not JSON: " + text.substring(0, Math.min(200, text.length())));
        }
    }

    /** A failed check: its message is the one line the script prints. */
    private static final class CheckFailed extends RuntimeException {
        CheckFailed(String message) {
            super(message);
        }
    }

    private record Options(
            String masterUi, Path eventLog, List<String> workers, Path root, Path input, Path saveTo, boolean probe) {

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean probe = false;
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--probe")) {
                    probe = true;
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    values.put(args[i], args[++i]);
                } else {
                    throw new CheckFailed("unknown argument '" + args[i] + "'");
                }
            }
            for (String required : List.of("--master-ui", "--event-log", "--workers", "--root", "--input", "--save")) {
                if (!values.containsKey(required)) {
                    throw new CheckFailed("verify needs " + required);
                }
            }
            return new Options(
                    values.get("--master-ui"),
                    Path.of(values.get("--event-log")),
                    List.of(values.get("--workers").split(",")),
                    Path.of(values.get("--root")),
                    Path.of(values.get("--input")),
                    Path.of(values.get("--save")),
                    probe);
        }
    }
}
