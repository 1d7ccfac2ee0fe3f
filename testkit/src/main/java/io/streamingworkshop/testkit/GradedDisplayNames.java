package io.streamingworkshop.testkit;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Test names as sentences, with the exercise and points of {@link Graded} tests appended:
 * {@code readsEveryFileOfTheDirectory} becomes
 * {@code "reads every file of the directory [exercise 1.1, 2 points]"}.
 */
public class GradedDisplayNames extends DisplayNameGenerator.Standard {

    @Override
    public String generateDisplayNameForMethod(
            List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
        String name = sentence(testMethod.getName());
        Graded graded = testMethod.getAnnotation(Graded.class);
        return graded == null ? name : name + " " + suffix(graded);
    }

    /** {@code "[exercise 1.1, 2 points]"}: the part of a display name the grader parses. */
    public static String suffix(Graded graded) {
        return "[exercise " + graded.exercise() + ", " + graded.points()
                + (graded.points() == 1 ? " point]" : " points]");
    }

    private static final Pattern WORD_BOUNDARY = Pattern.compile(
            "_+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])");

    /** {@code toATableNamedJSON2} becomes {@code "to a table named JSON 2"}: acronyms stay, words go lower case. */
    static String sentence(String camelCase) {
        StringBuilder out = new StringBuilder(camelCase.length() + 8);
        for (String word : WORD_BOUNDARY.split(camelCase)) {
            if (word.isEmpty()) {
                continue;
            }
            boolean acronym =
                    word.length() > 1 && word.chars().allMatch(c -> Character.isUpperCase(c) || Character.isDigit(c));
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(acronym ? word : word.toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
