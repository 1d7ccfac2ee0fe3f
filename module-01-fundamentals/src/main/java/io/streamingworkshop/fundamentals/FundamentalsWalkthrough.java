package io.streamingworkshop.fundamentals;

import static io.streamingworkshop.testkit.Walkthrough.pause;
import static io.streamingworkshop.testkit.Walkthrough.printer;
import static io.streamingworkshop.testkit.Walkthrough.say;
import static io.streamingworkshop.testkit.Walkthrough.section;
import static io.streamingworkshop.testkit.Walkthrough.step;
import static org.apache.spark.sql.functions.col;

import io.streamingworkshop.datagen.AtomicFiles;
import io.streamingworkshop.testkit.Failures;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.RowText;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.Times;
import io.streamingworkshop.testkit.Walkthrough;
import io.streamingworkshop.testkit.WorkDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The module 1 walkthrough: the lecture's ideas, live in the terminal. Run it with
 * {@code ./mvnw -q -pl module-01-fundamentals -am verify -Pwalkthrough} (your exercises) or with
 * {@code -Pwalkthrough,solutions} (the reference). Steps whose exercise you have not done yet are
 * skipped with a note.
 */
public final class FundamentalsWalkthrough {

    private static final StructType SCHEMA = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add("temperature", DataTypes.DoubleType)
            .add("event_time", DataTypes.TimestampType);

    private final Fundamentals lab = Implementations.load(Fundamentals.class);
    private final SparkSession spark;
    private final WorkDir work = WorkDir.named("fundamentals");
    private final Random random = new Random(42);
    private int nextEvent = 1;
    private Instant clock = Times.instant("2024-05-01 10:00:00");

    private FundamentalsWalkthrough(SparkSession spark) {
        this.spark = spark;
    }

    public static void main(String[] args) {
        SparkSession spark =
                Walkthrough.start("Module 1 walkthrough: Structured Streaming fundamentals", Fundamentals.class);
        FundamentalsWalkthrough walkthrough = new FundamentalsWalkthrough(spark);
        walkthrough.unboundedTable();
        walkthrough.incrementalModel();
        walkthrough.triggers();
        walkthrough.checkpoints();
        walkthrough.refusals();
        System.exit(Walkthrough.finish());
    }

    private void unboundedTable() {
        section(
                "1. A directory becomes an unbounded table (exercise 1.1)",
                "A streaming query reads a directory as a table that keeps growing: each new file adds rows,",
                "and each micro-batch processes only the rows that are new since the last one.");
        step("1.1", () -> {
            Path in = work.dir("arrivals");
            Dataset<Row> events = lab.readSensorEvents(spark, in.toString());
            say("Schema of the stream: " + events.schema().simpleString());
            StreamingQuery query = events.writeStream()
                    .queryName("arrivals")
                    .foreachBatch(printer("arrivals"))
                    .start();
            for (int file = 1; file <= 3; file++) {
                say("Writing part-00" + file + ".json ...");
                AtomicFiles.writeLines(in, "part-00" + file + ".json", events(file + 1));
                Streams.processAll(query);
                pause(300);
            }
            say("Three files, three micro-batches: nothing was read twice.");
            Streams.stop(query);
        });
    }

    private void incrementalModel() {
        section(
                "2. The incremental model: complete vs update mode (exercises 1.6 and 1.7)",
                "A running count keeps state between micro-batches. Complete mode re-emits the whole result",
                "table every time; update mode emits only the rows this micro-batch changed. Same input for both:");
        List<List<Row>> batches = List.of(
                List.of(reading("d1"), reading("d1"), reading("d2")), List.of(reading("d3")), List.of(reading("d1")));
        step("1.6", () -> feedCounts("complete", batches, true));
        step("1.7", () -> feedCounts("update", batches, false));
    }

    private void feedCounts(String label, List<List<Row>> batches, boolean complete) throws Exception {
        MemoryInput<Row> input = MemoryInput.ofRows(SCHEMA);
        StreamingQuery query = (complete
                        ? lab.countsInCompleteMode(input.stream())
                        : lab.countsInUpdateMode(input.stream()))
                .foreachBatch(printer(label + " mode"))
                .start();
        for (List<Row> batch : batches) {
            say("  input: " + batch.stream().map(r -> r.getString(1)).collect(Collectors.joining(", ")));
            input.addBatch(batch);
            Streams.processAll(query);
        }
        Streams.stop(query);
    }

    private void triggers() {
        section(
                "3. Triggers decide when a micro-batch starts (exercises 1.3, 1.4, 1.5)",
                "Default: as soon as the previous one ends. Processing time: on a fixed schedule.",
                "AvailableNow: everything there now, in several batches, then stop. Continuous: no batches at all.");
        step("1.3", () -> {
            MemoryInput<Row> input = MemoryInput.ofRows(SCHEMA);
            StreamingQuery query = lab.startEveryTwoSeconds(input.stream(), "every_two_seconds");
            // A row every half second, without waiting for the query in between: waiting with
            // processAll after each row would make every row miss a tick and double the gaps.
            for (int i = 0; i < 8; i++) {
                input.addBatch(reading("d" + i));
                Walkthrough.pause(500);
            }
            Streams.processAll(query);
            List<Instant> starts = Streams.batchesWithInput(query).stream()
                    .map(p -> Instant.parse(p.timestamp()))
                    .toList();
            List<String> gaps = new ArrayList<>();
            for (int i = 1; i < starts.size(); i++) {
                gaps.add(String.format(
                        Locale.ROOT,
                        "%.1f s",
                        Duration.between(starts.get(i - 1), starts.get(i)).toMillis() / 1000.0));
            }
            say("  processing time: a row every half second; micro-batches with data started at "
                    + starts.stream().map(t -> t.toString().substring(11, 19)).collect(Collectors.joining(", "))
                    + ", measured gaps " + String.join(", ", gaps) + ".");
            say("  The trigger starts a micro-batch at most every two seconds; a busy machine can make a gap longer,"
                    + " never shorter.");
            Streams.stop(query);
        });
        step("1.4", () -> {
            Path backlog = work.dir("backlog");
            for (int file = 1; file <= 3; file++) {
                AtomicFiles.writeLines(backlog, "part-00" + file + ".json", events(file));
            }
            StreamingQuery query = lab.startBacklogRun(spark, backlog.toString(), SCHEMA, "backlog");
            boolean stopped = Streams.awaitTermination(query, Duration.ofSeconds(60));
            say("  available now: " + Streams.batchesWithInput(query).size() + " micro-batches with "
                    + Streams.batchesWithInput(query).stream()
                            .map(p -> String.valueOf(p.numInputRows()))
                            .collect(Collectors.joining(", "))
                    + " rows, then the query " + (stopped ? "stopped by itself." : "was still running after 60 s."));
        });
        step("1.5", () -> {
            StreamingQuery query = lab.startContinuousDoubling(spark, "doubled");
            pause(3000);
            List<Row> rows =
                    spark.table("doubled").orderBy(col("value")).limit(5).collectAsList();
            say("  continuous: " + spark.table("doubled").count() + " rows after 3 s, with no micro-batches"
                    + " (lastProgress is " + query.lastProgress() + "). The first ones:");
            System.out.print(RowText.table(spark.table("doubled").columns(), rows, "    "));
            Streams.stop(query);
        });
    }

    private void checkpoints() {
        section(
                "4. Checkpoints: stop, restart, nothing twice, nothing lost (exercise 1.8)",
                "The checkpoint directory records each batch's offsets before it runs and a commit after it,",
                "so a restarted query continues exactly where the last one stopped.");
        step("1.8", () -> {
            Path in = work.dir("ingest-in");
            String out = work.path("ingest-out");
            String checkpoint = work.path("ingest-checkpoint");
            AtomicFiles.writeLines(in, "part-001.json", events(3));
            StreamingQuery first = lab.startParquetIngest(spark, in.toString(), SCHEMA, out, checkpoint);
            Streams.processAll(first);
            Streams.stop(first);
            say("  run 1 read " + rowsRead(first) + " rows; the Parquet output holds "
                    + spark.read().parquet(out).count());
            say("  the checkpoint now holds: " + listing(Path.of(checkpoint)));
            AtomicFiles.writeLines(in, "part-002.json", events(2));
            say("  a new file with 2 events arrived while the query was stopped");
            StreamingQuery second = lab.startParquetIngest(spark, in.toString(), SCHEMA, out, checkpoint);
            Streams.processAll(second);
            Streams.stop(second);
            say("  run 2 read " + rowsRead(second) + " rows; the Parquet output holds "
                    + spark.read().parquet(out).count());
        });
    }

    private void refusals() {
        section(
                "5. When Spark refuses to start a query (exercise 1.9)",
                "Streaming queries are checked when they start: some combinations have no meaning.");
        step("1.9", () -> {
            MemoryInput<Row> input = MemoryInput.ofRows(SCHEMA);
            Optional<String> complete = lab.whySparkRefuses(input.stream()
                    .writeStream()
                    .format("memory")
                    .queryName("refused_complete")
                    .outputMode(OutputMode.Complete()));
            say("  complete mode without an aggregation: "
                    + complete.map(Failures::firstLine).orElse("started"));
            Optional<String> continuous = lab.whySparkRefuses(spark.readStream()
                    .format("rate")
                    .load()
                    .groupBy(col("value").mod(2))
                    .count()
                    .writeStream()
                    .format("memory")
                    .queryName("refused_continuous")
                    .outputMode(OutputMode.Complete())
                    .trigger(Trigger.Continuous("1 second")));
            say("  an aggregation in continuous mode: "
                    + continuous.map(Failures::firstLine).orElse("started"));
        });
    }

    private List<String> events(int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clock = clock.plusSeconds(1 + random.nextInt(20));
            lines.add(String.format(
                    Locale.ROOT,
                    "{\"event_id\":\"e-%03d\",\"device_id\":\"sensor-%d\",\"temperature\":%.1f,\"event_time\":\"%s\"}",
                    nextEvent++,
                    1 + random.nextInt(3),
                    18 + random.nextDouble() * 8,
                    clock));
        }
        return lines;
    }

    private static Row reading(String device) {
        return RowFactory.create("e-" + device, device, 20.0, Times.ts("2024-05-01 10:00:00"));
    }

    private static long rowsRead(StreamingQuery query) {
        return Arrays.stream(query.recentProgress())
                .mapToLong(StreamingQueryProgress::numInputRows)
                .sum();
    }

    private static String listing(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : ""))
                    .sorted()
                    .collect(Collectors.joining(" "));
        }
    }
}
