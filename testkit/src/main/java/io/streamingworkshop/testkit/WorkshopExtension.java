package io.streamingworkshop.testkit;

import java.lang.reflect.Method;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The JUnit side of {@link WorkshopTest}. */
public final class WorkshopExtension implements ParameterResolver, AfterEachCallback {

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
        return WorkDir.forTest(context.getRequiredTestClass(), context.getTestMethod().map(Method::getName).orElse("all"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // Only if this JVM has a session already: a test that never needed Spark must not start it.
        WorkshopSpark.ifStarted().ifPresent(spark -> {
            for (StreamingQuery query : spark.streams().active()) {
                Streams.stopQuietly(query);
            }
        });
    }
}
