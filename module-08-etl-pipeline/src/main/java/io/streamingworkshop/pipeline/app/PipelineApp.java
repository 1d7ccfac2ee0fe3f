package io.streamingworkshop.pipeline.app;

import io.streamingworkshop.datagen.Durations;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The pipeline application: module 8's pipeline on live clicks, with a dashboard in the browser.
 * Run it with {@code ./mvnw -q -pl module-08-etl-pipeline -am verify -Papp,solutions} (see
 * module-08-etl-pipeline/APPLICATION.md for the options).
 *
 * <p>Every failure ends with one line on standard error and a non-zero exit code (2 for a bad
 * command line, a busy port or a missing input directory; 1 when the pipeline fails), never a
 * stack trace. {@link #run} returns the exit code, so tests can call it.
 */
@Command(
        name = "pipeline-app",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Runs module 8's bronze/silver/gold pipeline on a live clickstream and serves a dashboard.")
public final class PipelineApp implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @Option(
            names = "--input",
            paramLabel = "DIR",
            description = "Read JSON-lines files from DIR (default: ROOT/input, fed by the built-in generator).")
    Path input;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Read from Kafka at BOOTSTRAP instead of files.")
    String kafka;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description = "The Kafka topic (default: ${DEFAULT-VALUE}).",
            defaultValue = "clickstream")
    String topic;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "Tables and checkpoints (default: ${DEFAULT-VALUE}).",
            defaultValue = "target/pipeline")
    Path root;

    @Option(
            names = "--users",
            paramLabel = "DIR",
            description = "The users Delta table (default: ROOT/users, created if missing).")
    Path users;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[2]).")
    String master;

    @Option(
            names = "--trigger",
            paramLabel = "DURATION",
            description = "Micro-batch interval of every query (default: ${DEFAULT-VALUE}).",
            defaultValue = "2s")
    Duration trigger;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after DURATION (default: at Ctrl-C).")
    Duration duration;

    @Option(names = "--available-now", description = "Process what the input holds, layer by layer, then stop.")
    boolean availableNow;

    @Option(names = "--no-dashboard", description = "Do not serve the dashboard.")
    boolean noDashboard;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "Dashboard port on 127.0.0.1, 0 for any free one (default: ${DEFAULT-VALUE}).",
            defaultValue = "8088")
    int port;

    @Option(
            names = "--events",
            paramLabel = "N",
            description = "Clicks the built-in generator writes in this run (default: ${DEFAULT-VALUE}).",
            defaultValue = "200000")
    long events;

    @Option(
            names = "--rate",
            paramLabel = "R",
            description =
                    "Clicks per wall-clock second; the simulated clock runs 60 times faster (default: ${DEFAULT-VALUE}).",
            defaultValue = "50")
    double rate;

    @Option(names = "--no-generate", description = "Do not generate clicks: process only what the input holds.")
    boolean noGenerate;

    @Option(
            names = "--check",
            description =
                    "At the end, exit 1 unless bronze, silver and a gold table hold rows (for CI); waits up to 240 s past --duration for the first gold row.")
    boolean check;

    private final PrintStream out;
    private final PrintStream err;

    PipelineApp(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (Throwable e) {
            System.err.println("pipeline-app: unexpected error: " + oneLine(String.valueOf(e)));
            code = FAILED;
        }
        System.out.flush();
        // Spark leaves non-daemon threads behind: exit explicitly, with the code.
        System.exit(code);
    }

    /** Runs one command line to its end; returns the exit code (0 success, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PipelineApp app = new PipelineApp(out, err);
        CommandLine commandLine = new CommandLine(app);
        commandLine.registerConverter(Duration.class, PipelineApp::duration);
        commandLine.setExpandAtFiles(false);
        commandLine.setOut(new PrintWriter(out, true, Charset.defaultCharset()));
        commandLine.setErr(new PrintWriter(err, true, Charset.defaultCharset()));
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            err.println("pipeline-app: " + oneLine(usageMessage(e)));
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, where, parsed) -> {
            if (e instanceof UsageException) {
                err.println("pipeline-app: " + oneLine(e.getMessage()));
                return USAGE;
            }
            err.println("pipeline-app: " + oneLine(AppRun.describe(e)));
            return FAILED;
        });
        return commandLine.execute(args == null ? new String[0] : args);
    }

    @Override
    public Integer call() throws Exception {
        AppSettings settings = settings();
        try (AppRun run = AppRun.start(settings, out, err, null)) {
            // Through Hadoop's hook manager, at a higher priority than Spark's own hook: the queries stop
            // (their checkpoints consistent) before Spark stops the SparkContext under them.
            org.apache.hadoop.util.ShutdownHookManager.get()
                    .addShutdownHook(run::stopFromSignal, 100, 60, java.util.concurrent.TimeUnit.SECONDS);
            return run.awaitEnd();
        }
    }

    /** The options, checked; everything wrong with them is a {@link UsageException}. */
    AppSettings settings() {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port takes 0 to 65535, got " + port);
        }
        if (events < 1) {
            throw new UsageException("--events takes a whole number of 1 or more, got " + events);
        }
        if (!(rate > 0) || rate > 100_000) {
            throw new UsageException("--rate takes clicks per second above 0 and up to 100000, got " + rate);
        }
        if (trigger.isNegative()) {
            throw new UsageException("--trigger takes a duration of 0s or more");
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw new UsageException("--duration takes a duration above 0, e.g. 90s or 3m");
        }
        if (input != null && kafka != null) {
            throw new UsageException("--input and --kafka exclude each other: the pipeline reads files or Kafka");
        }
        if (input != null && !java.nio.file.Files.isDirectory(input)) {
            throw new UsageException("--input " + input + ": no such directory");
        }
        if (kafka != null && kafka.isBlank()) {
            throw new UsageException("--kafka takes bootstrap servers such as localhost:9092");
        }
        Path absoluteRoot = root.toAbsolutePath().normalize();
        return new AppSettings(
                input == null ? null : input.toAbsolutePath().normalize(),
                kafka,
                topic,
                absoluteRoot,
                users == null
                        ? absoluteRoot.resolve("users")
                        : users.toAbsolutePath().normalize(),
                master,
                trigger,
                duration,
                availableNow,
                !noDashboard,
                port,
                events,
                rate,
                // Files someone else put in --input are theirs: the generator writes only into its own directory.
                !noGenerate && input == null,
                check);
    }

    private static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(": " + e.getMessage());
        }
    }

    private static String usageMessage(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            return first.startsWith("-")
                    ? "Unknown option " + first.split("=", 2)[0] + " (see --help)"
                    : "Unexpected argument '" + first + "': options start with -- (see --help)";
        }
        if (e.getCause() instanceof TypeConversionException conversion && e.getArgSpec() != null) {
            String name = e.getArgSpec() instanceof CommandLine.Model.OptionSpec option
                    ? option.longestName()
                    : e.getArgSpec().paramLabel();
            String message = conversion.getMessage();
            return name + (message.startsWith(":") ? message : " " + message);
        }
        return e.getMessage();
    }

    static String oneLine(String message) {
        return message == null
                ? "(no message)"
                : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
