package io.streamingworkshop.datagen.cli;

import java.util.EnumSet;
import java.util.Set;

import io.streamingworkshop.datagen.DatasetKind;

/**
 * Every option of the command line: its name, what it takes, its default, which commands and
 * which datasets it applies to. The help text is made from this table, so the two cannot drift.
 */
enum CliOption {
    DATASET("dataset", "NAME", "which dataset: " + DatasetKind.names(), "(required)", Group.WHAT, null),
    EVENTS("events", "N", "how many events (orders: how many orders)", "1000", Group.WHAT, Applies.EVENTS),
    SEED("seed", "N", "the same seed and options give the same bytes", "42", Group.WHAT, Applies.EVENTS),
    START("start", "TIME", "event time of the first event (ISO-8601, UTC)", "2024-05-01T10:00:00Z", Group.WHAT,
            Applies.EVENTS),
    RATE("rate", "N", "events per simulated second of event time", "10", Group.WHAT, Applies.EVENTS),
    DEVICES("devices", "N", "iot: number of devices", "20", Group.WHAT, EnumSet.of(DatasetKind.IOT)),
    USERS("users", "N", "users the events pick from; the users dimension's size", "200", Group.WHAT,
            EnumSet.of(DatasetKind.CLICKSTREAM, DatasetKind.ORDERS, DatasetKind.TRANSACTIONS, DatasetKind.USERS)),
    PRODUCTS("products", "N", "products the events pick from; the catalog's size", "50", Group.WHAT,
            EnumSet.of(DatasetKind.CLICKSTREAM, DatasetKind.ORDERS, DatasetKind.TRANSACTIONS, DatasetKind.PRODUCTS)),
    UNSHIPPED_FRACTION("unshipped-fraction", "F", "orders: fraction of orders that never ship", "0.1", Group.WHAT,
            EnumSet.of(DatasetKind.ORDERS)),
    MAX_SHIP_DELAY("max-ship-delay", "DURATION", "orders: a shipment follows its order by less than this", "30m",
            Group.WHAT, EnumSet.of(DatasetKind.ORDERS)),

    LATE_FRACTION("late-fraction", "F", "fraction of events that arrive late...", "0", Group.FLAWS, Applies.EVENTS),
    LATE_BY("late-by", "DURATION", "...exactly this long after their event time", "10m", Group.FLAWS, Applies.EVENTS),
    OUT_OF_ORDER_FRACTION("out-of-order-fraction", "F", "fraction of events held back...", "0", Group.FLAWS,
            Applies.EVENTS),
    OUT_OF_ORDER_BY("out-of-order-by", "DURATION", "...by more than one event gap and at most this", "30s",
            Group.FLAWS, Applies.EVENTS),
    DUPLICATE_FRACTION("duplicate-fraction", "F", "fraction of events sent twice (same id, same bytes)...", "0",
            Group.FLAWS, Applies.EVENTS),
    DUPLICATE_WITHIN("duplicate-within", "DURATION", "...the copy at most this long after the original", "30s",
            Group.FLAWS, Applies.EVENTS),
    MALFORMED_FRACTION("malformed-fraction", "F", "fraction of events written badly (half broken JSON, half a"
            + " string where a number belongs)", "0", Group.FLAWS, Applies.EVENTS),
    SCHEMA_CHANGE_FRACTION("schema-change-fraction", "F", "the last fraction of events carries a new field", "0",
            Group.FLAWS, Applies.EVENTS),

    OUT("out", "DIR", "output directory (new or empty); relative to where you run Maven", "(required)", Group.FILES,
            null),
    EVENTS_PER_FILE("events-per-file", "N", "records per file", "1000", Group.FILES, null),
    OVERWRITE("overwrite", null, "replace what an earlier run wrote in --out (never other files)", "off", Group.FILES,
            null),
    FILES_PER_SECOND("files-per-second", "R", "pace: at most R files per wall-clock second", "as fast as possible",
            Group.FILES, null),

    BOOTSTRAP_SERVERS("bootstrap-servers", "HOST:PORT", "the Kafka broker(s)",
            "$KAFKA_BOOTSTRAP_SERVERS, else localhost:9092", Group.KAFKA, null),
    TOPIC("topic", "NAME", "topic to write to, created if missing", "the dataset's name", Group.KAFKA, null),
    SHIPMENTS_TOPIC("shipments-topic", "NAME", "orders: topic for the shipments", "shipments", Group.KAFKA,
            EnumSet.of(DatasetKind.ORDERS)),
    PARTITIONS("partitions", "N", "partitions of a topic this run creates", "2", Group.KAFKA, null),
    TIMEOUT("timeout", "DURATION", "how long to wait for the broker to answer", "10s", Group.KAFKA, null),
    KAFKA_PROPERTY("kafka-property", "KEY=VALUE", "a Kafka client setting, e.g. security.protocol=SASL_PLAINTEXT"
            + " (repeatable)", "none", Group.KAFKA, null),
    MANIFEST_DIR("manifest-dir", "DIR", "write <topic>.manifest.json and <topic>.flaws.jsonl here", "none",
            Group.KAFKA, null),

    EVENTS_PER_SECOND("events-per-second", "R", "pace: at most R records per wall-clock second",
            "as fast as possible", Group.PACING, null),
    HELP("help", null, "this help", null, Group.PACING, null);

    /** Where an option shows in the help, and which commands take it. */
    enum Group { WHAT, FLAWS, FILES, KAFKA, PACING }

    /** The datasets with events (not the dimensions). */
    private static final class Applies {
        static final Set<DatasetKind> EVENTS = EnumSet.of(DatasetKind.IOT, DatasetKind.CLICKSTREAM, DatasetKind.ORDERS,
                DatasetKind.TRANSACTIONS);
    }

    final String name;
    final String argument;
    final String help;
    final String defaultText;
    final Group group;
    /** Datasets the option applies to; null for all. */
    final Set<DatasetKind> datasets;

    CliOption(String name, String argument, String help, String defaultText, Group group, Set<DatasetKind> datasets) {
        this.name = name;
        this.argument = argument;
        this.help = help;
        this.defaultText = defaultText;
        this.group = group;
        this.datasets = datasets;
    }

    boolean takesValue() {
        return argument != null;
    }

    boolean repeatable() {
        return this == KAFKA_PROPERTY;
    }

    /** Whether the {@code files} or {@code kafka} command takes this option. */
    boolean belongsTo(String command) {
        switch (group) {
            case FILES: return command.equals("files");
            case KAFKA: return command.equals("kafka");
            default: return true;
        }
    }

    static CliOption named(String name) {
        for (CliOption option : values()) {
            if (option.name.equals(name)) {
                return option;
            }
        }
        return null;
    }
}
