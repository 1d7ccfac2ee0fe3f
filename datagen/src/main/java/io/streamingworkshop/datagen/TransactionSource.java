package io.streamingworkshop.datagen;

/**
 * Purchases: a user and a product (a few of each are far more active than the rest), one to four
 * items, sometimes 10% off. The category comes from the product and the region from the user, so
 * the transactions agree with the products and users dimensions.
 */
final class TransactionSource implements EventSource {

    private static final int[] QUANTITY_WEIGHTS = {70, 20, 7, 3};
    private static final double DISCOUNT_CHANCE = 0.1;
    private static final String[] PAYMENT_METHODS = {"card", "paypal", "voucher", "bank_transfer"};
    private static final int[] PAYMENT_WEIGHTS = {60, 25, 10, 5};

    private final UserProfile[] users;
    private final Product[] products;
    private final SeededRandom random;
    private final long events;
    private final int idWidth;

    TransactionSource(GeneratorOptions options) {
        this.users = Catalog.users(options.users());
        this.products = Catalog.products(options.products());
        this.random = SeededRandom.derive(options.seed(), "transactions", "events");
        this.events = options.events();
        this.idWidth = Ids.width(events, 8);
    }

    @Override
    public long count(RecordType type) {
        return type == RecordType.TRANSACTION ? events : 0;
    }

    @Override
    public Event primary(long index, long timeNanos) {
        UserProfile user = users[random.skewed(users.length)];
        Product product = products[random.skewed(products.length)];
        int quantity = 1 + random.weighted(QUANTITY_WEIGHTS);
        long cents = product.priceCents() * quantity;
        if (random.chance(DISCOUNT_CHANCE)) {
            cents = Math.round(cents * 0.9);
        }
        return new Transaction(
                Ids.padded("txn-", index + 1, idWidth),
                timeNanos,
                user.id(),
                product.id(),
                product.category(),
                user.region(),
                cents,
                PAYMENT_METHODS[random.weighted(PAYMENT_WEIGHTS)]);
    }
}
