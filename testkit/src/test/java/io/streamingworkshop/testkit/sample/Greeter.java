package io.streamingworkshop.testkit.sample;

/** A tiny lab contract for testing the implementation switch. */
public interface Greeter {
    String greet(String name);
}
