package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.DatasetKind;
import io.streamingworkshop.datagen.Manifest;
import io.streamingworkshop.datagen.WriteSummary;
import java.util.Locale;
import java.util.stream.Collectors;

/** The lines a run ends with: what was written, how fast, and the flaws of each stream. */
final class Summary {

    private Summary() {}

    /** {@code 10,000 iot events}, {@code 500 orders and 450 shipments}, {@code 200 users rows}. */
    static String what(DatasetKind dataset, WriteSummary summary) {
        return summary.manifests().stream()
                .map(m -> String.format(
                                Locale.ROOT,
                                "%,d %s %s",
                                m.events(),
                                m.stream(),
                                dataset.isDimension() ? "rows" : dataset == DatasetKind.ORDERS ? "" : "events")
                        .trim())
                .collect(Collectors.joining(" and "));
    }

    static String totals(WriteSummary summary) {
        return String.format(
                Locale.ROOT,
                "%,d records%s in %.2f s (%,.0f records/s)",
                summary.records(),
                summary.files() > 0
                        ? String.format(Locale.ROOT, " in %,d file%s", summary.files(), summary.files() == 1 ? "" : "s")
                        : "",
                summary.elapsed().toNanos() / 1e9,
                summary.recordsPerSecond());
    }

    static String flaws(Manifest m) {
        StringBuilder text = new StringBuilder(
                String.format(Locale.ROOT, "%,d %s", m.events(), m.firstEventTime() == null ? "rows" : "events"));
        if (m.firstEventTime() != null) {
            text.append(" from ").append(m.firstEventTime()).append(" to ").append(m.lastEventTime());
        }
        appendCount(text, m.late(), "late");
        appendCount(text, m.outOfOrder(), "out of order");
        appendCount(text, m.duplicates(), "duplicates");
        appendCount(text, m.brokenJson(), "broken JSON");
        appendCount(text, m.wrongType(), "wrong type");
        appendCount(text, m.schemaChanged(), "with the new field " + m.addedField());
        return text.toString();
    }

    private static void appendCount(StringBuilder text, long count, String what) {
        if (count > 0) {
            text.append(String.format(Locale.ROOT, ", %,d %s", count, what));
        }
    }
}
