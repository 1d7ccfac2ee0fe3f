package io.streamingworkshop.datagen;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One record as written to a file line or a Kafka message, with what the generator knows about
 * it: which flaw it carries, whether it has the schema change's new field, and when it arrived
 * on the simulated clock. Tests use these to assert exact counts against what a pipeline saw.
 */
public final class GeneratedRecord {

    private final RecordType type;
    private final long sequence;
    private final String id;
    private final String key;
    private final long eventTimeMillis;
    private final long arrivalTimeMillis;
    private final Flaw flaw;
    private final boolean schemaChanged;
    private final byte[] json;

    GeneratedRecord(
            RecordType type,
            long sequence,
            String id,
            String key,
            long eventTimeMillis,
            long arrivalTimeMillis,
            Flaw flaw,
            boolean schemaChanged,
            byte[] json) {
        this.type = type;
        this.sequence = sequence;
        this.id = id;
        this.key = key;
        this.eventTimeMillis = eventTimeMillis;
        this.arrivalTimeMillis = arrivalTimeMillis;
        this.flaw = flaw;
        this.schemaChanged = schemaChanged;
        this.json = json;
    }

    public RecordType type() {
        return type;
    }

    /** 0-based position of this record in its stream's output (file lines or Kafka messages, in order). */
    public long sequence() {
        return sequence;
    }

    /** The value of the record type's id field; a duplicate has the id of its original. */
    public String id() {
        return id;
    }

    /** The value of the record type's key field (the Kafka key). */
    public String key() {
        return key;
    }

    /** The event time the record carries (also when the record is malformed). Null for a dimension. */
    public Instant eventTime() {
        return type.isDimension() ? null : Instant.ofEpochMilli(eventTimeMillis);
    }

    /**
     * When the record arrived, on the simulated clock: its event time, later for late and
     * out-of-order records and duplicates. Records are written in arrival order. Null for a dimension.
     */
    public Instant arrivalTime() {
        return type.isDimension() ? null : Instant.ofEpochMilli(arrivalTimeMillis);
    }

    public Flaw flaw() {
        return flaw;
    }

    /** Whether the record has the field a schema change adds ({@link RecordType#addedField()}). */
    public boolean schemaChanged() {
        return schemaChanged;
    }

    /** The line as written, without the line break. */
    public String json() {
        return new String(json, StandardCharsets.UTF_8);
    }

    /** The bytes as written, without the line break. The array is shared: do not change it. */
    byte[] bytes() {
        return json;
    }

    long eventTimeMillis() {
        return eventTimeMillis;
    }

    @Override
    public String toString() {
        return type.streamName() + "#" + sequence + (flaw == Flaw.NONE ? "" : " [" + flaw.label() + "]") + " " + json();
    }
}
