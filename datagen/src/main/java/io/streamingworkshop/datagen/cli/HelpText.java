package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.DatasetKind;

/** The help of the command line, made from {@link CliOption} so it always lists the options there are. */
final class HelpText {

    private HelpText() {
    }

    static String overview() {
        return "datagen: seeded event streams (JSON files or Kafka) with the flaws real streams have.\n"
                + "\n"
                + "Usage, from the repository root after ./mvnw install -DskipTests:\n"
                + "  " + DatagenCli.launch("<command> [options]") + "\n"
                + "\n"
                + "Commands:\n"
                + "  files      write a dataset as JSON-lines files, with _manifest.json and _flaws.jsonl beside them\n"
                + "  kafka      send a dataset to Kafka topics (keyed, JSON values)\n"
                + "  datasets   list the datasets and the fields of their records\n"
                + "  help       this text; help files, help kafka (or files --help) for a command's options\n"
                + "\n"
                + "Datasets: " + DatasetKind.names() + "\n"
                + "\n"
                + "Examples:\n"
                + "  " + DatagenCli.launch("files --dataset iot --events 10000 --seed 42 --out data/iot") + "\n"
                + "  " + DatagenCli.launch("files --dataset transactions --events 20000 --late-fraction 0.05"
                        + " --duplicate-fraction 0.02 --out data/transactions") + "\n"
                + "  " + DatagenCli.launch("kafka --dataset clickstream --bootstrap-servers localhost:9092"
                        + " --topic clicks --events 600 --events-per-second 20") + "\n"
                + "\n"
                + "Everything about the datasets, flaws and manifests: datagen/README.md\n";
    }

    static String command(String command) {
        StringBuilder text = new StringBuilder();
        if (command.equals("files")) {
            text.append("datagen files: write a dataset as JSON-lines files. Each file appears whole (written under a\n"
                    + "hidden name, then renamed), so a streaming file source never reads half a file. For orders, the\n"
                    + "streams go to DIR/orders and DIR/shipments.\n\n")
                    .append("Usage: ").append(DatagenCli.launch("files --dataset NAME --out DIR [options]")).append("\n");
        } else {
            text.append("datagen kafka: send a dataset to a Kafka topic, keyed (device or user; order for orders and\n"
                    + "shipments), JSON values. Missing topics are created. To start a local broker, see\n"
                    + "datagen/README.md, section \"A local Kafka broker\".\n\n")
                    .append("Usage: ").append(DatagenCli.launch("kafka --dataset NAME [--bootstrap-servers HOST:PORT]"
                            + " [--topic NAME] [options]")).append("\n");
        }
        section(text, command, CliOption.Group.WHAT, "What to generate");
        section(text, command, CliOption.Group.FLAWS, "Flaws (each off unless its fraction is above 0; each event"
                + " carries at most one,\nso the late, out-of-order, duplicate and malformed fractions add up to 1 at most)");
        section(text, command, command.equals("files") ? CliOption.Group.FILES : CliOption.Group.KAFKA, "Output");
        section(text, command, CliOption.Group.PACING, "Pacing and help");
        text.append("\nDURATION: 500ms, 30s, 10m, 1h30m, 2d. F: a fraction, e.g. 0.05 for 5%.\n");
        return text.toString();
    }

    private static void section(StringBuilder text, String command, CliOption.Group group, String title) {
        text.append('\n').append(title).append(":\n");
        for (CliOption option : CliOption.values()) {
            if (option.group != group || !option.belongsTo(command)) {
                continue;
            }
            String left = "--" + option.name + (option.argument == null ? "" : " " + option.argument);
            text.append(String.format("  %-34s %s", left, option.help));
            if (option.defaultText != null) {
                text.append(option.defaultText.startsWith("(") ? " " + option.defaultText : " [" + option.defaultText + "]");
            }
            text.append('\n');
        }
    }
}
