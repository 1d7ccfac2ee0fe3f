package io.streamingworkshop.testkit;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * Prints one line when a streaming query dies: its name and the root cause. Spark's own log line
 * for this carries the executor's stack trace and is filtered out (see log4j2.properties).
 */
final class QueryFailureReporter extends StreamingQueryListener {

    private final Map<UUID, String> names = new ConcurrentHashMap<>();

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        if (event.name() != null) {
            names.put(event.id(), event.name());
        }
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {}

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        if (event.exception().isDefined()) {
            String name = names.containsKey(event.id())
                    ? "'" + names.get(event.id()) + "'"
                    : event.id().toString();
            System.err.println("[streaming] query " + name + " stopped with an error: "
                    + rootCause(event.exception().get()));
        }
        names.remove(event.id());
    }

    /** The innermost "Caused by:" of a printed stack trace, or its first line. */
    static String rootCause(String stackTrace) {
        String cause = null;
        for (String line : stackTrace.split("\n")) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        if (cause == null) {
            cause = Failures.firstLine(stackTrace);
        }
        return cause.length() > 400 ? cause.substring(0, 400) + "..." : cause;
    }
}
