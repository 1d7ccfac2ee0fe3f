package io.streamingworkshop.datagen.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** On a class of options (a picocli mixin): the heading its options are listed under in a command's help. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface HelpSection {
    String value();
}
