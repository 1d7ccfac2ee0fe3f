package io.streamingworkshop.stateless;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Kafka records sorted into two streams (exercise 3.8): the readings that parsed, and the records
 * that did not, kept aside with their raw text and the reason. Every record goes to exactly one
 * of them. Each is a streaming Dataset of its own: start a query on each.
 */
public final class RoutedRecords {

    private final Dataset<Row> valid;
    private final Dataset<Row> quarantine;

    /**
     * @param valid      the parsed readings, with the columns of {@link Stateless#READINGS}
     * @param quarantine the records that could not be read, with the columns {@code raw} and {@code reason}
     */
    public RoutedRecords(Dataset<Row> valid, Dataset<Row> quarantine) {
        this.valid = Objects.requireNonNull(valid, "valid");
        this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
    }

    public Dataset<Row> valid() {
        return valid;
    }

    public Dataset<Row> quarantine() {
        return quarantine;
    }
}
