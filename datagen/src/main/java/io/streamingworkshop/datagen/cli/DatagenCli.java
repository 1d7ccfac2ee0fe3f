package io.streamingworkshop.datagen.cli;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.DatagenException;
import io.streamingworkshop.datagen.DatasetKind;
import io.streamingworkshop.datagen.GeneratorOptions;
import io.streamingworkshop.datagen.Manifest;
import io.streamingworkshop.datagen.Pacing;
import io.streamingworkshop.datagen.RecordType;
import io.streamingworkshop.datagen.WriteSummary;

/**
 * The datagen command line: {@code files}, {@code kafka}, {@code datasets}, {@code help}. Run it
 * from the repository root with
 * {@code ./mvnw -q -pl datagen exec:java -Dexec.args="files --dataset iot --out data/iot"}.
 *
 * <p>Every failure ends with one line on standard error and a non-zero exit code (2 for a bad
 * command line, 1 when the run itself fails), never a stack trace: in exec:java a thrown exception
 * would become a page of Maven output. {@link #run} returns the exit code, so tests can call it.
 */
public final class DatagenCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private static final String LAUNCH = "./mvnw -q -pl datagen exec:java -Dexec.args=\"";

    private final PrintStream out;
    private final PrintStream err;

    private DatagenCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (Throwable e) {
            // run() catches everything it expects; this is the last line of defence against a stack trace.
            System.err.println("datagen: unexpected error: " + e);
            code = FAILED;
        }
        System.out.flush();
        if (code != OK) {
            System.exit(code);
        }
    }

    /** Runs one command line; returns the exit code (0 success, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new DatagenCli(out, err).run(args == null ? List.of() : Arrays.asList(args));
    }

    private int run(List<String> args) {
        try {
            if (args.isEmpty()) {
                err.println("datagen: no command given. Commands: files, kafka, datasets, help (see --help)");
                return USAGE;
            }
            String command = args.get(0);
            List<String> rest = args.subList(1, args.size());
            switch (command) {
                case "help":
                case "--help":
                case "-h":
                    return help(rest);
                case "datasets":
                    out.print(datasetsText());
                    return OK;
                case "files":
                case "kafka":
                    return write(command, rest);
                default:
                    throw new UsageException("Unknown command '" + command + "': use files, kafka, datasets or help");
            }
        } catch (UsageException | IllegalArgumentException e) {
            err.println("datagen: " + oneLine(e.getMessage()));
            return USAGE;
        } catch (DatagenException e) {
            err.println("datagen: " + oneLine(e.getMessage()));
            return FAILED;
        } catch (RuntimeException | LinkageError e) {
            err.println("datagen: unexpected error: " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
            return FAILED;
        }
    }

    private int help(List<String> rest) {
        if (rest.isEmpty()) {
            out.print(HelpText.overview());
        } else if (rest.get(0).equals("files") || rest.get(0).equals("kafka")) {
            out.print(HelpText.command(rest.get(0)));
        } else if (rest.get(0).equals("datasets")) {
            out.print(datasetsText());
        } else {
            throw new UsageException("No help for '" + rest.get(0) + "': try help files, help kafka or help datasets");
        }
        return OK;
    }

    private int write(String command, List<String> rest) {
        ParsedArgs args = ParsedArgs.parse(command, rest);
        if (args.has(CliOption.HELP)) {
            out.print(HelpText.command(command));
            return OK;
        }
        DatasetKind dataset = DatasetKind.fromName(args.required(CliOption.DATASET));
        for (CliOption option : args.given()) {
            if (option.datasets != null && !option.datasets.contains(dataset)) {
                throw new UsageException("--" + option.name + " does not apply to the " + dataset.cliName() + " dataset"
                        + (dataset.isDimension() ? " (a dimension table has no events, times or flaws)" : ""));
            }
        }
        Datagen datagen = generator(dataset, args);
        return command.equals("files") ? files(datagen, dataset, args) : kafka(datagen, dataset, args);
    }

    private static Datagen generator(DatasetKind dataset, ParsedArgs args) {
        Datagen datagen = Datagen.of(dataset);
        if (args.has(CliOption.EVENTS)) {
            datagen.events(args.wholeNumber(CliOption.EVENTS, 1, 1_000_000_000_000L));
        }
        if (args.has(CliOption.SEED)) {
            datagen.seed(args.wholeNumber(CliOption.SEED, Long.MIN_VALUE, Long.MAX_VALUE));
        }
        if (args.has(CliOption.START)) {
            datagen.start(args.instant(CliOption.START));
        }
        if (args.has(CliOption.RATE)) {
            datagen.rate(args.positive(CliOption.RATE));
        }
        if (args.has(CliOption.DEVICES)) {
            datagen.deviceCount((int) args.wholeNumber(CliOption.DEVICES, 1, 100_000));
        }
        if (args.has(CliOption.USERS)) {
            datagen.userCount((int) args.wholeNumber(CliOption.USERS, 1, 10_000_000));
        }
        if (args.has(CliOption.PRODUCTS)) {
            datagen.productCount((int) args.wholeNumber(CliOption.PRODUCTS, 1, 1_000_000));
        }
        GeneratorOptions defaults = GeneratorOptions.builder(DatasetKind.IOT).build();
        if (args.has(CliOption.UNSHIPPED_FRACTION)) {
            datagen.unshipped(args.fraction(CliOption.UNSHIPPED_FRACTION));
        }
        if (args.has(CliOption.MAX_SHIP_DELAY)) {
            datagen.maxShipDelay(args.duration(CliOption.MAX_SHIP_DELAY));
        }
        if (args.has(CliOption.LATE_FRACTION) || args.has(CliOption.LATE_BY)) {
            datagen.late(args.has(CliOption.LATE_FRACTION) ? args.fraction(CliOption.LATE_FRACTION) : 0,
                    args.has(CliOption.LATE_BY) ? args.duration(CliOption.LATE_BY) : defaults.lateBy());
        }
        if (args.has(CliOption.OUT_OF_ORDER_FRACTION) || args.has(CliOption.OUT_OF_ORDER_BY)) {
            datagen.outOfOrder(args.has(CliOption.OUT_OF_ORDER_FRACTION) ? args.fraction(CliOption.OUT_OF_ORDER_FRACTION) : 0,
                    args.has(CliOption.OUT_OF_ORDER_BY) ? args.duration(CliOption.OUT_OF_ORDER_BY) : defaults.outOfOrderBy());
        }
        if (args.has(CliOption.DUPLICATE_FRACTION) || args.has(CliOption.DUPLICATE_WITHIN)) {
            datagen.duplicates(args.has(CliOption.DUPLICATE_FRACTION) ? args.fraction(CliOption.DUPLICATE_FRACTION) : 0,
                    args.has(CliOption.DUPLICATE_WITHIN) ? args.duration(CliOption.DUPLICATE_WITHIN)
                            : defaults.duplicateWithin());
        }
        if (args.has(CliOption.MALFORMED_FRACTION)) {
            datagen.malformed(args.fraction(CliOption.MALFORMED_FRACTION));
        }
        if (args.has(CliOption.SCHEMA_CHANGE_FRACTION)) {
            datagen.schemaChange(args.fraction(CliOption.SCHEMA_CHANGE_FRACTION));
        }
        if (args.has(CliOption.EVENTS_PER_SECOND)) {
            datagen.pacing(Pacing.eventsPerSecond(args.positive(CliOption.EVENTS_PER_SECOND)));
        }
        return datagen;
    }

    private int files(Datagen datagen, DatasetKind dataset, ParsedArgs args) {
        String outText = args.required(CliOption.OUT);
        Path dir;
        try {
            dir = Path.of(outText);
        } catch (InvalidPathException e) {
            throw new UsageException("--out: '" + outText + "' is not a valid path (" + e.getReason() + ")");
        }
        if (args.has(CliOption.EVENTS_PER_FILE)) {
            datagen.eventsPerFile((int) args.wholeNumber(CliOption.EVENTS_PER_FILE, 1, Integer.MAX_VALUE));
        }
        if (args.has(CliOption.FILES_PER_SECOND)) {
            if (args.has(CliOption.EVENTS_PER_SECOND)) {
                throw new UsageException("Pace by --events-per-second or by --files-per-second, not both");
            }
            datagen.pacing(Pacing.filesPerSecond(args.positive(CliOption.FILES_PER_SECOND)));
        }
        datagen.overwrite(args.has(CliOption.OVERWRITE));
        datagen.options(); // every generator option checked before anything is written
        datagen.progressTo(err);
        WriteSummary summary = datagen.toFiles(dir);
        out.printf(Locale.ROOT, "Wrote %s to %s: %s%n", what(dataset, summary), outText, totals(summary));
        for (Manifest manifest : summary.manifests()) {
            Path streamDir = dataset.recordTypes().size() == 1 ? dir : dir.resolve(manifest.stream());
            out.printf(Locale.ROOT, "  %s: %s; manifest %s%n", manifest.stream(), flaws(manifest),
                    streamDir.resolve(Manifest.FILE_NAME));
        }
        return OK;
    }

    private int kafka(Datagen datagen, DatasetKind dataset, ParsedArgs args) {
        if (dataset.isDimension()) {
            throw new UsageException("The " + dataset.cliName() + " dataset is a dimension table: write it with the files"
                    + " command (or as a Delta table from code, see datagen/README.md)");
        }
        String servers = args.has(CliOption.BOOTSTRAP_SERVERS) ? args.required(CliOption.BOOTSTRAP_SERVERS)
                : defaultServers();
        Properties client = new Properties();
        client.put("bootstrap.servers", servers);
        for (String property : args.all(CliOption.KAFKA_PROPERTY)) {
            int equals = property.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--kafka-property takes KEY=VALUE, got '" + property + "'");
            }
            client.put(property.substring(0, equals).trim(), property.substring(equals + 1).trim());
        }
        if (args.has(CliOption.PARTITIONS)) {
            datagen.partitions((int) args.wholeNumber(CliOption.PARTITIONS, 1, 10_000));
        }
        if (args.has(CliOption.TIMEOUT)) {
            datagen.kafkaTimeout(args.duration(CliOption.TIMEOUT));
        }
        if (args.has(CliOption.MANIFEST_DIR)) {
            datagen.kafkaManifestDir(Path.of(args.required(CliOption.MANIFEST_DIR)));
        }
        String topic = args.has(CliOption.TOPIC) ? args.required(CliOption.TOPIC) : dataset.recordTypes().get(0).streamName();
        datagen.options();
        datagen.progressTo(err);
        WriteSummary summary = dataset == DatasetKind.ORDERS
                ? datagen.toKafka(client, topic, args.has(CliOption.SHIPMENTS_TOPIC)
                        ? args.required(CliOption.SHIPMENTS_TOPIC) : RecordType.SHIPMENT.streamName())
                : datagen.toKafka(client, topic);
        out.printf(Locale.ROOT, "Sent %s to %s: %s%n", what(dataset, summary), summary.destination(), totals(summary));
        for (Manifest manifest : summary.manifests()) {
            out.printf(Locale.ROOT, "  %s to topic %s: %s%n", manifest.stream(), manifest.output().get("topic"),
                    flaws(manifest));
        }
        return OK;
    }

    private static String defaultServers() {
        String fromEnvironment = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        return fromEnvironment == null || fromEnvironment.isBlank() ? "localhost:9092" : fromEnvironment.trim();
    }

    private static String what(DatasetKind dataset, WriteSummary summary) {
        return summary.manifests().stream()
                .map(m -> String.format(Locale.ROOT, "%,d %s %s", m.events(), m.stream(),
                        dataset.isDimension() ? "rows" : dataset == DatasetKind.ORDERS ? "" : "events").trim())
                .collect(Collectors.joining(" and "));
    }

    private static String totals(WriteSummary summary) {
        return String.format(Locale.ROOT, "%,d records%s in %.2f s (%,.0f records/s)", summary.records(),
                summary.files() > 0 ? String.format(Locale.ROOT, " in %,d file%s", summary.files(),
                        summary.files() == 1 ? "" : "s") : "",
                summary.elapsed().toNanos() / 1e9, summary.recordsPerSecond());
    }

    private static String flaws(Manifest m) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%,d %s", m.events(),
                m.firstEventTime() == null ? "rows" : "events"));
        if (m.firstEventTime() != null) {
            text.append(" from ").append(m.firstEventTime()).append(" to ").append(m.lastEventTime());
        }
        appendCount(text, m.late(), "late");
        appendCount(text, m.outOfOrder(), "out of order");
        appendCount(text, m.duplicates(), "duplicates");
        appendCount(text, m.brokenJson(), "broken JSON");
        appendCount(text, m.wrongType(), "wrong type");
        appendCount(text, m.schemaChanged(), "with the new field " + m.addedField());
        return text.toString();
    }

    private static void appendCount(StringBuilder text, long count, String what) {
        if (count > 0) {
            text.append(String.format(Locale.ROOT, ", %,d %s", count, what));
        }
    }

    private static String datasetsText() {
        StringBuilder text = new StringBuilder("Datasets (--dataset NAME) and the fields of their records:\n");
        for (DatasetKind dataset : DatasetKind.values()) {
            text.append('\n').append(dataset.cliName()).append(": ").append(dataset.description()).append('\n');
            for (RecordType type : dataset.recordTypes()) {
                StructType schema = type.schema();
                String fields = Arrays.stream(schema.fields()).map(DatagenCli::field).collect(Collectors.joining(", "));
                text.append("  ").append(type.streamName()).append(": ").append(fields).append('\n');
                if (!type.isDimension()) {
                    StructField added = type.evolvedSchema().fields()[schema.fields().length];
                    text.append("    key ").append(type.keyField()).append("; event time ").append(type.eventTimeField())
                            .append("; a schema change adds ").append(field(added)).append("; a wrong type puts a string in ")
                            .append(type.wrongTypeField()).append('\n');
                }
            }
        }
        return text.toString();
    }

    private static String field(StructField field) {
        return field.name() + " " + field.dataType().simpleString();
    }

    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** How the command line is launched, for the help text. */
    static String launch(String args) {
        return LAUNCH + args + "\"";
    }
}
