package io.streamingworkshop.pipeline.app;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one run of the application does, checked and with every default filled in: the command
 * line's options ({@link PipelineApp}) or a test's choice.
 *
 * @param input a directory of JSON-lines files given by the user, or null for the built-in feed's ({@link #feedDirectory()})
 * @param kafka bootstrap servers, or null to read files
 * @param master the Spark master, or null for {@code local[2]} (or spark-submit's)
 * @param duration how long to run, or null until stopped
 * @param port the dashboard's port on 127.0.0.1, 0 for any free one
 * @param rate clicks per wall-clock second written by the built-in feed
 * @param generate whether the built-in feed writes clicks
 */
record AppSettings(
        Path input,
        String kafka,
        String topic,
        Path root,
        Path users,
        String master,
        Duration trigger,
        Duration duration,
        boolean availableNow,
        boolean dashboard,
        int port,
        long events,
        double rate,
        boolean generate,
        boolean check) {

    /** Where the built-in feed writes its files, and where the pipeline reads when no --input is given. */
    Path feedDirectory() {
        return root.resolve("input");
    }

    /** The directory the pipeline reads, when it reads files. */
    Path inputDirectory() {
        return input != null ? input : feedDirectory();
    }
}
