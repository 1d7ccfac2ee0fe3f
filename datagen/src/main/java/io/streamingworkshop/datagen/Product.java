package io.streamingworkshop.datagen;

/** A row of the product catalog; transactions and orders take their category and price from it. */
record Product(String id, String name, String category, String brand, long priceCents, int weightGrams)
        implements Event {

    @Override
    public RecordType type() {
        return RecordType.PRODUCT;
    }

    @Override
    public String key() {
        return id;
    }

    @Override
    public long timeNanos() {
        return 0;
    }

    @Override
    public byte[] render(JsonLine json, boolean withAddedField, boolean wrongType) {
        return json.begin()
                .string("product_id", id)
                .string("name", name)
                .string("category", category)
                .string("brand", brand)
                .decimal("price", priceCents, 2)
                .end();
    }
}
