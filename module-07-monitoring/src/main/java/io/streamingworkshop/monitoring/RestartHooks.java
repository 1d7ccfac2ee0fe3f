package io.streamingworkshop.monitoring;

import java.time.Duration;

/** What a supervisor (exercise 7.6) tells the outside world, and how it waits. */
public interface RestartHooks {

    /** Attempt {@code attempt} (1 for the first start) failed; {@code rootCause} is the innermost cause. */
    void failed(int attempt, Throwable rootCause);

    /** Waits before the next start. */
    void sleep(Duration backoff) throws InterruptedException;
}
