package io.streamingworkshop.datagen;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Orders, and their shipments. Every order but an exact {@code unshipped} fraction ships once,
 * at least 1 ms and less than {@code max-ship-delay} after its order time, so a stream-stream join with the
 * condition {@code ship_time BETWEEN order_time AND order_time + max-ship-delay} finds every
 * shipment. Shipments are numbered in the order they ship.
 */
final class OrdersSource implements EventSource {

    private static final String[] CARRIERS = {"dhl", "ups", "fedex", "dpd", "postnl"};
    private static final String[] CHANNELS = {"web", "app", "phone"};
    private static final int[] CHANNEL_WEIGHTS = {55, 35, 10};
    private static final int[] QUANTITY_WEIGHTS = {60, 25, 10, 5};

    private final UserProfile[] users;
    private final Product[] products;
    private final SeededRandom random;
    private final ExactSampler unshipped;
    private final long orders;
    private final long shipments;
    private final long maxDelayNanos;
    private final int idWidth;
    private final PriorityQueue<Shipment> due =
            new PriorityQueue<>(Comparator.comparingLong(Shipment::timeNanos).thenComparing(Shipment::orderId));
    private long shipped;

    OrdersSource(GeneratorOptions options) {
        this.users = Catalog.users(options.users());
        this.products = Catalog.products(options.products());
        this.random = SeededRandom.derive(options.seed(), "orders", "events");
        this.orders = options.events();
        long neverShipped = ExactSampler.apportion(orders, options.unshippedFraction())[0];
        this.unshipped = new ExactSampler(orders, neverShipped);
        this.shipments = orders - neverShipped;
        this.maxDelayNanos = options.maxShipDelay().toNanos();
        this.idWidth = Ids.width(orders, 8);
    }

    @Override
    public long count(RecordType type) {
        return type == RecordType.ORDER ? orders : type == RecordType.SHIPMENT ? shipments : 0;
    }

    @Override
    public Event primary(long index, long timeNanos) {
        UserProfile user = users[random.skewed(users.length)];
        Product product = products[random.skewed(products.length)];
        int quantity = 1 + random.weighted(QUANTITY_WEIGHTS);
        String orderId = Ids.padded("order-", index + 1, idWidth);
        Order order = new Order(
                orderId,
                timeNanos,
                user.id(),
                product.id(),
                quantity,
                product.priceCents() * quantity,
                CHANNELS[random.weighted(CHANNEL_WEIGHTS)]);
        // Drawn for every order, shipped or not, so the sequence of random numbers does not depend on the fraction.
        long delay =
                maxDelayNanos <= 1_000_000L ? maxDelayNanos : 1_000_000L + random.nextLong(maxDelayNanos - 1_000_000L);
        String carrier = random.pick(CARRIERS);
        String serviceLevel = random.chance(0.2) ? "express" : "standard";
        if (unshipped.next(random) == ExactSampler.NONE) {
            long weightCentiKg = Math.max(1, Math.round(product.weightGrams() * quantity / 10.0));
            // The id is given when it ships (shipments are numbered in ship order).
            due.add(new Shipment(
                    null, timeNanos + delay, orderId, carrier, warehouse(user.region()), weightCentiKg, serviceLevel));
        }
        return order;
    }

    @Override
    public Event derivedDueBy(long timeNanos) {
        Shipment next = due.peek();
        if (next == null || next.timeNanos() > timeNanos) {
            return null;
        }
        due.poll();
        return new Shipment(
                Ids.padded("ship-", ++shipped, idWidth),
                next.timeNanos(),
                next.orderId(),
                next.carrier(),
                next.warehouse(),
                next.weightCentiKg(),
                next.serviceLevel());
    }

    private static String warehouse(String region) {
        switch (region) {
            case "eu-west":
                return "wh-lyon";
            case "eu-central":
                return "wh-berlin";
            case "us-east":
                return "wh-newark";
            case "us-west":
                return "wh-reno";
            default:
                return "wh-singapore";
        }
    }
}
