package io.streamingworkshop.testkit.sample;

/** A contract with an exercise but no solution, as on a student branch. */
public interface Lonely {
    int answer();
}
