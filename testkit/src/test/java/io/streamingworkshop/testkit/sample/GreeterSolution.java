package io.streamingworkshop.testkit.sample;

public class GreeterSolution implements Greeter {
    @Override
    public String greet(String name) {
        return "Hello, " + name;
    }
}
