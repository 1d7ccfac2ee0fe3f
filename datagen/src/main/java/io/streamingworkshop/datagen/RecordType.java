package io.streamingworkshop.datagen;

import org.apache.spark.sql.types.StructType;

/**
 * One kind of record with one schema. Most datasets have one; {@link DatasetKind#ORDERS} has two
 * (orders and the shipments that follow them). Use {@link #schema()} to read the files or Kafka
 * values with an explicit schema, and {@link #evolvedSchema()} when a schema change was generated.
 */
public enum RecordType {
    IOT_READING("iot", "event_id", "device_id", "event_time", "battery_pct", "temperature"),
    CLICK("clickstream", "event_id", "user_id", "event_time", "referrer", "time_on_page"),
    ORDER("orders", "order_id", "order_id", "order_time", "channel", "amount"),
    SHIPMENT("shipments", "shipment_id", "shipment_order_id", "ship_time", "service_level", "weight_kg"),
    TRANSACTION("transactions", "event_id", "user_id", "event_time", "payment_method", "amount"),
    USER("users", "user_id", "user_id", null, null, null),
    PRODUCT("products", "product_id", "product_id", null, null, null);

    private final String streamName;
    private final String idField;
    private final String keyField;
    private final String eventTimeField;
    private final String addedField;
    private final String wrongTypeField;

    RecordType(
            String streamName,
            String idField,
            String keyField,
            String eventTimeField,
            String addedField,
            String wrongTypeField) {
        this.streamName = streamName;
        this.idField = idField;
        this.keyField = keyField;
        this.eventTimeField = eventTimeField;
        this.addedField = addedField;
        this.wrongTypeField = wrongTypeField;
    }

    /** The name of this stream: its sub-directory for {@link DatasetKind#ORDERS}, its default Kafka topic. */
    public String streamName() {
        return streamName;
    }

    /** The field that identifies a record; duplicates share it. */
    public String idField() {
        return idField;
    }

    /** The field whose value is the Kafka key. */
    public String keyField() {
        return keyField;
    }

    /** The event-time field, or {@code null} for a dimension. */
    public String eventTimeField() {
        return eventTimeField;
    }

    /** The field that appears when a schema change is generated, or {@code null} for a dimension. */
    public String addedField() {
        return addedField;
    }

    /** The numeric field that a {@link Flaw#WRONG_TYPE} record writes as a string. */
    public String wrongTypeField() {
        return wrongTypeField;
    }

    public boolean isDimension() {
        return eventTimeField == null;
    }

    /** The Spark schema of a record, without the field a schema change adds. */
    public StructType schema() {
        return SparkSchemas.of(this, false);
    }

    /** The schema with the added field last; records from before the change read it as null. */
    public StructType evolvedSchema() {
        return isDimension() ? schema() : SparkSchemas.of(this, true);
    }
}
