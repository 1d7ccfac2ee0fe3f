package io.streamingworkshop.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * What a streaming file source sees while datagen writes: a reader polls the directory as fast as
 * it can during the run and must only ever find whole files whose every line is one of the
 * records the run makes (the intended malformed ones included), in full.
 */
@WorkshopTest
class AtomicFilesTest {

    @Test
    void aReaderPollingDuringTheRunSeesOnlyWholeFilesOfWholeRecords(WorkDir work) throws Exception {
        Path dir = work.dir("live");
        Datagen datagen = Datagen.iot()
                .events(20_000)
                .eventsPerFile(50)
                .malformed(0.05)
                .duplicates(0.02, Duration.ZERO)
                // 400 files at 250 per second: the run lasts about 1.6 s, long enough to poll it hundreds of times.
                .pacing(Pacing.filesPerSecond(250));
        Map<String, Flaw> expected = new HashMap<>();
        datagen.records().forEach(r -> expected.put(r.json(), r.flaw()));

        CompletableFuture<WriteSummary> writer = CompletableFuture.supplyAsync(() -> datagen.toFiles(dir));
        Set<String> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        int polls = 0;
        int filesSeenWhileWriting = 0;
        long brokenJsonSeen = 0;
        while (true) {
            boolean finished = writer.isDone();
            polls++;
            for (Path file : DataFiles.visible(dir)) {
                if (!seen.add(file.getFileName().toString())) {
                    continue;
                }
                if (!finished) {
                    filesSeenWhileWriting++;
                }
                byte[] bytes = readWhole(file);
                String text = new String(bytes, StandardCharsets.UTF_8);
                if (!text.endsWith("\n")) {
                    problems.add(file.getFileName() + " does not end with a line break: a partial file");
                }
                for (String line : text.split("\n")) {
                    Flaw flaw = expected.get(line);
                    if (flaw == null) {
                        problems.add(file.getFileName() + " has a line the run never made: " + line);
                    } else if (DataFiles.parse(line) == null) {
                        brokenJsonSeen++;
                        if (flaw != Flaw.BROKEN_JSON) {
                            problems.add(file.getFileName() + " has a line that is not JSON: " + line);
                        }
                    }
                }
            }
            if (finished) {
                break;
            }
        }
        WriteSummary summary = writer.get(30, TimeUnit.SECONDS);

        assertThat(problems).isEmpty();
        assertThat(seen).hasSize((int) summary.files()).hasSize(408);
        assertThat(filesSeenWhileWriting)
                .as("files read while the writer was still running")
                .isGreaterThan(100);
        assertThat(polls).isGreaterThan(100);
        assertThat(brokenJsonSeen).isEqualTo(summary.manifest().brokenJson()).isEqualTo(500);
    }

    private static byte[] readWhole(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AssertionError("A visible file could not be read: " + file + ": " + e, e);
        }
    }

    @Test
    void writesLinesAsOneWholeFileAndLeavesNoTemporaryFileBehind(WorkDir work) throws Exception {
        Path dir = work.dir("in");
        Path file = AtomicFiles.writeLines(dir, "part-1.json", "{\"a\":1}", "{\"a\":2}");
        assertThat(Files.readAllLines(file)).containsExactly("{\"a\":1}", "{\"a\":2}");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("part-1.json");
        }
    }

    @Test
    void refusesNamesTheFileSourceWouldIgnore(WorkDir work) {
        Assertions.assertThatThrownBy(() -> AtomicFiles.writeLines(work.dir("in"), "_part.json", "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ignores files whose names start with");
    }
}
