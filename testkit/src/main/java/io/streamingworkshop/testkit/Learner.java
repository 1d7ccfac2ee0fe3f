package io.streamingworkshop.testkit;

import java.util.concurrent.Callable;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * The one way tests call a learner's code. An unfinished exercise's own "not done yet" passes
 * through unchanged, and so does a failed assertion; anything else the learner's code throws
 * becomes a failure that names the exercise, quotes the first line of the root cause and gives a
 * hint (a known trap's hint where the cause is one, see {@link KnownTraps}).
 *
 * <pre>{@code
 * Dataset<Row> counts = Learner.call(() -> lab.fiveMinuteCounts(input), "group by window(...)");
 * StreamingQuery query = sink.start(counts.writeStream(), "append mode needs the watermark");
 * }</pre>
 */
public final class Learner {

    /** Something that starts a streaming query, such as an exercise method. */
    @FunctionalInterface
    public interface QueryStarter {
        StreamingQuery start() throws Exception;
    }

    private Learner() {}

    /**
     * Calls an exercise method and returns what it returned, which must not be null. Exceptions
     * other than "not done yet" and assertion failures become a failure with {@code hint}.
     */
    public static <T> T call(Callable<T> method, String hint) {
        T result = callAllowingNull(method, hint);
        Check.that(result != null, "the method returned null", "return what the exercise asks for, not null");
        return result;
    }

    /** Like {@link #call} for a method whose null result the test checks itself. */
    public static <T> T callAllowingNull(Callable<T> method, String hint) {
        try {
            return method.call();
        } catch (ExerciseNotDoneException | AssertionError e) {
            throw e;
        } catch (Exception e) {
            // AnalysisException and StreamingQueryException are checked in Java but undeclared by
            // Scala methods, so only catching Exception reaches them.
            throw notDoneOr(e, "your method threw", hint);
        }
    }

    /**
     * Fails at once if the exercise is not done yet, before a test spends seconds preparing its
     * input (a Delta table, Kafka records): calls the exercise method with stand-in arguments
     * and lets only its "not done yet" through. Whatever else the call does is ignored; the
     * test calls the method for real afterwards.
     */
    public static void failFastIfNotDone(Callable<?> probe) {
        try {
            probe.call();
        } catch (Exception | AssertionError e) {
            ExerciseNotDoneException.findIn(e).ifPresent(notDone -> {
                throw notDone;
            });
        }
    }

    /**
     * Runs {@code starter} and returns the query it started. If Spark refuses to start it (an
     * {@code AnalysisException} from {@code start()}), fails with Spark's reason and the hint.
     */
    public static StreamingQuery start(QueryStarter starter, String hint) {
        StreamingQuery query;
        try {
            query = starter.start();
        } catch (ExerciseNotDoneException | AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw notDoneOr(e, "Spark refused to start the query", hint);
        }
        Check.that(query != null, "no query was returned (null)", "return the StreamingQuery that start() gives you");
        return query;
    }

    private static RuntimeException notDoneOr(Exception error, String what, String hint) {
        var notDone = ExerciseNotDoneException.findIn(error);
        if (notDone.isPresent()) {
            return notDone.get();
        }
        throw Failures.causedBy(what, error, hint);
    }
}
