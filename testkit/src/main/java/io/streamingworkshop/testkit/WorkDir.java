package io.streamingworkshop.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where the workshop writes: checkpoints, tables, input files, broker logs. The build points
 * {@code workshop.workdir} under the module's {@code target/} (tests: {@code target/work},
 * walkthroughs: {@code target/walkthrough}), so nothing lands outside a directory {@code mvn clean}
 * removes.
 *
 * <p>A test gets its own directory, {@code target/work/<TestClass>/<testMethod>/}, emptied when the
 * test starts and kept afterwards, so a learner can look at the checkpoint, the offsets and the
 * files a failing test produced.
 */
public final class WorkDir {

    public static final String PROPERTY = "workshop.workdir";

    private final Path root;

    private WorkDir(Path root) {
        this.root = root;
    }

    public static WorkDir forTest(Class<?> testClass, String testName) {
        String className =
                testClass.getName().substring(testClass.getPackageName().length() + 1);
        return new WorkDir(fresh(className.replace('$', '.'), testName));
    }

    /** A directory under the run's base directory (walkthroughs, tools). Emptied first. */
    public static WorkDir named(String name) {
        return new WorkDir(fresh(name));
    }

    public Path root() {
        return root;
    }

    /** A sub-directory, created. */
    public Path dir(String name) {
        return createDirectories(root.resolve(name));
    }

    /** The path of a sub-directory as Spark wants it, not created (Spark creates checkpoints itself). */
    public String path(String name) {
        return root.resolve(name).toString();
    }

    @Override
    public String toString() {
        return root.toString();
    }

    /** The root for everything this JVM writes; created if missing. */
    public static Path base() {
        Path base = Path.of(System.getProperty(PROPERTY, "target/work"))
                .toAbsolutePath()
                .normalize();
        return createDirectories(base);
    }

    /** A directory under {@link #base()}, emptied first so each run starts clean. */
    public static Path fresh(String first, String... more) {
        Path dir = base().resolve(Path.of(first, more));
        deleteRecursively(dir);
        return createDirectories(dir);
    }

    public static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path + ": " + e.getMessage(), e);
        }
    }
}
