package io.streamingworkshop.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Put on every lab's test class. It gives test methods the shared {@code SparkSession} and a fresh
 * {@link WorkDir} as parameters, stops every streaming query a test leaves running, and names
 * tests as sentences with their exercise and points (see {@link Graded}). Nested classes, one per
 * exercise, run in the order of their display names ("Exercise 1.1: ..." first).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@DisplayNameGeneration(GradedDisplayNames.class)
@TestClassOrder(ClassOrderer.DisplayName.class)
@ExtendWith(WorkshopExtension.class)
public @interface WorkshopTest {}
