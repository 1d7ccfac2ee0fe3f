package io.streamingworkshop.testkit.sample;

import io.streamingworkshop.testkit.Todo;

public class GreeterExercise implements Greeter {
    @Override
    public String greet(String name) {
        throw Todo.exercise("0.1", "Say hello");
    }
}
