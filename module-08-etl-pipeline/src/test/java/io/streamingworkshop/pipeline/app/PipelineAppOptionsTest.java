package io.streamingworkshop.pipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command line the application cannot run with ends in one clear line on standard error and a
 * non-zero exit code, before Spark starts and without a stack trace. Not graded.
 */
@Tag("ungraded")
class PipelineAppOptionsTest {

    @TempDir
    Path root;

    record Result(int code, String out, String err) {}

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PipelineApp.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLine(Result result, String expected) {
        assertThat(result.code()).as("exit code of a bad command line").isEqualTo(PipelineApp.USAGE);
        assertThat(result.err().lines()).as("standard error: one line").hasSize(1);
        assertThat(result.err()).startsWith("pipeline-app: ").contains(expected).doesNotContain("\tat ", "Exception");
    }

    @Test
    void anUnknownOptionIsOneLine() {
        assertOneLine(run("--root", root.toString(), "--colour", "blue"), "Unknown option --colour");
    }

    @Test
    void aValueOfTheWrongKindIsOneLine() {
        assertOneLine(run("--root", root.toString(), "--trigger", "soon"), "--trigger: 'soon' is not a duration");
    }

    @Test
    void aMissingInputDirectoryIsOneLine() {
        Path missing = root.resolve("no-such-dir");
        assertOneLine(run("--root", root.toString(), "--input", missing.toString()), "no such directory");
        assertThat(missing).doesNotExist();
    }

    @Test
    void nothingToReadWithoutTheFeedIsOneLine() {
        assertOneLine(run("--root", root.resolve("fresh").toString(), "--no-generate"), "does not exist");
    }

    @Test
    void aBusyPortIsOneLineBeforeSparkStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Result result = run("--root", root.resolve("busy").toString(), "--port", Integer.toString(port));
            assertOneLine(result, "port " + port + " on 127.0.0.1 is in use");
            assertThat(root.resolve("busy"))
                    .as("nothing written before the port was refused")
                    .doesNotExist();
        }
    }

    @Test
    void helpListsTheOptions() {
        Result result = run("--help");
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("--input", "--kafka", "--root", "--port", "--duration", "--available-now");
        assertThat(Files.exists(root.resolve("input"))).isFalse();
    }
}
