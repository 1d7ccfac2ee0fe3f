package io.streamingworkshop.testkit.sample;

public class LonelyExercise implements Lonely {
    @Override
    public int answer() {
        return 42;
    }
}
