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

    private Walkthrough() {
    }

    /** Prints the banner, checks the JDK, starts Spark (UI on) and says which implementation runs. */
    public static SparkSession start(String title, Class<?> contract) {
        JavaVersionCheck.requireSupportedJava();
        String implementation = contract.getSimpleName() + Implementations.mode().classSuffix();
        System.out.println();
        System.out.println("=".repeat(78));
        System.out.println(title);
        System.out.println("Running " + (Implementations.mode() == Implementations.Mode.SOLUTION
                ? "the reference solutions (" + implementation + ")"
                : "your exercises (" + implementation + "); add -Psolutions to run the reference solutions"));
        System.out.println("=".repeat(78));
        SparkSession spark = WorkshopSpark.walkthroughSession();
        if (spark.sparkContext().uiWebUrl().isDefined()) {
            System.out.println("Spark UI: " + spark.sparkContext().uiWebUrl().get()
                    + " (tab \"Structured Streaming\") while this runs");
        }
        System.out.println("Files go to " + Workdirs.base());
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
                System.out.println("  (skipped: " + Streams.firstLine(notDone.get().getMessage()) + ")");
            } else {
                FAILED.add(exerciseId);
                System.out.println("  (this step failed: " + e.getClass().getSimpleName() + ": "
                        + Streams.firstLine(e.getMessage()) + ")");
            }
        } finally {
            WorkshopSpark.ifStarted().ifPresent(spark -> {
                for (var query : spark.streams().active()) {
                    Streams.stopQuietly(query);
                }
            });
        }
    }

    /** A foreachBatch sink that prints every micro-batch as a small table. */
    public static VoidFunction2<Dataset<Row>, Long> printer(String label) {
        return (batch, batchId) -> {
            List<Row> rows = batch.collectAsList();
            System.out.println("  [" + label + "] micro-batch " + batchId + ": " + rows.size()
                    + (rows.size() == 1 ? " row" : " rows"));
            if (!rows.isEmpty()) {
                System.out.print(table(batch.columns(), rows, "    "));
            }
        };
    }

    /** Rows as an aligned text table, sorted, each line starting with {@code indent}. */
    public static String table(String[] columns, List<Row> rows, String indent) {
        List<String[]> cells = new ArrayList<>();
        for (Row row : rows) {
            String[] line = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                line[i] = Check.renderValue(row.get(i));
            }
            cells.add(line);
        }
        cells.sort((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
        int[] widths = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            widths[i] = columns[i].length();
            for (String[] line : cells) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendLine(out, indent, columns, widths);
        StringBuilder rule = new StringBuilder(indent);
        for (int width : widths) {
            rule.append("-".repeat(width)).append("  ");
        }
        out.append(rule.toString().stripTrailing()).append('\n');
        for (String[] line : cells) {
            appendLine(out, indent, line, widths);
        }
        return out.toString();
    }

    private static void appendLine(StringBuilder out, String indent, String[] values, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < values.length; i++) {
            line.append(values[i]).append(" ".repeat(widths[i] - values[i].length() + 2));
        }
        out.append(line.toString().stripTrailing()).append('\n');
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
                System.out.println("Steps that failed (see the messages above): exercises " + String.join(", ", FAILED));
            }
        }
        System.out.println("=".repeat(78));
        WorkshopSpark.ifStarted().ifPresent(SparkSession::stop);
        return FAILED.isEmpty() ? 0 : 1;
    }
}
