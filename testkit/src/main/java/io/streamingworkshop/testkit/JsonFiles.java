package io.streamingworkshop.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes JSON-lines files the way a streaming file source must see them: whole or not at all.
 * Each file is written under a hidden name (Spark's file source skips names starting with
 * {@code .} or {@code _}) and then renamed into place in one atomic step.
 */
public final class JsonFiles {

    private JsonFiles() {
    }

    public static Path write(Path directory, String fileName, List<String> jsonLines) {
        if (fileName.startsWith(".") || fileName.startsWith("_")) {
            throw new IllegalArgumentException("Spark's file source ignores files whose names start with '.' or '_': "
                    + fileName);
        }
        WorkDir.createDirectories(directory);
        Path target = directory.resolve(fileName);
        Path hidden = directory.resolve("." + fileName + ".inprogress");
        try {
            Files.write(hidden, jsonLines, StandardCharsets.UTF_8);
            return Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    public static Path write(Path directory, String fileName, String... jsonLines) {
        return write(directory, fileName, List.of(jsonLines));
    }
}
