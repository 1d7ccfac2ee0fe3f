package io.streamingworkshop.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions whose failures teach: which exercise, what was expected, what came out, what differs,
 * and a hint. The exercise comes from the running test's {@link Graded} annotation.
 *
 * <pre>{@code
 * Check.rows(sink.takeNew())
 *      .describedAs("rows emitted by the second micro-batch")
 *      .hint("complete mode re-emits the whole result table on every micro-batch")
 *      .containExactly(row("d1", 3L), row("d2", 1L));
 * }</pre>
 *
 * Rows are compared as text ({@link RowText}), order ignored. Past a dozen rows a failure shows the
 * counts and a few of the differences rather than every row.
 */
public final class Check {

    /** Above this many rows a failure shows counts and a few differences instead of every row. */
    private static final int FULL_LISTING = 12;

    private static final int SHOWN = 4;

    private final List<String> actual;
    private String description = "the rows";
    private String hint;

    private Check(List<String> actual) {
        this.actual = actual;
    }

    public static Check rows(Collection<Row> rows) {
        return new Check(rows.stream().map(RowText::of).collect(Collectors.toCollection(ArrayList::new)));
    }

    /** The rows with just these columns, picked by name in this order, whatever order the query used. */
    public static Check rows(Collection<Row> rows, String... columns) {
        return rows(project(rows, columns));
    }

    /** The rows with just these columns, picked by name in this order. */
    public static List<Row> project(Collection<Row> rows, String... columns) {
        List<Row> projected = new ArrayList<>();
        for (Row row : rows) {
            Object[] values = new Object[columns.length];
            for (int i = 0; i < columns.length; i++) {
                values[i] = row.get(row.fieldIndex(columns[i]));
            }
            projected.add(RowFactory.create(values));
        }
        return projected;
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
        containExactly(Arrays.asList(expectedRows));
    }

    /** The same rows, each as often as listed, in any order. */
    public void containExactly(List<Object[]> expectedRows) {
        List<String> expected = expectedRows.stream().map(RowText::ofValues).collect(Collectors.toList());
        List<String> missing = minus(expected, actual);
        List<String> unexpected = minus(actual, expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            fail(expected, missing, unexpected);
        }
    }

    public void isEmpty() {
        containExactly(List.of());
    }

    private void fail(List<String> expected, List<String> missing, List<String> unexpected) {
        StringBuilder message = new StringBuilder(description).append(": not what was expected.\n");
        if (expected.size() <= FULL_LISTING && actual.size() <= FULL_LISTING) {
            message.append("  expected ")
                    .append(count(expected))
                    .append(": ")
                    .append(list(expected))
                    .append('\n');
            message.append("  got      ")
                    .append(count(actual))
                    .append(": ")
                    .append(list(actual))
                    .append('\n');
            if (!missing.isEmpty()) {
                message.append("  missing:    ").append(list(missing)).append('\n');
            }
            if (!unexpected.isEmpty()) {
                message.append("  unexpected: ").append(list(unexpected)).append('\n');
            }
        } else {
            message.append("  expected ")
                    .append(count(expected).trim())
                    .append(", got ")
                    .append(count(actual).trim())
                    .append('\n');
            if (!missing.isEmpty()) {
                message.append("  missing (")
                        .append(missing.size())
                        .append("), e.g.: ")
                        .append(firstFew(missing))
                        .append('\n');
            }
            if (!unexpected.isEmpty()) {
                message.append("  unexpected (")
                        .append(unexpected.size())
                        .append("), e.g.: ")
                        .append(firstFew(unexpected))
                        .append('\n');
            }
        }
        throw new AssertionFailedError(
                Failures.message(message.toString().stripTrailing(), hint),
                String.join("\n", sorted(expected)),
                String.join("\n", sorted(actual)));
    }

    /** Fails with a teaching message unless {@code condition} holds. */
    public static void that(boolean condition, String whatWentWrong, String hint) {
        if (!condition) {
            throw Failures.failure(whatWentWrong, hint);
        }
    }

    /** Fails unless the two values are equal, showing both. */
    public static void equal(Object expected, Object actual, String what, String hint) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionFailedError(
                    Failures.message(what + ": expected " + expected + " but got " + actual, hint), expected, actual);
        }
    }

    /** The Dataset is not null and has exactly these columns, in this order. */
    public static void columnsInOrder(Dataset<?> result, String hint, String... columns) {
        that(result != null, "the method returned null", "return the Dataset you built");
        equal(Arrays.asList(columns), Arrays.asList(result.columns()), "the columns, in this order", hint);
    }

    /** The Dataset is not null and has exactly these columns, in any order. */
    public static void columnsInAnyOrder(Dataset<?> result, String hint, String... columns) {
        that(result != null, "the method returned null", "return the Dataset you built");
        equal(
                new TreeSet<>(Arrays.asList(columns)),
                new TreeSet<>(Arrays.asList(result.columns())),
                "the columns (in any order)",
                hint);
    }

    private static List<String> minus(List<String> from, List<String> remove) {
        List<String> rest = new ArrayList<>(from);
        remove.forEach(rest::remove);
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

    private static String firstFew(List<String> rows) {
        List<String> sorted = sorted(rows);
        String shown = String.join(" ", sorted.subList(0, Math.min(SHOWN, sorted.size())));
        return sorted.size() > SHOWN ? shown + " ..." : shown;
    }
}
