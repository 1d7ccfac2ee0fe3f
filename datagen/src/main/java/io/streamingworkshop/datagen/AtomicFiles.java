package io.streamingworkshop.datagen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Makes files visible whole or not at all, as a streaming file source needs: write under a hidden
 * name (Spark skips names starting with {@code .} or {@code _}), then rename into place in one
 * atomic step. datagen's writers use it, and so do tests and walkthroughs that write a file
 * source's input by hand ({@link #writeLines}).
 */
public final class AtomicFiles {

    static final String IN_PROGRESS = ".inprogress";

    private AtomicFiles() {}

    /** Where {@code target} is written before it is published: {@code .<name>.inprogress} beside it. */
    static Path inProgress(Path target) {
        return target.resolveSibling("." + target.getFileName() + IN_PROGRESS);
    }

    static void publish(Path inProgress, Path target) {
        try {
            Files.move(inProgress, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DatagenException("Cannot publish " + target + ": " + OutputDirectory.reason(e), e);
        }
    }

    static void write(Path target, byte[] content) {
        Path hidden = inProgress(target);
        try {
            Files.write(hidden, content);
        } catch (IOException e) {
            throw new DatagenException("Cannot write " + target + ": " + OutputDirectory.reason(e), e);
        }
        publish(hidden, target);
    }

    /**
     * Writes {@code lines} (JSON lines, usually) as the file {@code fileName} in {@code directory},
     * created if missing, so that a streaming file source sees the whole file or nothing.
     */
    public static Path writeLines(Path directory, String fileName, List<String> lines) {
        if (fileName.startsWith(".") || fileName.startsWith("_")) {
            throw new IllegalArgumentException(
                    "Spark's file source ignores files whose names start with '.' or '_': " + fileName);
        }
        Path target = directory.resolve(fileName);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DatagenException("Cannot create " + directory + ": " + OutputDirectory.reason(e), e);
        }
        write(target, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        return target;
    }

    public static Path writeLines(Path directory, String fileName, String... lines) {
        return writeLines(directory, fileName, List.of(lines));
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a hidden leftover is ignored by Spark and removed by the next --overwrite
        }
    }
}
