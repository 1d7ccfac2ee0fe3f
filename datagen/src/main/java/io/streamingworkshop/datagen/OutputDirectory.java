package io.streamingworkshop.datagen;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Gets a directory ready for a run's files without losing anything: a new or empty directory is
 * used as it is; one with files in it is refused, unless {@code overwrite} is set and every file
 * in it is one an earlier run wrote (part files, manifest, flaw log, leftovers of an interrupted run).
 */
final class OutputDirectory {

    /** What datagen writes into an output directory, and nothing else. */
    private static final Pattern OURS =
            Pattern.compile("part-\\d+\\.json|_manifest\\.json|_flaws\\.jsonl|\\..*\\" + AtomicFiles.IN_PROGRESS);

    private OutputDirectory() {}

    static Path prepare(Path dir, boolean overwrite) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DatagenException("Cannot write to " + dir + ": it is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DatagenException("Cannot create the output directory " + dir + ": " + reason(e), e);
        }
        List<Path> entries = list(dir);
        if (!entries.isEmpty()) {
            if (!overwrite) {
                throw new DatagenException(
                        dir + " is not empty (" + describe(entries) + "): datagen writes into a new or"
                                + " empty directory. Choose another directory, delete this one, or overwrite what an earlier run"
                                + " wrote there (--overwrite, or overwrite(true) in code)");
            }
            List<Path> foreign = entries.stream()
                    .filter(p -> !Files.isRegularFile(p)
                            || !OURS.matcher(p.getFileName().toString()).matches())
                    .collect(Collectors.toList());
            if (!foreign.isEmpty()) {
                throw new DatagenException(dir + " holds entries datagen did not write (" + describe(foreign)
                        + "); it overwrites only its own files, so choose another directory");
            }
            for (Path ours : entries) {
                try {
                    Files.delete(ours);
                } catch (IOException e) {
                    throw new DatagenException("Cannot delete " + ours + " to overwrite it: " + reason(e), e);
                }
            }
        }
        if (!Files.isWritable(dir)) {
            throw new DatagenException("Cannot write to " + dir + ": permission denied");
        }
        return dir;
    }

    /** A directory for files that replace their earlier versions (Kafka manifests): created if missing, never emptied. */
    static Path ensureExists(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DatagenException("Cannot write to " + dir + ": it is a file, not a directory");
        }
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DatagenException("Cannot create the directory " + dir + ": " + reason(e), e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().collect(Collectors.toCollection(ArrayList::new));
        } catch (IOException e) {
            throw new DatagenException("Cannot read the directory " + dir + ": " + reason(e), e);
        }
    }

    private static String describe(List<Path> entries) {
        String first = entries.get(0).getFileName().toString();
        return entries.size() == 1 ? first : first + " and " + (entries.size() - 1) + " more";
    }

    /** The reason of a file-system error in a few words: the JDK's messages repeat the path and omit the cause. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file with that name is in the way (" + ((FileSystemException) e).getFile() + ")";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory (" + ((FileSystemException) e).getFile() + ")";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            FileSystemException fs = (FileSystemException) e;
            return fs.getReason().toLowerCase(Locale.ROOT) + (fs.getFile() == null ? "" : " (" + fs.getFile() + ")");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
