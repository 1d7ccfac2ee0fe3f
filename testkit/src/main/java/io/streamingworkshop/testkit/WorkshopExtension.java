package io.streamingworkshop.testkit;

import java.lang.reflect.Method;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The JUnit side of {@link WorkshopTest}. */
public final class WorkshopExtension implements ParameterResolver, BeforeEachCallback, AfterEachCallback {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == SparkSession.class || type == WorkDir.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == SparkSession.class) {
            return WorkshopSpark.session();
        }
        return WorkDir.forTest(
                context.getRequiredTestClass(),
                context.getTestMethod().map(Method::getName).orElse("all"));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod()
                .map(method -> method.getAnnotation(Graded.class))
                .ifPresent(graded -> CurrentExercise.set(graded.exercise()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        CurrentExercise.clear();
        // Only if this JVM has a session already: a test that never needed Spark must not start it.
        Streams.stopAll();
    }
}
