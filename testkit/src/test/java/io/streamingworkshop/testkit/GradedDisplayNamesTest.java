package io.streamingworkshop.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.support.AnnotationSupport;

class GradedDisplayNamesTest {

    @Graded(exercise = "4.2", points = 3)
    void emitsEachWindowOnceAfterTheWatermarkPassesIt() {}

    @Graded(exercise = "1.1")
    void readsJSON() {}

    @Test
    void gradedTestsCarryTheirExerciseAndPoints() throws Exception {
        GradedDisplayNames names = new GradedDisplayNames();
        Method method = getClass().getDeclaredMethod("emitsEachWindowOnceAfterTheWatermarkPassesIt");
        assertThat(names.generateDisplayNameForMethod(List.of(), getClass(), method))
                .isEqualTo("emits each window once after the watermark passes it [exercise 4.2, 3 points]");
        Method single = getClass().getDeclaredMethod("readsJSON");
        assertThat(names.generateDisplayNameForMethod(List.of(), getClass(), single))
                .isEqualTo("reads JSON [exercise 1.1, 1 point]");
    }

    @Test
    void gradedTestsCarryTheTagThatGradingSelects() throws Exception {
        // The grade profile runs only tests tagged "graded" (surefire <groups>); without the tag a
        // graded test would silently earn nothing.
        Method method = getClass().getDeclaredMethod("emitsEachWindowOnceAfterTheWatermarkPassesIt");
        assertThat(AnnotationSupport.findRepeatableAnnotations(method, Tag.class))
                .extracting(Tag::value)
                .containsExactly(Graded.TAG);
        assertThat(Graded.TAG).isEqualTo("graded");
    }

    @Test
    void ungradedTestsAreJustSentences() throws Exception {
        GradedDisplayNames names = new GradedDisplayNames();
        Method method = getClass().getDeclaredMethod("ungradedTestsAreJustSentences");
        assertThat(names.generateDisplayNameForMethod(List.of(), getClass(), method))
                .isEqualTo("ungraded tests are just sentences");
    }

    @Test
    void sentencesKeepAcronymsAndNumbers() {
        assertThat(GradedDisplayNames.sentence("parsesKafkaJSONValue")).isEqualTo("parses kafka JSON value");
        assertThat(GradedDisplayNames.sentence("window5MinutesLong")).isEqualTo("window 5 minutes long");
        assertThat(GradedDisplayNames.sentence("snake_case_name")).isEqualTo("snake case name");
        assertThat(GradedDisplayNames.sentence("appendsToATableNamedAfterTheQuery"))
                .isEqualTo("appends to a table named after the query");
    }
}
