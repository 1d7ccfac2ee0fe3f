package io.streamingworkshop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingworkshop.testkit.Implementations.Mode;
import io.streamingworkshop.testkit.sample.Greeter;
import io.streamingworkshop.testkit.sample.GreeterExercise;
import io.streamingworkshop.testkit.sample.GreeterSolution;
import io.streamingworkshop.testkit.sample.Lonely;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ImplementationsTest {

    private final String before = System.getProperty(Implementations.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(Implementations.PROPERTY);
        } else {
            System.setProperty(Implementations.PROPERTY, before);
        }
    }

    @Test
    void exerciseIsTheDefault() {
        System.clearProperty(Implementations.PROPERTY);
        assertThat(Implementations.mode()).isEqualTo(Mode.EXERCISE);
        assertThat(Implementations.load(Greeter.class)).isInstanceOf(GreeterExercise.class);
    }

    @Test
    void solutionModeLoadsTheSolution() {
        System.setProperty(Implementations.PROPERTY, "solution");
        assertThat(Implementations.load(Greeter.class)).isInstanceOf(GreeterSolution.class);
        assertThat(Implementations.load(Greeter.class).greet("Ada")).isEqualTo("Hello, Ada");
    }

    @Test
    void aMissingSolutionIsAnErrorNotAFallback() {
        assertThatThrownBy(() -> Implementations.load(Lonely.class, Mode.SOLUTION))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LonelySolution is not on this branch")
                .hasMessageContaining("Run without -Psolutions");
    }

    @Test
    void anUnknownModeIsRejected() {
        System.setProperty(Implementations.PROPERTY, "answers");
        assertThatThrownBy(Implementations::mode)
                .hasMessageContaining("must be 'exercise' or 'solution', not 'answers'");
    }

    @Test
    void onlyInterfacesAreContracts() {
        assertThatThrownBy(() -> Implementations.load(GreeterSolution.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unfinishedExercisesSayWhatToDoAndWhere() {
        Greeter greeter = Implementations.load(Greeter.class, Mode.EXERCISE);
        assertThatThrownBy(() -> greeter.greet("Ada"))
                .isInstanceOf(ExerciseNotDoneException.class)
                .hasMessageStartingWith(
                        "Exercise 0.1 (Say hello) is not done yet: edit GreeterExercise.java, method greet (TODO 0.1).")
                .hasMessageContaining("src/main/java/io/streamingworkshop/testkit/sample/GreeterExercise.java:")
                .hasMessageContaining("README.md, section \"Exercise 0.1: Say hello\"")
                .satisfies(e -> {
                    assertThat(((ExerciseNotDoneException) e).exerciseId()).isEqualTo("0.1");
                    // The learner's line first, then its caller: no wall of framework frames.
                    assertThat(e.getStackTrace()).hasSizeLessThanOrEqualTo(2);
                    assertThat(e.getStackTrace()[0].getClassName()).isEqualTo(GreeterExercise.class.getName());
                });
    }

    @Test
    void theNotDoneExceptionIsFoundInsideSparkWrappers() {
        Greeter greeter = new GreeterExercise();
        RuntimeException wrapped;
        try {
            greeter.greet("x");
            throw new AssertionError("unreachable");
        } catch (ExerciseNotDoneException e) {
            wrapped = new RuntimeException("batch failed", new IllegalStateException("task failed", e));
        }
        assertThat(ExerciseNotDoneException.findIn(wrapped))
                .get()
                .extracting(ExerciseNotDoneException::exerciseId)
                .isEqualTo("0.1");
        assertThat(ExerciseNotDoneException.findIn(new RuntimeException("other")))
                .isEmpty();
    }
}
