package io.streamingworkshop.testkit;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** Running, waiting for and stopping streaming queries in tests and walkthroughs. */
public final class Streams {

    private Streams() {}

    /**
     * Blocks until the query has processed everything its sources hold, including the no-data
     * batch Spark runs when a watermark moved, so what the sink holds afterwards is final for the
     * input so far. If the query failed, fails with the root cause's first line (and an unfinished
     * exercise's own message as it is) instead of a page of Spark internals.
     */
    public static void processAll(StreamingQuery query) {
        processAll(query, null);
    }

    /** Like {@link #processAll(StreamingQuery)}, with a hint for when the query failed on the input. */
    public static void processAll(StreamingQuery query, String hint) {
        try {
            query.processAllAvailable();
        } catch (Exception e) {
            // Scala throws StreamingQueryException (a checked exception) without declaring it, so
            // Java only lets us catch it as Exception.
            throw failure(query, e, hint);
        }
        if (query.exception().isDefined()) {
            throw failure(query, query.exception().get(), hint);
        }
    }

    /**
     * Why Spark refuses to start {@code writer}, for lessons whose point is the error: the
     * message of what {@code start()} threw, or empty if the query started (it is stopped again).
     */
    public static Optional<String> refusalOf(DataStreamWriter<?> writer) {
        StreamingQuery query;
        try {
            query = writer.start();
        } catch (Exception e) {
            // AnalysisException is checked but undeclared by start(): Java only lets us catch Exception.
            return Optional.of(String.valueOf(e.getMessage()));
        }
        stopQuietly(query);
        return Optional.empty();
    }

    /** Waits for a query that ends by itself (AvailableNow); false if it still runs after {@code timeout}. */
    public static boolean awaitTermination(StreamingQuery query, Duration timeout) {
        try {
            return query.awaitTermination(timeout.toMillis());
        } catch (StreamingQueryException e) {
            throw failure(query, e, null);
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

    /** Stops every query still running in this JVM's session; starts no session if there is none. */
    public static void stopAll() {
        WorkshopSpark.ifStarted().ifPresent(spark -> {
            for (StreamingQuery query : spark.streams().active()) {
                stopQuietly(query);
            }
        });
    }

    /** The progress reports of the batches that read at least one row. */
    public static List<StreamingQueryProgress> batchesWithInput(StreamingQuery query) {
        return Arrays.stream(query.recentProgress())
                .filter(p -> p.numInputRows() > 0)
                .toList();
    }

    public static String describe(StreamingQuery query) {
        return query.name() == null ? query.id().toString() : "'" + query.name() + "'";
    }

    private static RuntimeException failure(StreamingQuery query, Throwable error, String hint) {
        var notDone = ExerciseNotDoneException.findIn(error);
        if (notDone.isPresent()) {
            return notDone.get();
        }
        throw Failures.causedBy("the streaming query " + describe(query) + " failed", error, hint);
    }
}
