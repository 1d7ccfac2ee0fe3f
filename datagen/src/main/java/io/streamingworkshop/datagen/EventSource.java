package io.streamingworkshop.datagen;

/**
 * Makes the events of one dataset, in event-time order. The {@link Simulation} asks for event
 * {@code i} at its time on the simulated clock; a source may also make events of a second stream
 * that follow from earlier ones (a shipment follows its order), handed out when they are due.
 */
interface EventSource {

    /** The exact number of events of {@code type} a whole run makes (flaws are dealt over these). */
    long count(RecordType type);

    /** Event {@code index} (0-based) of the run, happening at {@code timeNanos}. */
    Event primary(long index, long timeNanos);

    /** The next derived event due at or before {@code timeNanos}, in time order; null if none is due. */
    default Event derivedDueBy(long timeNanos) {
        return null;
    }
}
