package io.streamingworkshop.testkit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.apache.spark.sql.execution.streaming.StreamExecution;
import org.apache.spark.sql.execution.streaming.StreamingQueryWrapper;
import org.apache.spark.sql.execution.streaming.continuous.ContinuousExecution;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/** Running and inspecting streaming queries in tests and walkthroughs. */
public final class Streams {

    private Streams() {
    }

    /**
     * Blocks until the query has processed everything its sources hold, including the no-data
     * batch Spark runs when a watermark moved, so what the sink holds afterwards is final for the
     * input so far. If the query failed, throws the root cause with the query's name instead of a
     * page of Spark internals (and an unfinished exercise's own message as it is).
     */
    public static void processAll(StreamingQuery query) {
        try {
            query.processAllAvailable();
        } catch (Exception e) {
            // Scala throws StreamingQueryException (a checked exception) without declaring it, so
            // Java only lets us catch it as Exception.
            throw failure(query, e);
        }
        if (query.exception().isDefined()) {
            throw failure(query, query.exception().get());
        }
    }

    /**
     * Why Spark refuses to start {@code writer}, for lessons whose point is the error: the
     * message of what {@code start()} threw, or empty if the query started (it is stopped again).
     */
    public static java.util.Optional<String> refusalOf(org.apache.spark.sql.streaming.DataStreamWriter<?> writer) {
        StreamingQuery query;
        try {
            query = writer.start();
        } catch (Exception e) {
            // AnalysisException is checked but undeclared by start(): Java only lets us catch Exception.
            return java.util.Optional.of(String.valueOf(e.getMessage()));
        }
        stopQuietly(query);
        return java.util.Optional.empty();
    }

    /** Waits for a query that ends by itself (AvailableNow); false if it still runs after {@code timeout}. */
    public static boolean awaitTermination(StreamingQuery query, Duration timeout) {
        try {
            return query.awaitTermination(timeout.toMillis());
        } catch (StreamingQueryException e) {
            throw failure(query, e);
        }
    }

    /** Stops a query, turning the checked timeout into an unchecked error. */
    public static void stop(StreamingQuery query) {
        try {
            query.stop();
        } catch (TimeoutException e) {
            throw new IllegalStateException("Query " + describe(query) + " did not stop in time", e);
        }
    }

    public static void stopQuietly(StreamingQuery query) {
        try {
            query.stop();
        } catch (TimeoutException | RuntimeException ignored) {
            // best effort: a test that already failed must not fail differently here
        }
    }

    /** The trigger a query was started with (Spark does not expose it publicly). */
    public static Trigger triggerOf(StreamingQuery query) {
        return execution(query).trigger();
    }

    public static OutputMode outputModeOf(StreamingQuery query) {
        return execution(query).outputMode();
    }

    /** True for {@code Trigger.Continuous} queries, which have no micro-batches and no batch progress. */
    public static boolean isContinuous(StreamingQuery query) {
        return execution(query) instanceof ContinuousExecution;
    }

    /** The progress reports of the batches that read at least one row. */
    public static List<StreamingQueryProgress> batchesWithInput(StreamingQuery query) {
        return java.util.Arrays.stream(query.recentProgress()).filter(p -> p.numInputRows() > 0).toList();
    }

    public static String describe(StreamingQuery query) {
        return query.name() == null ? query.id().toString() : "'" + query.name() + "'";
    }

    private static StreamExecution execution(StreamingQuery query) {
        if (query instanceof StreamingQueryWrapper) {
            return ((StreamingQueryWrapper) query).streamingQuery();
        }
        if (query instanceof StreamExecution) {
            return (StreamExecution) query;
        }
        throw new IllegalArgumentException("Not a query started by DataStreamWriter.start(): " + query.getClass());
    }

    private static RuntimeException failure(StreamingQuery query, Throwable error) {
        var notDone = ExerciseNotDoneException.findIn(error);
        if (notDone.isPresent()) {
            return notDone.get();
        }
        Throwable root = rootCause(error);
        return new IllegalStateException("Streaming query " + describe(query) + " failed: "
                + root.getClass().getSimpleName() + ": " + rootMessage(error), error);
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * The first line of the root cause's message. An exception that comes back from a task has
     * lost the message Java computes for a NullPointerException ("Cannot invoke ... because ... is
     * null"), but Spark's wrapping message still quotes it: take it from there.
     */
    static String rootMessage(Throwable error) {
        Throwable root = rootCause(error);
        if (root.getMessage() != null) {
            return firstLine(root.getMessage());
        }
        String prefix = root.getClass().getName() + ": ";
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (String line : String.valueOf(t.getMessage()).split("\n")) {
                int at = line.indexOf(prefix);
                if (at >= 0 && line.length() > at + prefix.length()) {
                    return line.substring(at + prefix.length()).trim();
                }
            }
        }
        return "(no message)";
    }

    /** The first line of a (possibly multi-line, plan-carrying) error message. */
    public static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
