package io.streamingworkshop.datagen;

import java.util.Locale;

/**
 * How fast records are written, on the wall clock. Pacing changes when records are written,
 * never what is written: the simulated clock in the records is the same at any pace.
 */
public final class Pacing {

    private enum Unit {
        FAST,
        RECORDS,
        FILES
    }

    private static final Pacing FAST = new Pacing(Unit.FAST, 0);

    private final Unit unit;
    private final double perSecond;

    private Pacing(Unit unit, double perSecond) {
        this.unit = unit;
        this.perSecond = perSecond;
    }

    /** As fast as the machine goes: tests and benchmarks. The default. */
    public static Pacing asFastAsPossible() {
        return FAST;
    }

    /**
     * At most {@code perSecond} events per wall-clock second: a stream you can watch arrive. Every
     * record written counts, a duplicate too.
     */
    public static Pacing eventsPerSecond(double perSecond) {
        return new Pacing(Unit.RECORDS, OptionChecks.aboveZero(perSecond, "events-per-second", "events per second"));
    }

    /** At most {@code perSecond} files per wall-clock second (files only). */
    public static Pacing filesPerSecond(double perSecond) {
        return new Pacing(Unit.FILES, OptionChecks.aboveZero(perSecond, "files-per-second", "files per second"));
    }

    boolean isFast() {
        return unit == Unit.FAST;
    }

    boolean pacesRecords() {
        return unit == Unit.RECORDS;
    }

    boolean pacesFiles() {
        return unit == Unit.FILES;
    }

    double perSecond() {
        return perSecond;
    }

    @Override
    public String toString() {
        switch (unit) {
            case RECORDS:
                return String.format(Locale.ROOT, "%s events per second", perSecond);
            case FILES:
                return String.format(Locale.ROOT, "%s files per second", perSecond);
            default:
                return "as fast as possible";
        }
    }
}
