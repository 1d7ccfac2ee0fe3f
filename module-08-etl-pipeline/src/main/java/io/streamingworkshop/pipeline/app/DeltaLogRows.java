package io.streamingworkshop.pipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The rows of an append-only Delta table, from its log: every commit file ({@code
 * _delta_log/00000000000000000012.json}) lists the data files it added, each with its {@code
 * numRecords} in its statistics. Read incrementally, one new commit at a time, it counts a table
 * that grows every micro-batch without running a Spark job.
 *
 * <p>The pipeline's streaming queries only append. A commit that removes files (an OPTIMIZE or a
 * DELETE someone ran by hand) subtracts the removed files' records when they carry statistics.
 */
final class DeltaLogRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path log;
    private long readUpTo = -1;
    private long rows;

    DeltaLogRows(Path table) {
        this.log = table.resolve("_delta_log");
    }

    /** The rows at {@code version}, reading the commits after the last one read. */
    synchronized long rowsUpTo(long version) {
        while (readUpTo < version) {
            Path commit = log.resolve(String.format("%020d.json", readUpTo + 1));
            try (BufferedReader lines = Files.newBufferedReader(commit, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    JsonNode action = JSON.readTree(line);
                    rows += records(action.get("add")) - records(action.get("remove"));
                }
            } catch (NoSuchFileException e) {
                // Cleaned up by log retention (after 30 days by default): nothing more to learn from it.
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + commit + ": " + e.getMessage(), e);
            }
            readUpTo++;
        }
        return rows;
    }

    private static long records(JsonNode file) {
        if (file == null || !file.hasNonNull("stats")) {
            return 0;
        }
        try {
            return JSON.readTree(file.get("stats").asText()).path("numRecords").asLong(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
