package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.DatasetKind;
import io.streamingworkshop.datagen.Manifest;
import io.streamingworkshop.datagen.RecordType;
import io.streamingworkshop.datagen.WriteSummary;
import io.streamingworkshop.datagen.cli.OnlyFor.Datasets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kafka}: a dataset sent to Kafka topics, keyed, JSON values. */
@Command(
        name = "kafka",
        header = {
            "datagen kafka: send a dataset to a Kafka topic, keyed (device or user; order for orders and",
            "shipments), JSON values. Missing topics are created. To start a local broker, see",
            "datagen/README.md, section \"A local Kafka broker\".",
            ""
        },
        customSynopsis = DatagenCommand.LAUNCH
                + "kafka --dataset NAME [--bootstrap-servers HOST:PORT] [--topic NAME] [options]\"",
        footer = {"", "DURATION: 500ms, 30s, 10m, 1h30m, 2d. F: a fraction, e.g. 0.05 for 5%%."})
final class KafkaCommand extends WriteCommand {

    @Mixin
    Output output = new Output();

    @HelpSection("Output")
    static final class Output {
        @Option(
                names = "--bootstrap-servers",
                paramLabel = "HOST:PORT",
                order = 30,
                description = "the Kafka broker(s) [$KAFKA_BOOTSTRAP_SERVERS, else localhost:9092]")
        String bootstrapServers;

        @Option(
                names = "--topic",
                paramLabel = "NAME",
                order = 31,
                description = "topic to write to, created if missing [the dataset's name]")
        String topic;

        @OnlyFor(Datasets.ORDERS)
        @Option(
                names = "--shipments-topic",
                paramLabel = "NAME",
                order = 32,
                description = "orders: topic for the shipments [shipments]")
        String shipmentsTopic;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                order = 33,
                description = "partitions of a topic this run creates [2]")
        Integer partitions;

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                order = 34,
                description = "how long to wait for the broker to answer [10s]")
        Duration timeout;

        @Option(
                names = "--kafka-property",
                paramLabel = "KEY=VALUE",
                order = 35,
                description = "a Kafka client setting, e.g. security.protocol=SASL_PLAINTEXT (repeatable) [none]")
        List<String> kafkaProperties = List.of();

        @Option(
                names = "--manifest-dir",
                paramLabel = "DIR",
                order = 36,
                description = "write <topic>.manifest.json and <topic>.flaws.jsonl here [none]")
        String manifestDir;
    }

    KafkaCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    int write(Datagen datagen, DatasetKind dataset) {
        if (dataset.isDimension()) {
            throw new UsageException(
                    "The " + dataset.cliName() + " dataset is a dimension table: write it with the files"
                            + " command (or as a Delta table from code, see datagen/README.md)");
        }
        String servers = ifGiven("--bootstrap-servers");
        Properties client = new Properties();
        client.put("bootstrap.servers", servers != null ? servers : defaultServers());
        for (String property : output.kafkaProperties) {
            int equals = property.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--kafka-property takes KEY=VALUE, got '" + property + "'");
            }
            client.put(
                    property.substring(0, equals).trim(),
                    property.substring(equals + 1).trim());
        }
        if (output.partitions != null) {
            datagen.partitions(output.partitions);
        }
        if (output.timeout != null) {
            datagen.kafkaTimeout(output.timeout);
        }
        String manifestDir = ifGiven("--manifest-dir");
        if (manifestDir != null) {
            datagen.kafkaManifestDir(Path.of(manifestDir));
        }
        String topic = ifGiven("--topic");
        if (topic == null) {
            topic = dataset.recordTypes().get(0).streamName();
        }
        String shipmentsTopic = ifGiven("--shipments-topic");
        datagen.progressTo(terminal.err());
        WriteSummary summary = dataset == DatasetKind.ORDERS
                ? datagen.toKafka(
                        client, topic, shipmentsTopic != null ? shipmentsTopic : RecordType.SHIPMENT.streamName())
                : datagen.toKafka(client, topic);
        terminal.out()
                .printf(
                        Locale.ROOT,
                        "Sent %s to %s: %s%n",
                        Summary.what(dataset, summary),
                        summary.destination(),
                        Summary.totals(summary));
        for (Manifest manifest : summary.manifests()) {
            terminal.out()
                    .printf(
                            Locale.ROOT,
                            "  %s to topic %s: %s%n",
                            manifest.stream(),
                            manifest.output().get("topic"),
                            Summary.flaws(manifest));
        }
        return DatagenCli.OK;
    }

    private static String defaultServers() {
        String fromEnvironment = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        return fromEnvironment == null || fromEnvironment.isBlank() ? "localhost:9092" : fromEnvironment.trim();
    }
}
