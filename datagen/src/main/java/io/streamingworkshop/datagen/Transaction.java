package io.streamingworkshop.datagen;

/** One purchase (see the README's schema table). */
record Transaction(
        String id,
        long timeNanos,
        String userId,
        String productId,
        String category,
        String region,
        long amountCents,
        String paymentMethod)
        implements Event {

    @Override
    public RecordType type() {
        return RecordType.TRANSACTION;
    }

    @Override
    public String key() {
        return userId;
    }

    @Override
    public byte[] render(JsonLine json, boolean withAddedField, boolean wrongType) {
        json.begin()
                .string("event_id", id)
                .string("user_id", userId)
                .string("product_id", productId)
                .string("category", category)
                .string("region", region);
        json.measure("amount", amountCents, 2, "EUR", wrongType);
        json.timestamp("event_time", Math.floorDiv(timeNanos, 1_000_000L));
        if (withAddedField) {
            json.string("payment_method", paymentMethod);
        }
        return json.end();
    }
}
