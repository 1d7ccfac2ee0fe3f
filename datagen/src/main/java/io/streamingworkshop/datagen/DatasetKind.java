package io.streamingworkshop.datagen;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The datasets datagen makes, by the name the command line uses ({@code --dataset iot}). */
public enum DatasetKind {
    IOT("iot", "IoT sensor readings (stateless and windowing labs)", RecordType.IOT_READING),
    CLICKSTREAM("clickstream", "website clicks in user sessions (sessions, ETL pipeline)", RecordType.CLICK),
    ORDERS(
            "orders",
            "orders, and the shipments that follow most of them (stream-stream joins)",
            RecordType.ORDER,
            RecordType.SHIPMENT),
    TRANSACTIONS(
            "transactions",
            "purchases by user, product, category and region (aggregations, dedup)",
            RecordType.TRANSACTION),
    USERS("users", "dimension: users with segments and regions (stream-static joins)", RecordType.USER),
    PRODUCTS("products", "dimension: the product catalog (stream-static joins)", RecordType.PRODUCT);

    private final String cliName;
    private final String description;
    private final List<RecordType> recordTypes;

    DatasetKind(String cliName, String description, RecordType... recordTypes) {
        this.cliName = cliName;
        this.description = description;
        this.recordTypes = List.of(recordTypes);
    }

    /** The dataset named {@code name} (case-insensitive), or an exception that lists the names there are. */
    public static DatasetKind fromName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (DatasetKind kind : values()) {
            if (kind.cliName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown dataset '" + name + "': choose one of " + names());
    }

    /** {@code iot, clickstream, orders, transactions, users, products} */
    public static String names() {
        return Arrays.stream(values()).map(DatasetKind::cliName).collect(Collectors.joining(", "));
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** The streams this dataset writes: one, or two for {@link #ORDERS}. */
    public List<RecordType> recordTypes() {
        return recordTypes;
    }

    /** The only record type; fails for {@link #ORDERS}, which has two. */
    public RecordType recordType() {
        if (recordTypes.size() != 1) {
            throw new IllegalStateException("The " + cliName + " dataset has " + recordTypes.size() + " record types ("
                    + recordTypes + "): name the one you mean");
        }
        return recordTypes.get(0);
    }

    /** A static table (users, products) rather than a stream of events. */
    public boolean isDimension() {
        return recordTypes.get(0).isDimension();
    }
}
