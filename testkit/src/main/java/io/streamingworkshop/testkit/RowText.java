package io.streamingworkshop.testkit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;

/**
 * How rows are shown and compared, in tests and walkthroughs alike: {@code (d1, 3, 21.5)}, with
 * timestamps in UTC ({@code 2024-05-01 10:05:00}), doubles rounded to 4 decimals, nested rows in
 * parentheses, lists in brackets and maps in braces.
 */
public final class RowText {

    private RowText() {}

    public static String of(Row row) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < row.length(); i++) {
            values.add(row.get(i));
        }
        return ofValues(values.toArray());
    }

    public static String ofValues(Object[] values) {
        return Arrays.stream(values).map(RowText::ofValue).collect(Collectors.joining(", ", "(", ")"));
    }

    public static String ofValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Row row) {
            return of(row);
        }
        if (value instanceof Object[] values) {
            return ofValues(values);
        }
        if (value instanceof Timestamp timestamp) {
            return Times.format(timestamp);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return Double.toString(d);
            }
            return BigDecimal.valueOf(d)
                    .setScale(4, RoundingMode.HALF_UP)
                    .stripTrailingZeros()
                    .toPlainString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            return ofList(JavaConverters.seqAsJavaList(seq));
        }
        if (value instanceof List<?> list) {
            return ofList(list);
        }
        if (value instanceof scala.collection.Map<?, ?> map) {
            return ofMap(JavaConverters.mapAsJavaMap(map));
        }
        if (value instanceof Map<?, ?> map) {
            return ofMap(map);
        }
        return value.toString();
    }

    private static String ofList(List<?> list) {
        return list.stream().map(RowText::ofValue).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String ofMap(Map<?, ?> map) {
        return map.entrySet().stream()
                .map(e -> ofValue(e.getKey()) + " -> " + ofValue(e.getValue()))
                .sorted()
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** Rows as an aligned text table, sorted, each line starting with {@code indent}. */
    public static String table(String[] columns, List<Row> rows, String indent) {
        List<String[]> cells = new ArrayList<>();
        for (Row row : rows) {
            String[] line = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                line[i] = ofValue(row.get(i));
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
}
