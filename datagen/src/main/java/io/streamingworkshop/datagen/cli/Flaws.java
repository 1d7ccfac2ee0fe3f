package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.GeneratorOptions;
import io.streamingworkshop.datagen.cli.OnlyFor.Datasets;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The flaw options, for both commands; a field left null keeps the library's default. */
@HelpSection("Flaws (each off unless its fraction is above 0; each event carries at most one,\n"
        + "so the late, out-of-order, duplicate and malformed fractions add up to 1 at most)")
final class Flaws {

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--late-fraction",
            paramLabel = "F",
            order = 11,
            description = "fraction of events that arrive late... [0]")
    Double lateFraction;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--late-by",
            paramLabel = "DURATION",
            order = 12,
            description = "...exactly this long after their event time [10m]")
    Duration lateBy;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--out-of-order-fraction",
            paramLabel = "F",
            order = 13,
            description = "fraction of events held back... [0]")
    Double outOfOrderFraction;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--out-of-order-by",
            paramLabel = "DURATION",
            order = 14,
            description = "...by more than one event gap and at most this [30s]")
    Duration outOfOrderBy;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--duplicate-fraction",
            paramLabel = "F",
            order = 15,
            description = "fraction of events sent twice (same id, same bytes)... [0]")
    Double duplicateFraction;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--duplicate-within",
            paramLabel = "DURATION",
            order = 16,
            description = "...the copy at most this long after the original [30s]")
    Duration duplicateWithin;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--malformed-fraction",
            paramLabel = "F",
            order = 17,
            description =
                    "fraction of events written badly (half broken JSON, half a string where a number belongs) [0]")
    Double malformedFraction;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--schema-change-fraction",
            paramLabel = "F",
            order = 18,
            description = "the last fraction of events carries a new field [0]")
    Double schemaChangeFraction;

    void applyTo(GeneratorOptions.Builder builder) {
        if (lateFraction != null) {
            builder.lateFraction(lateFraction);
        }
        if (lateBy != null) {
            builder.lateBy(lateBy);
        }
        if (outOfOrderFraction != null) {
            builder.outOfOrderFraction(outOfOrderFraction);
        }
        if (outOfOrderBy != null) {
            builder.outOfOrderBy(outOfOrderBy);
        }
        if (duplicateFraction != null) {
            builder.duplicateFraction(duplicateFraction);
        }
        if (duplicateWithin != null) {
            builder.duplicateWithin(duplicateWithin);
        }
        if (malformedFraction != null) {
            builder.malformed(malformedFraction);
        }
        if (schemaChangeFraction != null) {
            builder.schemaChange(schemaChangeFraction);
        }
    }
}
