package io.streamingworkshop.testkit;

/**
 * Spark 3.5 needs Java 17 (or 11) and breaks on Java 21 and later with errors that do not say so.
 * Everything that starts Spark calls {@link #requireSupportedJava()} first, so a learner on the
 * wrong JDK reads one paragraph instead of a stack trace. The build says the same thing earlier
 * (maven-enforcer-plugin in the parent pom); this covers IDE runs.
 */
public final class JavaVersionCheck {

    /** The Java release the workshop is compiled for and tested on. */
    public static final int REQUIRED_FEATURE = 17;

    private JavaVersionCheck() {}

    public static void requireSupportedJava() {
        int feature = Runtime.version().feature();
        if (feature != REQUIRED_FEATURE) {
            throw new UnsupportedJavaException(message(feature, System.getProperty("java.home")));
        }
    }

    static String message(int feature, String javaHome) {
        return "This workshop needs Java " + REQUIRED_FEATURE + ", and this program runs on Java " + feature
                + " (" + javaHome + ").\n"
                + "Spark 3.5 runs on Java 17 (or 11; the labs are compiled for 17) and fails on Java 21 and later.\n"
                + "Install a JDK 17 (for example Eclipse Temurin 17, or your system's openjdk-17-jdk package) and point\n"
                + "JAVA_HOME at it (in an IDE: set the project SDK and the run configuration's JRE to 17).";
    }

    /** Thrown instead of letting Spark fail obscurely on an unsupported JDK. */
    public static final class UnsupportedJavaException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnsupportedJavaException(String message) {
            super(message);
        }
    }
}
