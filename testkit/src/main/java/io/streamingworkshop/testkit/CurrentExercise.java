package io.streamingworkshop.testkit;

import java.util.Optional;

/**
 * The exercise the running graded test checks, taken from its {@link Graded} annotation by
 * {@link WorkshopExtension}. Failure messages start with it ("Exercise 4.2: ..."), so no test writes
 * an exercise id by hand and a renumbered exercise cannot leave a stale id in a message.
 */
public final class CurrentExercise {

    private static final ThreadLocal<String> ID = new ThreadLocal<>();

    private CurrentExercise() {}

    /** The id of the exercise the current test grades, if it is a graded test. */
    public static Optional<String> id() {
        return Optional.ofNullable(ID.get());
    }

    static void set(String exerciseId) {
        ID.set(exerciseId);
    }

    static void clear() {
        ID.remove();
    }

    /**
     * {@code what} with "Exercise X.Y: " in front when a graded test is running, unless it already
     * names an exercise.
     */
    public static String prefix(String what) {
        String text = what == null ? "" : what;
        if (text.startsWith("Exercise ")) {
            return text;
        }
        return id().map(exercise -> "Exercise " + exercise + ": " + text).orElse(text);
    }
}
