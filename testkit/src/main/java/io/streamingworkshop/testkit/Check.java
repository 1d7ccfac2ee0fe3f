package io.streamingworkshop.testkit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.opentest4j.AssertionFailedError;

import scala.collection.JavaConverters;

/**
 * Assertions whose failures teach: what was expected, what came out, what differs, and a hint.
 *
 * <pre>{@code
 * Check.rows(sink.takeNew())
 *      .describedAs("Exercise 1.5: rows emitted by the second micro-batch")
 *      .hint("complete mode re-emits the whole result table on every micro-batch")
 *      .containExactly(row("d1", 3L), row("d2", 1L));
 * }</pre>
 *
 * Rows are compared as text, order ignored: timestamps in UTC ({@code 2024-05-01 10:05:00}),
 * doubles rounded to 4 decimals, nested rows in parentheses.
 */
public final class Check {

    private final List<String> actual;
    private String description = "the rows";
    private String hint;

    private Check(List<String> actual) {
        this.actual = actual;
    }

    public static Check rows(Collection<Row> rows) {
        return new Check(rows.stream().map(Check::render).collect(Collectors.toCollection(ArrayList::new)));
    }

    /** Expected values for one row, in column order; nested structs as {@code row(...)} too. */
    public static Object[] row(Object... values) {
        return values;
    }

    public Check describedAs(String what) {
        this.description = what;
        return this;
    }

    public Check hint(String hint) {
        this.hint = hint;
        return this;
    }

    /** The same rows, each as often as listed, in any order. */
    public void containExactly(Object[]... expectedRows) {
        List<String> expected = Arrays.stream(expectedRows).map(Check::renderValues).collect(Collectors.toList());
        List<String> missing = minus(expected, actual);
        List<String> unexpected = minus(actual, expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            fail(expected, missing, unexpected);
        }
    }

    public void isEmpty() {
        containExactly();
    }

    private void fail(List<String> expected, List<String> missing, List<String> unexpected) {
        StringBuilder message = new StringBuilder()
                .append(description).append(": not what was expected.\n")
                .append("  expected ").append(count(expected)).append(": ").append(list(expected)).append('\n')
                .append("  got      ").append(count(actual)).append(": ").append(list(actual)).append('\n');
        if (!missing.isEmpty()) {
            message.append("  missing:    ").append(list(missing)).append('\n');
        }
        if (!unexpected.isEmpty()) {
            message.append("  unexpected: ").append(list(unexpected)).append('\n');
        }
        if (hint != null) {
            message.append("Hint: ").append(hint);
        }
        throw new AssertionFailedError(message.toString().stripTrailing(), String.join("\n", sorted(expected)),
                String.join("\n", sorted(actual)));
    }

    /** Something that starts a streaming query, such as an exercise method. */
    @FunctionalInterface
    public interface QueryStarter {
        org.apache.spark.sql.streaming.StreamingQuery start() throws Exception;
    }

    /**
     * Runs {@code starter} and returns the query it started. If Spark refuses to start it (an
     * {@code AnalysisException}, thrown by {@code start()}), fails with Spark's reason and the hint
     * instead of a stack trace. An unfinished exercise's own exception passes through unchanged.
     */
    public static org.apache.spark.sql.streaming.StreamingQuery started(QueryStarter starter, String what, String hint) {
        org.apache.spark.sql.streaming.StreamingQuery query;
        try {
            query = starter.start();
        } catch (ExerciseNotDoneException e) {
            throw e;
        } catch (Exception e) {
            // AnalysisException is a checked exception that start() does not declare: catch Exception.
            throw new AssertionFailedError(what + ": Spark refused to start the query: "
                    + e.getClass().getSimpleName() + ": " + Streams.firstLine(e.getMessage())
                    + (hint == null ? "" : "\nHint: " + hint), e);
        }
        that(query != null, what + ": no query was returned (null)", "return the StreamingQuery that start() gives you");
        return query;
    }

    /** Fails with a teaching message unless {@code condition} holds. */
    public static void that(boolean condition, String whatWentWrong, String hint) {
        if (!condition) {
            throw new AssertionFailedError(whatWentWrong + (hint == null ? "" : "\nHint: " + hint));
        }
    }

    /** Fails unless the two values are equal, showing both. */
    public static void equal(Object expected, Object actual, String what, String hint) {
        if (!java.util.Objects.equals(expected, actual)) {
            throw new AssertionFailedError(what + ": expected " + expected + " but got " + actual
                    + (hint == null ? "" : "\nHint: " + hint), expected, actual);
        }
    }

    private static List<String> minus(List<String> from, List<String> remove) {
        List<String> rest = new ArrayList<>(from);
        for (String r : remove) {
            rest.remove(r);
        }
        return rest;
    }

    private static List<String> sorted(List<String> rows) {
        List<String> copy = new ArrayList<>(rows);
        copy.sort(null);
        return copy;
    }

    private static String count(List<String> rows) {
        return rows.size() == 1 ? "1 row " : rows.size() + " rows";
    }

    private static String list(List<String> rows) {
        return rows.isEmpty() ? "(none)" : String.join(" ", sorted(rows));
    }

    /** How a Row is shown and compared: {@code (d1, 3, 21.5)}. */
    public static String render(Row row) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < row.length(); i++) {
            values.add(row.get(i));
        }
        return renderValues(values.toArray());
    }

    static String renderValues(Object[] values) {
        return Arrays.stream(values).map(Check::renderValue).collect(Collectors.joining(", ", "(", ")"));
    }

    static String renderValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Row) {
            return render((Row) value);
        }
        if (value instanceof Object[]) {
            return renderValues((Object[]) value);
        }
        if (value instanceof Timestamp) {
            return Times.format((Timestamp) value);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return Double.toString(d);
            }
            return BigDecimal.valueOf(d).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return value.toString();
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).stripTrailingZeros().toPlainString();
        }
        if (value instanceof scala.collection.Seq) {
            return renderList(JavaConverters.seqAsJavaList((scala.collection.Seq<?>) value));
        }
        if (value instanceof List) {
            return renderList((List<?>) value);
        }
        if (value instanceof scala.collection.Map) {
            return renderMap(JavaConverters.mapAsJavaMap((scala.collection.Map<?, ?>) value));
        }
        if (value instanceof Map) {
            return renderMap((Map<?, ?>) value);
        }
        return value.toString();
    }

    private static String renderList(List<?> list) {
        return list.stream().map(Check::renderValue).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String renderMap(Map<?, ?> map) {
        return map.entrySet().stream()
                .map(e -> renderValue(e.getKey()) + " -> " + renderValue(e.getValue()))
                .sorted()
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
