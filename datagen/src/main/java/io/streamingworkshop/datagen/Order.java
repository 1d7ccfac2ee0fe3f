package io.streamingworkshop.datagen;

/** One order (see the README's schema table). Most are followed by a {@link Shipment}. */
record Order(String id, long timeNanos, String userId, String productId, int quantity, long amountCents, String channel)
        implements Event {

    @Override
    public RecordType type() {
        return RecordType.ORDER;
    }

    @Override
    public String key() {
        return id;
    }

    @Override
    public byte[] render(JsonLine json, boolean withAddedField, boolean wrongType) {
        json.begin()
                .string("order_id", id)
                .string("user_id", userId)
                .string("product_id", productId)
                .number("quantity", quantity);
        json.measure("amount", amountCents, 2, "EUR", wrongType);
        json.timestamp("order_time", Math.floorDiv(timeNanos, 1_000_000L));
        if (withAddedField) {
            json.string("channel", channel);
        }
        return json.end();
    }
}
