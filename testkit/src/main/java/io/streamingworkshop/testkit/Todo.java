package io.streamingworkshop.testkit;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.Optional;

/**
 * The "not done yet" marker of the starter classes:
 *
 * <pre>{@code
 * public StreamingQuery startFirstQuery(...) {
 *     // TODO 1.1: read the directory as a stream ...
 *     throw Todo.exercise("1.1", "Your first streaming query");
 * }
 * }</pre>
 *
 * The message names the exercise, the file and method to edit (found from the caller, so it
 * cannot drift when files move) and the README section, whose heading is
 * {@code "Exercise <id>: <title>"} (CI checks that heading exists).
 */
public final class Todo {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private Todo() {}

    public static ExerciseNotDoneException exercise(String id, String title) {
        StackWalker.StackFrame caller =
                WALKER.walk(frames -> frames.skip(1).findFirst()).orElseThrow();
        Class<?> type = caller.getDeclaringClass();
        Optional<String> module = moduleOf(type);
        String prefix = module.map(m -> m + "/").orElse("");
        String file = prefix + "src/main/java/" + type.getName().replace('.', '/') + ".java";
        String message = "Exercise " + id + " (" + title + ") is not done yet: edit " + type.getSimpleName() + ".java, "
                + "method " + caller.getMethodName() + " (TODO " + id + ").\n"
                + "  File:   " + file + ":" + caller.getLineNumber() + "\n"
                + "  Guide:  " + prefix + "README.md, section \"Exercise " + id + ": " + title + "\"";
        ExerciseNotDoneException error = new ExerciseNotDoneException(id, message);
        // Keep the learner's line and whoever called it; Spark and JUnit frames only hide the message.
        StackTraceElement[] trace = error.getStackTrace();
        error.setStackTrace(Arrays.copyOfRange(trace, 1, Math.min(trace.length, 3)));
        return error;
    }

    /** The Maven module a class was compiled in, from where its class files live. */
    static Optional<String> moduleOf(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path location = Path.of(source.getLocation().toURI());
            // .../module-01-fundamentals/target/classes
            if (location.getFileName() != null
                    && location.getFileName().toString().equals("classes")
                    && location.getParent() != null
                    && location.getParent().getParent() != null) {
                return Optional.of(
                        location.getParent().getParent().getFileName().toString());
            }
            // .../module-01-fundamentals-1.0.0-SNAPSHOT.jar
            String jar =
                    location.getFileName() == null ? "" : location.getFileName().toString();
            if (jar.endsWith(".jar")) {
                return Optional.of(jar.replaceFirst("-\\d[^/]*\\.jar$", "").replaceFirst("\\.jar$", ""));
            }
            return Optional.empty();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
