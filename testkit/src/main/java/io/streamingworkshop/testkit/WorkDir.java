package io.streamingworkshop.testkit;

import java.nio.file.Path;

/**
 * A test's own directory, {@code target/work/<TestClass>/<testMethod>/}, emptied when the test
 * starts and kept afterwards, so a learner can look at the checkpoint, the offsets and the files a
 * failing test produced.
 */
public final class WorkDir {

    private final Path root;

    private WorkDir(Path root) {
        this.root = root;
    }

    public static WorkDir forTest(Class<?> testClass, String testName) {
        String className = testClass.getName().substring(testClass.getPackageName().length() + 1);
        return new WorkDir(Workdirs.fresh(className.replace('$', '.'), testName));
    }

    /** A directory under the run's base directory (walkthroughs, tools). Emptied first. */
    public static WorkDir named(String name) {
        return new WorkDir(Workdirs.fresh(name));
    }

    public Path root() {
        return root;
    }

    /** A sub-directory, created. */
    public Path dir(String name) {
        return Workdirs.createDirectories(root.resolve(name));
    }

    /** The path of a sub-directory as Spark wants it, not created (Spark creates checkpoints itself). */
    public String path(String name) {
        return root.resolve(name).toString();
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
