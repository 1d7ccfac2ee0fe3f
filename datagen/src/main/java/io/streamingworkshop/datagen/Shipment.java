package io.streamingworkshop.datagen;

/** The shipment of one order, some time after it (see the README's schema table). */
record Shipment(
        String id,
        long timeNanos,
        String orderId,
        String carrier,
        String warehouse,
        long weightCentiKg,
        String serviceLevel)
        implements Event {

    @Override
    public RecordType type() {
        return RecordType.SHIPMENT;
    }

    @Override
    public String key() {
        return orderId;
    }

    @Override
    public byte[] render(JsonLine json, boolean withAddedField, boolean wrongType) {
        json.begin()
                .string("shipment_id", id)
                .string("shipment_order_id", orderId)
                .string("carrier", carrier)
                .string("warehouse", warehouse);
        json.measure("weight_kg", weightCentiKg, 2, "kg", wrongType);
        json.timestamp("ship_time", Math.floorDiv(timeNanos, 1_000_000L));
        if (withAddedField) {
            json.string("service_level", serviceLevel);
        }
        return json.end();
    }
}
