package io.streamingworkshop.testkit;

import org.opentest4j.AssertionFailedError;

/**
 * How every failure a learner sees is worded: "Exercise X.Y: what went wrong", then "Hint: ..." on
 * its own line, and the first line of the root cause where an exception is behind it (not a page
 * of Spark internals).
 */
public final class Failures {

    private Failures() {}

    /** The message: the exercise, what went wrong, and the hint if there is one. */
    public static String message(String whatWentWrong, String hint) {
        String text = CurrentExercise.prefix(whatWentWrong);
        return hint == null || hint.isBlank() ? text : text + "\nHint: " + hint;
    }

    public static AssertionFailedError failure(String whatWentWrong, String hint) {
        return new AssertionFailedError(message(whatWentWrong, hint));
    }

    /**
     * A failure caused by {@code error}: what went wrong, the root cause's type and first line, and
     * a hint, where a known trap in the root cause overrides the caller's hint.
     */
    public static AssertionFailedError causedBy(String whatWentWrong, Throwable error, String hint) {
        Throwable root = rootCause(error);
        String cause = root.getClass().getSimpleName() + ": " + rootMessage(error);
        String chosenHint = KnownTraps.hintFor(error).orElse(hint);
        return new AssertionFailedError(message(whatWentWrong + ": " + cause, chosenHint), error);
    }

    public static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * The first line of the root cause's message. An exception that comes back from a task has
     * lost the message Java computes for a NullPointerException ("Cannot invoke ... because ... is
     * null"), but Spark's wrapping message still quotes it: take it from there.
     */
    public static String rootMessage(Throwable error) {
        Throwable root = rootCause(error);
        if (root.getMessage() != null) {
            return firstLine(root.getMessage());
        }
        String prefix = root.getClass().getName() + ": ";
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (String line : String.valueOf(t.getMessage()).split("\n")) {
                int at = line.indexOf(prefix);
                if (at >= 0 && line.length() > at + prefix.length()) {
                    return line.substring(at + prefix.length()).trim();
                }
            }
        }
        return "(no message)";
    }

    /** The first line of a (possibly multi-line, plan-carrying) error message. */
    public static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
