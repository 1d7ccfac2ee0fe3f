package io.streamingworkshop.datagen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reading back what a run wrote, the way a file source sees it: visible data files only, in name order. */
final class DataFiles {

    static final ObjectMapper JSON = new ObjectMapper();

    private DataFiles() {}

    /** The files Spark's file source would read: names not starting with '.' or '_'. */
    static List<Path> visible(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> {
                        String name = p.getFileName().toString();
                        return !name.startsWith(".") && !name.startsWith("_") && Files.isRegularFile(p);
                    })
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry of the directory, hidden ones included. */
    static List<String> names(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All data lines of the directory, file after file. */
    static List<String> allLines(Path dir) {
        List<String> lines = new ArrayList<>();
        for (Path file : visible(dir)) {
            lines.addAll(lines(file));
        }
        return lines;
    }

    /** Every file of the directory by name, as bytes: for comparing two runs to the byte. */
    static Map<String, byte[]> contents(Path dir) {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (String name : names(dir)) {
            try {
                contents.put(name, Files.readAllBytes(dir.resolve(name)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return contents;
    }

    /** The parsed JSON, or null if the line is not JSON. */
    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }
}
