package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.DatasetKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top of the command line: {@code --help} prints the overview; without a command, an error. */
@Command(name = "datagen")
final class DatagenCommand implements Callable<Integer> {

    /** How the command line is launched, up to the command; the help texts close the quote. */
    static final String LAUNCH = "./mvnw -q -pl datagen exec:java -Dexec.args=\"";

    private final Terminal terminal;

    @Option(names = {"-h", "--help"})
    boolean help;

    DatagenCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (!help) {
            throw new UsageException("no command given. Commands: files, kafka, datasets, help (see --help)");
        }
        terminal.out().print(overview());
        return DatagenCli.OK;
    }

    static String overview() {
        return "datagen: seeded event streams (JSON files or Kafka) with the flaws real streams have.\n"
                + "\n"
                + "Usage, from the repository root after ./mvnw install -DskipTests:\n"
                + "  " + LAUNCH + "<command> [options]\"\n"
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
                + "  " + LAUNCH + "files --dataset iot --events 10000 --seed 42 --out data/iot\"\n"
                + "  " + LAUNCH + "files --dataset transactions --events 20000 --late-fraction 0.05"
                + " --duplicate-fraction 0.02 --out data/transactions\"\n"
                + "  " + LAUNCH + "kafka --dataset clickstream --bootstrap-servers localhost:9092"
                + " --topic clicks --events 600 --events-per-second 20\"\n"
                + "\n"
                + "Everything about the datasets, flaws and manifests: datagen/README.md\n";
    }
}
