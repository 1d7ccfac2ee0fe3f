package io.streamingworkshop.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a graded test: which exercise it checks and what it is worth. {@link GradedDisplayNames}
 * puts both into the test's display name, e.g.
 * {@code "reads every file of the directory [exercise 1.1, 2 points]"}, which Surefire writes into
 * its XML reports; the grader and CI read them from there.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Graded {

    /** The exercise number, as in {@code Todo.exercise("1.1", ...)} and the README heading. */
    String exercise();

    /** Points for passing this test. */
    int points() default 1;
}
