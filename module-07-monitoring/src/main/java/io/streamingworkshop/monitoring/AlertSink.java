package io.streamingworkshop.monitoring;

/** Where alerts go: a pager, a chat channel, a log; in the tests, a list. */
@FunctionalInterface
public interface AlertSink {
    void send(Alert alert);
}
