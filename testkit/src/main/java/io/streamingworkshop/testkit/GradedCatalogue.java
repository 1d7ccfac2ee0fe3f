package io.streamingworkshop.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Writes a lab module's catalogue of graded tests, {@code src/test/graded-tests.json}: for every
 * graded test its exercise, points, method, the display name the reports will carry and the
 * nested class it sits in. It is made with JUnit's own discovery from the compiled tests, so the
 * grading scripts read it instead of parsing Java; it is committed, so a module whose code does
 * not compile in a submission still shows the points it was worth. {@code scripts/catalogue.sh}
 * remakes every module's catalogue; CI checks that the committed ones are current.
 *
 * <p>Arguments: the test classes directory, the module directory, the module's artifactId.
 */
public final class GradedCatalogue {

    /** The display name's suffix that GradedDisplayNames adds: " [exercise 4.2, 3 points]". */
    private static final Pattern SUFFIX = Pattern.compile("^(.*) \\[exercise ([^,\\]]+), (\\d+) points?\\]$");

    private GradedCatalogue() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: GradedCatalogue <test-classes dir> <module dir> <artifactId>");
            System.exit(2);
        }
        Path testClasses = Path.of(args[0]);
        Path moduleDir = Path.of(args[1]);
        if (!args[2].startsWith("module-")) {
            return; // the test kit and datagen earn no points
        }
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> tests = Files.isDirectory(testClasses) ? discover(testClasses, problems) : List.of();
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("graded-tests: " + problem));
            System.exit(1);
        }
        Path out = moduleDir.resolve("src/test/graded-tests.json");
        Files.createDirectories(out.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), tests);
        Files.writeString(out, Files.readString(out).replace("\r\n", "\n") + "\n");
        System.out.println("graded-tests: " + tests.size() + " graded tests in " + out);
    }

    static List<Map<String, Object>> discover(Path testClasses, List<String> problems) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(Set.of(testClasses)))
                .build();
        TestPlan plan = LauncherFactory.create().discover(request);
        List<Map<String, Object>> tests = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            collect(plan, root, tests, problems);
        }
        tests.sort(Comparator.comparing((Map<String, Object> t) -> (String) t.get("class"))
                .thenComparing(t -> (String) t.get("method")));
        return tests;
    }

    private static void collect(
            TestPlan plan, TestIdentifier node, List<Map<String, Object>> tests, List<String> problems) {
        if (node.isTest() && node.getSource().orElse(null) instanceof MethodSource source) {
            Method method = source.getJavaMethod();
            String where = source.getClassName() + "." + method.getName() + "()";
            Graded graded = method.getAnnotation(Graded.class);
            if (graded == null && isUngraded(method.getDeclaringClass())) {
                return; // a lab module's own tests of its tooling (the pipeline application): no points
            }
            if (graded == null) {
                problems.add(where
                        + ": a test without @Graded earns nothing; give it @Graded(exercise = \"X.Y\", points = N)");
            } else if (method.getAnnotation(Test.class) == null) {
                problems.add(where + ": @Graded needs a plain @Test: the reports name each invocation of other kinds"
                        + " without its points");
            } else {
                Matcher name = SUFFIX.matcher(node.getDisplayName());
                if (!name.matches()) {
                    problems.add(where + ": its display name '" + node.getDisplayName() + "' does not end with"
                            + " [exercise X.Y, N points]: is the class annotated with @WorkshopTest?");
                } else {
                    Map<String, Object> test = new LinkedHashMap<>();
                    test.put("exercise", graded.exercise());
                    test.put("points", graded.points());
                    test.put("test", name.group(1));
                    test.put(
                            "group",
                            plan.getParent(node)
                                    .map(TestIdentifier::getDisplayName)
                                    .orElse(""));
                    test.put("class", source.getClassName());
                    test.put("method", method.getName());
                    test.put("file", topLevel(source.getClassName()).replace('.', '/') + ".java");
                    tests.add(test);
                }
            }
        }
        for (TestIdentifier child : plan.getChildren(node)) {
            collect(plan, child, tests, problems);
        }
    }

    /** A test class tagged {@code @Tag("ungraded")} (or nested in one) checks tooling, not an exercise. */
    static boolean isUngraded(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            for (org.junit.jupiter.api.Tag tag : c.getAnnotationsByType(org.junit.jupiter.api.Tag.class)) {
                if (UNGRADED.equals(tag.value())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The tag of a lab module's tests that grade nothing: the catalogue leaves them out. */
    public static final String UNGRADED = "ungraded";

    private static String topLevel(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }
}
