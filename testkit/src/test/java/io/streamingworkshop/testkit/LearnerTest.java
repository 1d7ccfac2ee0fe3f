package io.streamingworkshop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingworkshop.testkit.sample.GreeterExercise;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@WorkshopTest
class LearnerTest {

    @Test
    void anUnfinishedExercisePassesThroughUnchanged() {
        assertThatThrownBy(() -> Learner.call(() -> new GreeterExercise().greet("Ada"), "a hint"))
                .isInstanceOf(ExerciseNotDoneException.class)
                .hasMessageStartingWith("Exercise 0.1 (Say hello) is not done yet");
    }

    @Test
    void aNullResultFailsWithAHint() {
        assertThatThrownBy(() -> Learner.call(() -> null, null))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("the method returned null\nHint: return what the exercise asks for, not null");
    }

    @Test
    void anExceptionBecomesAFailureWithTheRootCauseAndTheTestsHint() {
        assertThatThrownBy(() -> Learner.call(() -> Integer.parseInt("x"), "parse the number"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage(
                        "your method threw: NumberFormatException: For input string: \"x\"\nHint: parse the number");
    }

    @Test
    @Graded(exercise = "9.9", points = 0)
    void aKnownTrapOverridesTheHintAndTheExerciseComesFromGraded() {
        // The text Java gives the NullPointerException of query.lastProgress().numInputRows() before
        // the first micro-batch has reported its progress.
        String npe = "Cannot invoke \"org.apache.spark.sql.streaming.StreamingQueryProgress.numInputRows()\" because"
                + " the return value of \"org.apache.spark.sql.streaming.StreamingQuery.lastProgress()\" is null";
        assertThatThrownBy(() -> Learner.call(
                        () -> {
                            throw new IllegalStateException("wrapped", new NullPointerException(npe));
                        },
                        "the test's own hint"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("Exercise 9.9: your method threw: NullPointerException: Cannot invoke")
                .hasMessageContaining("Hint: lastProgress() is null until the query has reported")
                .hasMessageNotContaining("the test's own hint");
    }

    @Test
    @Graded(exercise = "9.9", points = 0)
    void aMessageThatNamesItsExerciseIsNotPrefixedTwice() {
        assertThat(Failures.message("Exercise 1.2: the rows", null)).isEqualTo("Exercise 1.2: the rows");
        assertThat(Failures.message("the rows", "h")).isEqualTo("Exercise 9.9: the rows\nHint: h");
    }
}
