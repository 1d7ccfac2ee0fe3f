package io.streamingworkshop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

@WorkshopTest
class JsonFilesTest {

    @Test
    void writesWholeFilesAndLeavesNoTemporaryFileBehind(WorkDir work) throws Exception {
        Path dir = work.dir("in");
        Path file = JsonFiles.write(dir, "part-1.json", "{\"a\":1}", "{\"a\":2}");
        assertThat(Files.readAllLines(file)).containsExactly("{\"a\":1}", "{\"a\":2}");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("part-1.json");
        }
    }

    @Test
    void refusesNamesTheFileSourceWouldIgnore(WorkDir work) {
        assertThatThrownBy(() -> JsonFiles.write(work.dir("in"), "_part.json", List.of("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ignores files whose names start with");
    }
}
