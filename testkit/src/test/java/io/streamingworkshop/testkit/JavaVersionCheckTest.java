package io.streamingworkshop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class JavaVersionCheckTest {

    @Test
    void theBuildRunsOnTheSupportedJava() {
        assertThatCode(JavaVersionCheck::requireSupportedJava).doesNotThrowAnyException();
    }

    @Test
    void theMessageForAnotherJdkSaysWhatToInstallAndWhere() {
        String message = JavaVersionCheck.message(25, "/usr/lib/jvm/temurin-25-jdk-amd64");
        assertThat(message)
                .startsWith(
                        "This workshop needs Java 17, and this program runs on Java 25 (/usr/lib/jvm/temurin-25-jdk-amd64).")
                .contains("fails on Java 21 and later")
                .contains("JAVA_HOME");
    }
}
