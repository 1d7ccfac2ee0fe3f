package io.streamingworkshop.datagen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingworkshop.datagen.DatasetKind;
import io.streamingworkshop.datagen.Manifest;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line through {@link DatagenCli#run}, which returns the exit code instead of exiting. */
@WorkshopTest
class DatagenCliTest {

    /** One run of the command line: its exit code and what it printed. */
    static final class Run {
        final int code;
        final String out;
        final String err;

        Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }

    static Run run(String commandLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DatagenCli.run(
                commandLine.trim().split("\\s+"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A bad command line ends with exactly one line on standard error, never a stack trace. */
    static void failsWithOneLine(Run run, int code, String message) {
        assertThat(run.code).isEqualTo(code);
        assertThat(run.err).isEqualTo("datagen: " + message + System.lineSeparator());
        assertThat(run.out).isEmpty();
    }

    @Test
    void writesFilesAndPrintsASummary(WorkDir work) {
        Path out = work.root().resolve("iot");
        Run run = run("files --dataset iot --events 10000 --seed 42 --late-fraction 0.05 --late-by 10m --out " + out);
        assertThat(run.code).isZero();
        assertThat(run.out)
                .startsWith("Wrote 10,000 iot events to " + out + ": 10,000 records in 10 files in ")
                .contains("iot: 10,000 events from 2024-05-01T10:00:00Z to 2024-05-01T10:16:39.900Z, 500 late;"
                        + " manifest " + out.resolve("_manifest.json"));
        Manifest manifest = Manifest.read(out);
        assertThat(manifest.events()).isEqualTo(10_000);
        assertThat(manifest.late()).isEqualTo(500);
        assertThat(manifest.seed()).isEqualTo(42L);
    }

    @Test
    void anUnknownDatasetIsRefused(WorkDir work) {
        failsWithOneLine(
                run("files --dataset weather --out " + work.root()),
                DatagenCli.USAGE,
                "Unknown dataset 'weather': choose one of iot, clickstream, orders, transactions, users, products");
    }

    @Test
    void aFractionOutside0To1IsRefused(WorkDir work) {
        failsWithOneLine(
                run("files --dataset iot --late-fraction 1.5 --out "
                        + work.root().resolve("x")),
                DatagenCli.USAGE,
                "--late-fraction must be a fraction between 0 and 1 (e.g. 0.05 for 5%), got 1.5");
        failsWithOneLine(
                run("files --dataset iot --malformed-fraction lots --out "
                        + work.root().resolve("x")),
                DatagenCli.USAGE,
                "--malformed-fraction takes a number, got 'lots'");
        assertThat(work.root().resolve("x")).doesNotExist();
    }

    @Test
    void anUnwritableDirectoryIsRefused(WorkDir work) throws Exception {
        // Permissions do not stop root, so the directory is made impossible another way: a file is in its path.
        Path file = Files.writeString(work.root().resolve("not-a-directory"), "x");
        failsWithOneLine(
                run("files --dataset iot --out " + file.resolve("iot")),
                DatagenCli.FAILED,
                "Cannot create the output directory " + file.resolve("iot") + ": not a directory ("
                        + file.resolve("iot") + ")");
    }

    @Test
    void aBrokerThatDoesNotAnswerIsReportedAfterTheTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        long started = System.nanoTime();
        Run run = run("kafka --dataset iot --bootstrap-servers 127.0.0.1:" + closedPort + " --timeout 1s");
        failsWithOneLine(
                run,
                DatagenCli.FAILED,
                "No Kafka broker answered at 127.0.0.1:" + closedPort + " within 1s."
                        + " Is it running? (To start one: see datagen/README.md, section \"A local Kafka broker\")");
        assertThat((System.nanoTime() - started) / 1e9)
                .as("seconds until the error")
                .isLessThan(10);
    }

    @Test
    void otherMistakesAreOneLineEach(WorkDir work) {
        String out = " --out " + work.root().resolve("never");
        failsWithOneLine(
                run("files --dataset iot --devcies 3" + out),
                DatagenCli.USAGE,
                "Unknown option --devcies for the files command (see files --help)");
        failsWithOneLine(
                run("files --dataset users --late-fraction 0.1" + out),
                DatagenCli.USAGE,
                "--late-fraction does not apply to the users dataset (a dimension table has no events, times or flaws)");
        failsWithOneLine(
                run("files --dataset iot --devices 3"),
                DatagenCli.USAGE,
                "The files command needs --out DIR (see files --help)");
        failsWithOneLine(
                run("files --dataset iot --late-by soon" + out),
                DatagenCli.USAGE,
                "--late-by: 'soon' is not a duration (examples: 500ms, 30s, 10m, 1h30m, 2d)");
        failsWithOneLine(
                run("files --dataset iot --late-fraction 0.7 --duplicate-fraction 0.7" + out),
                DatagenCli.USAGE,
                "The late, out-of-order, duplicate and malformed fractions add up to 1.4; each event carries at most one"
                        + " of these flaws, so they must add up to 1 or less");
        failsWithOneLine(
                run("kafka --dataset products"),
                DatagenCli.USAGE,
                "The products dataset is a dimension table:"
                        + " write it with the files command (or as a Delta table from code, see datagen/README.md)");
        failsWithOneLine(
                run("stream --dataset iot"),
                DatagenCli.USAGE,
                "Unknown command 'stream': use files, kafka, datasets or help");
        assertThat(work.root().resolve("never")).doesNotExist();
    }

    @Test
    void helpListsTheCommandsAndEveryOptionOfACommand() {
        Run overview = run("--help");
        assertThat(overview.code).isZero();
        assertThat(overview.out).contains("files ", "kafka ", "datasets ", DatasetKind.names());
        Run files = run("files --help");
        assertThat(files.code).isZero();
        CommandLine commands = DatagenCli.commandLine(new Terminal(System.out, System.err));
        Set<String> filesOptions = optionNames(commands.getSubcommands().get("files"));
        Set<String> allOptions = new TreeSet<>(filesOptions);
        allOptions.addAll(optionNames(commands.getSubcommands().get("kafka")));
        for (String option : allOptions) {
            assertThat(files.out.contains(option + " "))
                    .as("%s in files --help", option)
                    .isEqualTo(filesOptions.contains(option));
        }
        Run kafka = run("help kafka");
        assertThat(kafka.out).contains("--bootstrap-servers HOST:PORT", "--topic NAME", "--timeout DURATION");
        assertThat(run("datasets").out).contains("shipments: shipment_id string, shipment_order_id string");
    }

    private static Set<String> optionNames(CommandLine command) {
        return command.getCommandSpec().options().stream()
                .map(OptionSpec::longestName)
                .collect(Collectors.toSet());
    }

    @Test
    void sendsADatasetToKafka(WorkDir work) {
        KafkaBroker kafka = KafkaBroker.shared();
        Run run = run("kafka --dataset orders --events 500 --topic cli-orders --shipments-topic cli-shipments"
                + " --bootstrap-servers " + kafka.bootstrapServers() + " --manifest-dir " + work.root());
        assertThat(run.err).isEmpty();
        assertThat(run.code).isZero();
        assertThat(run.out)
                .startsWith("Sent 500 orders and 450 shipments to cli-orders, cli-shipments at "
                        + kafka.bootstrapServers() + ": 950 records in ");
        assertThat(Manifest.read(work.root().resolve("cli-shipments.manifest.json"))
                        .events())
                .isEqualTo(450);
        assertThat(work.root().resolve("cli-orders.flaws.jsonl")).exists();
    }
}
