package io.streamingworkshop.testkit;

import java.util.Optional;

/**
 * What every unfinished method of a starter class throws. Its first line names the exercise and
 * the file to edit; the next lines give the full path and the README section. Tests let it
 * propagate, so a learner who has not started an exercise sees exactly this, and the grader reads
 * it from the test report. Create it with {@link Todo#exercise(String, String)}.
 */
public final class ExerciseNotDoneException extends UnsupportedOperationException {

    private static final long serialVersionUID = 1L;

    private final String exerciseId;

    ExerciseNotDoneException(String exerciseId, String message) {
        super(message);
        this.exerciseId = exerciseId;
    }

    /** The exercise number, e.g. {@code "1.2"}. */
    public String exerciseId() {
        return exerciseId;
    }

    /** The nearest {@code ExerciseNotDoneException} in a cause chain (Spark wraps what a batch throws). */
    public static Optional<ExerciseNotDoneException> findIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ExerciseNotDoneException) {
                return Optional.of((ExerciseNotDoneException) t);
            }
        }
        return Optional.empty();
    }
}
