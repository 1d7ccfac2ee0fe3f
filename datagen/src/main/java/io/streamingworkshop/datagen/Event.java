package io.streamingworkshop.datagen;

/** One generated event (or dimension row) before it becomes a {@link GeneratedRecord}: its identity and how to write it. */
interface Event {

    RecordType type();

    String id();

    String key();

    /** The event time on the simulated clock, in nanoseconds since the epoch (0 for a dimension row). */
    long timeNanos();

    /**
     * Writes the event as one JSON object.
     *
     * @param withAddedField include the field a schema change adds
     * @param wrongType      write the record type's {@link RecordType#wrongTypeField()} as a string
     */
    byte[] render(JsonLine json, boolean withAddedField, boolean wrongType);
}
