package io.streamingworkshop.testkit;

import java.lang.reflect.Method;
import java.util.List;

import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Test names as sentences, with the exercise and points of {@link Graded} tests appended:
 * {@code readsEveryFileOfTheDirectory} becomes
 * {@code "reads every file of the directory [exercise 1.1, 2 points]"}.
 */
public class GradedDisplayNames extends DisplayNameGenerator.Standard {

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
            Method testMethod) {
        String name = sentence(testMethod.getName());
        Graded graded = testMethod.getAnnotation(Graded.class);
        return graded == null ? name : name + " " + suffix(graded);
    }

    /** {@code "[exercise 1.1, 2 points]"}: the part of a display name the grader parses. */
    public static String suffix(Graded graded) {
        return "[exercise " + graded.exercise() + ", " + graded.points() + (graded.points() == 1 ? " point]" : " points]");
    }

    static String sentence(String camelCase) {
        StringBuilder out = new StringBuilder(camelCase.length() + 8);
        int n = camelCase.length();
        for (int i = 0; i < n; i++) {
            char c = camelCase.charAt(i);
            boolean prevUpper = i > 0 && Character.isUpperCase(camelCase.charAt(i - 1));
            boolean nextUpper = i + 1 < n && Character.isUpperCase(camelCase.charAt(i + 1));
            boolean nextLower = i + 1 < n && Character.isLowerCase(camelCase.charAt(i + 1));
            if (c == '_') {
                out.append(' ');
            } else if (Character.isUpperCase(c) && i > 0) {
                if (prevUpper && !nextLower) {
                    out.append(c); // inside an acronym: JSON
                } else if (!prevUpper && (nextUpper || i + 1 == n)) {
                    out.append(' ').append(c); // an acronym starts
                } else {
                    out.append(' ').append(Character.toLowerCase(c)); // a word starts
                }
            } else if (Character.isDigit(c) && i > 0 && !Character.isDigit(camelCase.charAt(i - 1))) {
                out.append(' ').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString().replaceAll(" +", " ").trim();
    }
}
