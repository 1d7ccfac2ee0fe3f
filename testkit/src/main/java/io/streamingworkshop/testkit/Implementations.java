package io.streamingworkshop.testkit;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/**
 * The switch between a learner's code and the reference solution. A lab's contract is an
 * interface ({@code Fundamentals}); beside it live {@code FundamentalsExercise} (the starter the
 * learner edits) and {@code FundamentalsSolution}. Tests and walkthroughs ask this class for the
 * implementation:
 *
 * <ul>
 *   <li>{@code -Dworkshop.impl=exercise} (the default) loads {@code <Contract>Exercise};</li>
 *   <li>{@code -Dworkshop.impl=solution} ({@code ./mvnw ... -Psolutions}) loads {@code <Contract>Solution}.</li>
 * </ul>
 *
 * There is deliberately no fallback from one to the other: a missing class is an error, so a test
 * can never pass by quietly running the solution.
 */
public final class Implementations {

    public static final String PROPERTY = "workshop.impl";

    /** Which implementation a run uses. */
    public enum Mode {
        EXERCISE("Exercise"),
        SOLUTION("Solution");

        private final String classSuffix;

        Mode(String classSuffix) {
            this.classSuffix = classSuffix;
        }

        public String classSuffix() {
            return classSuffix;
        }
    }

    private Implementations() {}

    public static Mode mode() {
        String value = System.getProperty(PROPERTY, "exercise").trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "":
            case "exercise":
                return Mode.EXERCISE;
            case "solution":
                return Mode.SOLUTION;
            default:
                throw new IllegalStateException("-D" + PROPERTY + " must be 'exercise' or 'solution', not '" + value
                        + "'. Leave it out to run your exercises; use -Psolutions to run the reference solutions.");
        }
    }

    /** An instance of the contract's implementation chosen by {@link #mode()}. */
    public static <T> T load(Class<T> contract) {
        return load(contract, mode());
    }

    public static <T> T load(Class<T> contract, Mode mode) {
        if (!contract.isInterface()) {
            throw new IllegalArgumentException(contract.getName() + " is not a lab contract (an interface)");
        }
        String className = contract.getName() + mode.classSuffix();
        Class<?> implementation;
        try {
            implementation = Class.forName(className, true, contract.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(missingClassMessage(contract, mode, className), e);
        }
        if (!contract.isAssignableFrom(implementation)) {
            throw new IllegalStateException(className + " must implement " + contract.getName());
        }
        try {
            return contract.cast(implementation.getDeclaredConstructor().newInstance());
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Creating " + className + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(className + " needs a public no-argument constructor", e);
        }
    }

    private static String missingClassMessage(Class<?> contract, Mode mode, String className) {
        if (mode == Mode.SOLUTION) {
            return "The solutions were asked for (-Psolutions or -D" + PROPERTY + "=solution), but " + className
                    + " is not on this branch (a student branch ships no solutions). Run without -Psolutions to test"
                    + " your own " + contract.getSimpleName() + "Exercise.";
        }
        return className + " is missing: it is the file you edit for the " + contract.getSimpleName()
                + " lab. Restore it from git (git checkout -- <path>) if it was deleted.";
    }
}
