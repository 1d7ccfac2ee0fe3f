package io.streamingworkshop.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Where the pipeline reads, where it keeps its tables and checkpoints, and how often it runs. Not
 * an exercise: the tests, the walkthrough and the pipeline application build one and hand it to
 * {@link Pipeline#start}.
 *
 * @param input the clickstream: a directory of JSON-lines files, or a Kafka topic
 * @param tableRoot the Delta tables, one directory per table ({@link #table(String)})
 * @param checkpointRoot the checkpoints, one directory per query ({@link #checkpoint(String)})
 * @param usersTable the users dimension, a Delta table with {@code user_id} and {@code user_segment}
 * @param trigger the trigger of every query
 */
public record PipelineConfig(Input input, Path tableRoot, Path checkpointRoot, Path usersTable, Trigger trigger) {

    /** The table and query names, in the order the layers run. */
    public static final String BRONZE = "bronze";

    public static final String SILVER = "silver";
    public static final String QUARANTINE = "quarantine";

    public PipelineConfig {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(tableRoot, "tableRoot");
        Objects.requireNonNull(checkpointRoot, "checkpointRoot");
        Objects.requireNonNull(usersTable, "usersTable");
        Objects.requireNonNull(trigger, "trigger");
    }

    /** Tables under {@code root/tables}, checkpoints under {@code root/checkpoints}, the default trigger. */
    public static PipelineConfig under(Path root, Input input, Path usersTable) {
        return new PipelineConfig(
                input, root.resolve("tables"), root.resolve("checkpoints"), usersTable, Trigger.ProcessingTime(0));
    }

    public PipelineConfig withTrigger(Trigger newTrigger) {
        return new PipelineConfig(input, tableRoot, checkpointRoot, usersTable, newTrigger);
    }

    /** The gold table (and query) name of a window size of {@link Pipeline#GOLD_WINDOWS}: gold_5m, gold_1h. */
    public static String goldName(String windowDuration) {
        String[] parts = windowDuration.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a window duration is '<n> <unit>', not '" + windowDuration + "'");
        }
        String unit = parts[1].toLowerCase();
        String letter = unit.startsWith("sec")
                ? "s"
                : unit.startsWith("min") ? "m" : unit.startsWith("hour") ? "h" : unit.startsWith("day") ? "d" : null;
        if (letter == null) {
            throw new IllegalArgumentException("unknown unit in window duration '" + windowDuration + "'");
        }
        return "gold_" + parts[0] + letter;
    }

    /** Every table and query name: bronze, silver, quarantine, then the gold ones. */
    public static List<String> names() {
        List<String> names = new java.util.ArrayList<>(List.of(BRONZE, SILVER, QUARANTINE));
        Pipeline.GOLD_WINDOWS.forEach(window -> names.add(goldName(window)));
        return List.copyOf(names);
    }

    public String table(String name) {
        return tableRoot.resolve(name).toString();
    }

    public String checkpoint(String name) {
        return checkpointRoot.resolve(name).toString();
    }

    /** The clickstream's origin. */
    public sealed interface Input permits Files, Kafka {}

    /** JSON-lines files arriving in a directory. */
    public record Files(Path directory) implements Input {
        public Files {
            Objects.requireNonNull(directory, "directory");
        }
    }

    /** A Kafka topic, read from the earliest offset the first time. */
    public record Kafka(String bootstrapServers, String topic) implements Input {
        public Kafka {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
        }
    }
}
