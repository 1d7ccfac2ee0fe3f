package io.streamingworkshop.stateless;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.opentest4j.AssertionFailedError;

import io.streamingworkshop.testkit.Check;

/** What a sink received, as the tests compare it: columns picked by name, many rows kept readable. */
final class EmittedRows {

    /** Above this many rows a failure shows counts and a few differences instead of every row. */
    private static final int FULL_LISTING = 12;
    private static final int SHOWN = 4;

    private EmittedRows() {
    }

    /** The rows with just these columns, in this order, whatever order the query put them in. */
    static List<Row> project(List<Row> rows, String... columns) {
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

    /**
     * Like {@code Check.rows(actual).containExactly(expected)}, but a failure over many rows shows
     * the counts and the first few missing and unexpected rows rather than hundreds of lines.
     */
    static void containExactly(List<Row> actual, List<Object[]> expected, String description, String hint) {
        if (actual.size() <= FULL_LISTING && expected.size() <= FULL_LISTING) {
            Check.rows(actual).describedAs(description).hint(hint).containExactly(expected.toArray(new Object[0][]));
            return;
        }
        List<String> expectedText = expected.stream().map(values -> Check.render(toRow(values))).collect(Collectors.toList());
        List<String> actualText = actual.stream().map(Check::render).collect(Collectors.toList());
        List<String> missing = minus(expectedText, actualText);
        List<String> unexpected = minus(actualText, expectedText);
        if (missing.isEmpty() && unexpected.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder(description).append(": not what was expected.\n")
                .append("  expected ").append(expected.size()).append(" rows, got ").append(actual.size()).append('\n');
        if (!missing.isEmpty()) {
            message.append("  missing (").append(missing.size()).append("), e.g.: ").append(firstFew(missing)).append('\n');
        }
        if (!unexpected.isEmpty()) {
            message.append("  unexpected (").append(unexpected.size()).append("), e.g.: ").append(firstFew(unexpected))
                    .append('\n');
        }
        if (hint != null) {
            message.append("Hint: ").append(hint);
        }
        throw new AssertionFailedError(message.toString().stripTrailing(), sortedLines(expectedText), sortedLines(actualText));
    }

    private static Row toRow(Object[] values) {
        Object[] converted = Arrays.stream(values).map(v -> v instanceof Object[] ? toRow((Object[]) v) : v).toArray();
        return RowFactory.create(converted);
    }

    private static List<String> minus(List<String> from, List<String> remove) {
        List<String> rest = new ArrayList<>(from);
        remove.forEach(rest::remove);
        return rest;
    }

    private static String firstFew(List<String> rows) {
        List<String> sorted = new ArrayList<>(rows);
        sorted.sort(null);
        String shown = String.join(" ", sorted.subList(0, Math.min(SHOWN, sorted.size())));
        return sorted.size() > SHOWN ? shown + " ..." : shown;
    }

    private static String sortedLines(List<String> rows) {
        List<String> sorted = new ArrayList<>(rows);
        sorted.sort(null);
        return String.join("\n", sorted);
    }
}
