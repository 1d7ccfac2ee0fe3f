package io.streamingworkshop.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Mistakes whose error text sends a newcomer the wrong way, and the hint that sends them the right
 * way. When a learner's code fails with one of these texts anywhere in its causes, this hint
 * replaces the test's own: the test cannot know the learner made this particular mistake.
 */
final class KnownTraps {

    private static final Map<String, String> HINTS = new LinkedHashMap<>();

    static {
        HINTS.put(
                "NotSerializableException",
                "Spark ships your function to the executors, so it must be serializable, and so must everything"
                        + " it uses: a method reference like this::classify, or a lambda that calls an instance method or"
                        + " reads a field, drags this (your exercise class) along. Use a static method, or a lambda that"
                        + " uses only its arguments");
        HINTS.put(
                "StreamingQuery.lastProgress()\" is null",
                "lastProgress() is null until the query has reported the progress of a micro-batch, and holds"
                        + " only the latest one; recentProgress() holds the progress of every recent micro-batch");
        HINTS.put(
                "Redefining watermark is disallowed",
                "the input already carries a watermark: do not call withWatermark a second time. The configuration"
                        + " change Spark's message suggests is not the fix");
    }

    private KnownTraps() {}

    /** The hint for the first known trap found in the messages of {@code error} and its causes. */
    static Optional<String> hintFor(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = t.getClass().getName() + ": " + t.getMessage();
            for (Map.Entry<String, String> trap : HINTS.entrySet()) {
                if (text.contains(trap.getKey())) {
                    return Optional.of(trap.getValue());
                }
            }
        }
        return Optional.empty();
    }
}
