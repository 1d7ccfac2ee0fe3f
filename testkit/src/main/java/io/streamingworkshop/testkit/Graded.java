package io.streamingworkshop.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a graded test: which exercise it checks and what it is worth. {@link GradedDisplayNames}
 * puts both into the test's display name, e.g.
 * {@code "reads every file of the directory [exercise 1.1, 2 points]"}, which Surefire writes into
 * its XML reports; the grader and CI read them from there.
 *
 * <p>It also tags the test {@value #TAG}, so that grading ({@code -Pgrade}) runs the graded tests
 * of the lab modules and nothing else: the test kit's own tests are worth no points.
 */
@Documented
@Tag(Graded.TAG)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Graded {

    /** The JUnit tag every graded test carries; the {@code grade} profile of the parent pom selects it. */
    String TAG = "graded";

    /** The exercise number, as in {@code Todo.exercise("1.1", ...)} and the README heading. */
    String exercise();

    /** Points for passing this test. */
    int points() default 1;
}
