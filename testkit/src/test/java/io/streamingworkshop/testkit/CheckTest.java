package io.streamingworkshop.testkit;

import static io.streamingworkshop.testkit.Check.row;
import static io.streamingworkshop.testkit.Times.ts;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class CheckTest {

    private final List<Row> rows = List.of(
            RowFactory.create("d1", 3L, 21.5),
            RowFactory.create("d2", 1L, 1.0 / 3),
            RowFactory.create(RowFactory.create(ts("2024-05-01 10:00:00"), ts("2024-05-01 10:05:00")), "d3", 2L, null));

    @Test
    void matchingRowsPassInAnyOrderWithRoundedDoubles() {
        assertThatCode(() -> Check.rows(rows)
                        .containExactly(
                                row(row(ts("2024-05-01 10:00:00"), "2024-05-01 10:05:00"), "d3", 2, null),
                                row("d2", 1, 0.33333),
                                row("d1", 3, 21.5)))
                .doesNotThrowAnyException();
    }

    @Test
    void aMismatchShowsExpectedGotMissingUnexpectedAndTheHint() {
        assertThatThrownBy(() -> Check.rows(rows.subList(0, 2))
                        .describedAs("Exercise 9.9: rows after batch 2")
                        .hint("complete mode re-emits every group")
                        .containExactly(row("d1", 3, 21.5), row("d2", 2, 0.3333)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Exercise 9.9: rows after batch 2: not what was expected.\n"
                        + "  expected 2 rows: (d1, 3, 21.5) (d2, 2, 0.3333)\n"
                        + "  got      2 rows: (d1, 3, 21.5) (d2, 1, 0.3333)\n"
                        + "  missing:    (d2, 2, 0.3333)\n"
                        + "  unexpected: (d2, 1, 0.3333)\n"
                        + "Hint: complete mode re-emits every group");
    }

    @Test
    void duplicatesCount() {
        assertThatThrownBy(() -> Check.rows(List.of(RowFactory.create("a"), RowFactory.create("a")))
                        .containExactly(row("a")))
                .hasMessageContaining("unexpected: (a)");
    }

    @Test
    void emptyMeansEmpty() {
        assertThatCode(() -> Check.rows(List.of()).isEmpty()).doesNotThrowAnyException();
        assertThatThrownBy(() -> Check.rows(rows).isEmpty()).hasMessageContaining("expected 0 rows: (none)");
    }
}
