package io.streamingworkshop.datagen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Makes files visible whole or not at all, as a streaming file source needs: write under a hidden
 * name (Spark skips names starting with {@code .} or {@code _}), then rename into place in one
 * atomic step. The same approach as the test kit's {@code JsonFiles}, for byte streams.
 */
final class AtomicFiles {

    static final String IN_PROGRESS = ".inprogress";

    private AtomicFiles() {
    }

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

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a hidden leftover is ignored by Spark and removed by the next --overwrite
        }
    }
}
