package io.streamingworkshop.testkit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What every module's walkthrough (the runnable counterpart of the original notebooks) uses to
 * narrate: headings, explanations, micro-batches printed as tables, and steps that need an
 * exercise. A step whose exercise is not done yet is skipped with a one-line note instead of
 * ending the walkthrough, so the walkthrough is useful before, during and after the lab.
 */
public final class Walkthrough {

    /** A step's body; may throw what Spark throws. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private static final Set<String> SKIPPED = new LinkedHashSet<>();
    private static final List<String> FAILED = new ArrayList<>();

    private Walkthrough() {}

    /** Prints the banner, checks the JDK, starts Spark (UI on) and says which implementation runs. */
    public static SparkSession start(String title, Class<?> contract) {
        JavaVersionCheck.requireSupportedJava();
        String implementation =
                contract.getSimpleName() + Implementations.mode().classSuffix();
        System.out.println();
        System.out.println("=".repeat(78));
        System.out.println(title);
        System.out.println("Running "
                + (Implementations.mode() == Implementations.Mode.SOLUTION
                        ? "the reference solutions (" + implementation + ")"
                        : "your exercises (" + implementation + "); add -Psolutions to run the reference solutions"));
        System.out.println("=".repeat(78));
        SparkSession spark = WorkshopSpark.walkthroughSession();
        if (spark.sparkContext().uiWebUrl().isDefined()) {
            System.out.println("Spark UI: " + spark.sparkContext().uiWebUrl().get()
                    + " (tab \"Structured Streaming\") while this runs");
        }
        System.out.println("Files go to " + WorkDir.base());
        return spark;
    }

    public static void section(String heading, String... explanation) {
        System.out.println();
        System.out.println("--- " + heading + " " + "-".repeat(Math.max(3, 73 - heading.length())));
        for (String line : explanation) {
            System.out.println(line);
        }
    }

    public static void say(String text) {
        System.out.println(text);
    }

    /** Runs a step that needs exercise {@code exerciseId}; skips it with a note if that is not done. */
    public static void step(String exerciseId, Step body) {
        try {
            body.run();
        } catch (Exception | AssertionError e) {
            var notDone = ExerciseNotDoneException.findIn(e);
            if (notDone.isPresent()) {
                SKIPPED.add(notDone.get().exerciseId());
                System.out.println(
                        "  (skipped: " + Failures.firstLine(notDone.get().getMessage()) + ")");
            } else {
                FAILED.add(exerciseId);
                System.out.println("  (this step failed: " + e.getClass().getSimpleName() + ": "
                        + Failures.firstLine(e.getMessage()) + ")");
            }
        } finally {
            Streams.stopAll();
        }
    }

    /** A foreachBatch sink that prints every micro-batch as a small table. */
    public static VoidFunction2<Dataset<Row>, Long> printer(String label) {
        return (batch, batchId) -> {
            List<Row> rows = batch.collectAsList();
            System.out.println("  [" + label + "] micro-batch " + batchId + ": " + rows.size()
                    + (rows.size() == 1 ? " row" : " rows"));
            if (!rows.isEmpty()) {
                System.out.print(RowText.table(batch.columns(), rows, "    "));
            }
        };
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops Spark, sums up and returns the exit code for {@code main}: 0 when every step ran or was
     * skipped because its exercise is not done yet, 1 when a step failed.
     */
    public static int finish() {
        System.out.println();
        System.out.println("=".repeat(78));
        if (SKIPPED.isEmpty() && FAILED.isEmpty()) {
            System.out.println("Walkthrough complete.");
        } else {
            if (!SKIPPED.isEmpty()) {
                System.out.println("Skipped steps of exercises not done yet: " + String.join(", ", SKIPPED)
                        + ". Do them, or run with -Psolutions to see the reference.");
            }
            if (!FAILED.isEmpty()) {
                System.out.println(
                        "Steps that failed (see the messages above): exercises " + String.join(", ", FAILED));
            }
        }
        System.out.println("=".repeat(78));
        WorkshopSpark.ifStarted().ifPresent(SparkSession::stop);
        return FAILED.isEmpty() ? 0 : 1;
    }
}
