package io.streamingworkshop.datagen;

import java.util.Locale;

/**
 * What, if anything, is wrong with one record, as the generator made it. Each event carries at
 * most one flaw, so the counts in a manifest add up. A flaw never changes the event itself (its
 * id, key and event time): only when it arrives, how often, or how it is written.
 */
public enum Flaw {
    /** A record as it should be. The original of a duplicated event is also {@code NONE}. */
    NONE,
    /** Arrives exactly {@code late-by} after its event time: behind events that happened later. */
    LATE,
    /** Held back by more than the gap between two events and at most {@code out-of-order-by}. */
    OUT_OF_ORDER,
    /** An exact copy (same bytes) of an earlier record, arriving at most {@code duplicate-within} later. */
    DUPLICATE,
    /** Cut off part-way: not parseable as JSON. The event id is still readable at its start. */
    BROKEN_JSON,
    /** Valid JSON with a string where a number belongs, e.g. {@code "temperature":"21.5 C"}. */
    WRONG_TYPE;

    /** How the flaw is written in manifests and flaw logs: {@code late}, {@code out_of_order}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a JSON reader with the dataset's schema cannot read the record as it should. */
    public boolean isMalformed() {
        return this == BROKEN_JSON || this == WRONG_TYPE;
    }
}
