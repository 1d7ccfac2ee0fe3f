package io.streamingworkshop.pipeline;

import static io.streamingworkshop.testkit.Walkthrough.say;
import static io.streamingworkshop.testkit.Walkthrough.section;
import static io.streamingworkshop.testkit.Walkthrough.step;
import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.Pacing;
import io.streamingworkshop.datagen.WriteSummary;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.RowText;
import io.streamingworkshop.testkit.Walkthrough;
import io.streamingworkshop.testkit.WorkDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The module 8 walkthrough: the whole pipeline, live. datagen writes clickstream files in the
 * background while the five queries run; every micro-batch of every layer prints a line with its
 * rows in, rows out and watermark. Run it with {@code ./mvnw -q -pl module-08-etl-pipeline verify
 * -Pwalkthrough} (your exercises) or with {@code -Pwalkthrough,solutions}.
 */
public final class PipelineWalkthrough {

    private final Pipeline lab = Implementations.load(Pipeline.class);
    private final SparkSession spark;
    private final WorkDir work = WorkDir.named("pipeline");

    private PipelineWalkthrough(SparkSession spark) {
        this.spark = spark;
    }

    public static void main(String[] args) {
        SparkSession spark =
                Walkthrough.start("Module 8 walkthrough: the bronze, silver and gold pipeline", Pipeline.class);
        new PipelineWalkthrough(spark).livePipeline();
        System.exit(Walkthrough.finish());
    }

    private void livePipeline() {
        section(
                "The pipeline, live (exercises 8.1 to 8.7)",
                "datagen writes 1,800 clicks of 200 users, one every 3 s of event time (90 minutes), 5% 10 minutes",
                "late, 3% twice, 2% malformed, as 18 files, 1 file a second. The users table knows 180 users.",
                "Five queries run, each from one Delta table to the next. Each line below is one micro-batch:",
                "rows in, rows out (for quarantine: rows quarantined) and the query's watermark.");
        step("8.7", () -> {
            Path usersTable = work.root().resolve("users");
            Datagen.users().userCount(180).toDelta(spark, usersTable.toString());
            Path input = work.dir("input");
            PipelineConfig config = PipelineConfig.under(
                            work.dir("pipeline"), new PipelineConfig.Files(input), usersTable)
                    .withTrigger(Trigger.ProcessingTime("2 seconds"));
            StreamingQueryListener printer = new BatchLines(config);
            spark.streams().addListener(printer);
            RunningPipeline pipeline = lab.start(spark, config);
            CompletableFuture<WriteSummary> writing = CompletableFuture.supplyAsync(() -> Datagen.clickstream()
                    .events(1_800)
                    .seed(8)
                    .rate(1.0 / 3)
                    .userCount(200)
                    .late(0.05, Duration.ofMinutes(10))
                    .duplicates(0.03, Duration.ofSeconds(30))
                    .malformed(0.02)
                    .eventsPerFile(100)
                    .pacing(Pacing.filesPerSecond(1))
                    .toFiles(input));
            WriteSummary written = writing.join();
            pipeline.processAllAvailable();
            spark.streams().removeListener(printer);
            pipeline.stop();
            say("");
            say(String.format(
                    Locale.ROOT,
                    "datagen wrote %,d lines in %d files. What each table holds now:",
                    written.records(),
                    written.files()));
            for (String name : PipelineConfig.names()) {
                say(String.format(
                        Locale.ROOT,
                        "  %-11s %,6d rows",
                        name,
                        spark.read().format("delta").load(config.table(name)).count()));
            }
            say("");
            say("Quarantine, per reason:");
            for (Row row : spark.read()
                    .format("delta")
                    .load(config.table(PipelineConfig.QUARANTINE))
                    .groupBy("reason")
                    .count()
                    .orderBy("reason")
                    .collectAsList()) {
                say("  " + RowText.of(row));
            }
            say("");
            say("gold_1h (each window written once, when the watermark passed its end):");
            for (Row row : spark.read()
                    .format("delta")
                    .load(config.table("gold_1h"))
                    .orderBy(col("window_start"), col("page_category"), col("user_segment"))
                    .limit(8)
                    .collectAsList()) {
                say("  " + RowText.of(row));
            }
            say("The later windows are still open: they end less than 15 minutes before the newest click.");
        });
    }

    /** One line per micro-batch of any query: its name, batch, rows in and out, watermark. */
    private final class BatchLines extends StreamingQueryListener {

        private final PipelineConfig config;

        BatchLines(PipelineConfig config) {
            this.config = config;
        }

        @Override
        public void onQueryStarted(QueryStartedEvent event) {}

        @Override
        public void onQueryProgress(QueryProgressEvent event) {
            StreamingQueryProgress p = event.progress();
            if (!p.durationMs().containsKey("addBatch")) {
                return; // a trigger that found nothing to do
            }
            long out = rowsWritten(config.table(p.name()), p.id().toString(), p.batchId());
            String watermark = p.eventTime().get("watermark");
            System.out.printf(
                    Locale.ROOT,
                    "  %-11s batch %3d  in %5d  %s %5s  watermark %s%n",
                    p.name(),
                    p.batchId(),
                    p.numInputRows(),
                    PipelineConfig.QUARANTINE.equals(p.name()) ? "quarantined" : "out        ",
                    out < 0 ? "?" : Long.toString(out),
                    watermark == null ? "-" : watermark.replace("T", " ").replace(".000Z", ""));
        }

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {}

        /**
         * The rows a batch appended, from the table's history: the Delta sink does not report them in
         * the progress (numOutputRows -1), its commit does (operationMetrics).
         */
        private long rowsWritten(String table, String queryId, long batchId) {
            for (Row commit : DeltaTable.forPath(spark, table).history(20).collectAsList()) {
                Map<String, String> parameters = commit.getJavaMap(commit.fieldIndex("operationParameters"));
                if (queryId.equals(parameters.get("queryId"))
                        && Long.toString(batchId).equals(parameters.get("epochId"))) {
                    Map<String, String> metrics = commit.getJavaMap(commit.fieldIndex("operationMetrics"));
                    return Long.parseLong(metrics.getOrDefault("numOutputRows", "-1"));
                }
            }
            return -1;
        }
    }
}
