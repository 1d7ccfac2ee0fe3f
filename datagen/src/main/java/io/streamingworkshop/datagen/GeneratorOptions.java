package io.streamingworkshop.datagen;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that decides what a run generates: the dataset, how many events, the seed, the
 * simulated clock and the flaws. The same options always give the same bytes. Where the records
 * go, and how fast, is not part of it (see {@link Datagen}). Build with {@link #builder}; every
 * value is checked when {@link Builder#build()} runs, with a message that says what is wrong.
 */
public final class GeneratorOptions {

    public static final Instant DEFAULT_START = Instant.parse("2024-05-01T10:00:00Z");
    public static final long DEFAULT_SEED = 42;
    /** Event times must stay within what Spark's timestamps and this generator's nanosecond clock hold. */
    private static final Instant LATEST_END = Instant.parse("2200-01-01T00:00:00Z");

    private final DatasetKind dataset;
    private final long events;
    private final long seed;
    private final Instant start;
    private final double rate;
    private final int devices;
    private final int users;
    private final int products;
    private final double lateFraction;
    private final Duration lateBy;
    private final double outOfOrderFraction;
    private final Duration outOfOrderBy;
    private final double duplicateFraction;
    private final Duration duplicateWithin;
    private final double malformedFraction;
    private final double schemaChangeFraction;
    private final double unshippedFraction;
    private final Duration maxShipDelay;

    private GeneratorOptions(Builder b) {
        this.dataset = b.dataset;
        this.events = b.events;
        this.seed = b.seed;
        this.start = b.start;
        this.rate = b.rate;
        // build() has checked that the counts fit.
        this.devices = (int) b.devices;
        this.users = (int) b.users;
        this.products = (int) b.products;
        this.lateFraction = b.lateFraction;
        this.lateBy = b.lateBy;
        this.outOfOrderFraction = b.outOfOrderFraction;
        this.outOfOrderBy = b.outOfOrderBy;
        this.duplicateFraction = b.duplicateFraction;
        this.duplicateWithin = b.duplicateWithin;
        this.malformedFraction = b.malformedFraction;
        this.schemaChangeFraction = b.schemaChangeFraction;
        this.unshippedFraction = b.unshippedFraction;
        this.maxShipDelay = b.maxShipDelay;
    }

    public static Builder builder(DatasetKind dataset) {
        return new Builder(dataset);
    }

    public DatasetKind dataset() {
        return dataset;
    }

    /**
     * How many events: for {@link DatasetKind#ORDERS} the number of orders (shipments follow from
     * them); for a dimension its size ({@link #users()} or {@link #products()}).
     */
    public long events() {
        switch (dataset) {
            case USERS:
                return users;
            case PRODUCTS:
                return products;
            default:
                return events;
        }
    }

    public long seed() {
        return seed;
    }

    /** The simulated clock's start: the event time of the first event. */
    public Instant start() {
        return start;
    }

    /** Events per simulated second: event {@code i} happens at {@code start + i / rate}. */
    public double rate() {
        return rate;
    }

    public int devices() {
        return devices;
    }

    public int users() {
        return users;
    }

    public int products() {
        return products;
    }

    public double lateFraction() {
        return lateFraction;
    }

    public Duration lateBy() {
        return lateBy;
    }

    public double outOfOrderFraction() {
        return outOfOrderFraction;
    }

    public Duration outOfOrderBy() {
        return outOfOrderBy;
    }

    public double duplicateFraction() {
        return duplicateFraction;
    }

    public Duration duplicateWithin() {
        return duplicateWithin;
    }

    public double malformedFraction() {
        return malformedFraction;
    }

    public double schemaChangeFraction() {
        return schemaChangeFraction;
    }

    public double unshippedFraction() {
        return unshippedFraction;
    }

    public Duration maxShipDelay() {
        return maxShipDelay;
    }

    /** The gap between two consecutive events on the simulated clock, in nanoseconds. */
    double intervalNanos() {
        return 1e9 / rate;
    }

    /** The options as the manifest records them: only those that matter to this dataset, in a fixed order. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("dataset", dataset.cliName());
        if (dataset == DatasetKind.USERS) {
            map.put("users", users);
            return map;
        }
        if (dataset == DatasetKind.PRODUCTS) {
            map.put("products", products);
            return map;
        }
        map.put("events", events);
        map.put("seed", seed);
        map.put("start", start.toString());
        map.put("rate", rate);
        if (dataset == DatasetKind.IOT) {
            map.put("devices", devices);
        } else {
            map.put("users", users);
            map.put("products", products);
        }
        if (dataset == DatasetKind.ORDERS) {
            map.put("unshipped_fraction", unshippedFraction);
            map.put("max_ship_delay", Durations.format(maxShipDelay));
        }
        map.put("late_fraction", lateFraction);
        map.put("late_by", Durations.format(lateBy));
        map.put("out_of_order_fraction", outOfOrderFraction);
        map.put("out_of_order_by", Durations.format(outOfOrderBy));
        map.put("duplicate_fraction", duplicateFraction);
        map.put("duplicate_within", Durations.format(duplicateWithin));
        map.put("malformed_fraction", malformedFraction);
        map.put("schema_change_fraction", schemaChangeFraction);
        return map;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    /** Collects options; {@link #build()} checks them all. Defaults are in the README's option table. */
    public static final class Builder {
        private final DatasetKind dataset;
        private long events = 1000;
        private boolean eventsSet;
        private long seed = DEFAULT_SEED;
        private Instant start = DEFAULT_START;
        private double rate = 10;
        private long devices = 20;
        private long users = 200;
        private long products = 50;
        private double lateFraction;
        private Duration lateBy = Duration.ofMinutes(10);
        private double outOfOrderFraction;
        private Duration outOfOrderBy = Duration.ofSeconds(30);
        private double duplicateFraction;
        private Duration duplicateWithin = Duration.ofSeconds(30);
        private double malformedFraction;
        private double schemaChangeFraction;
        private double unshippedFraction = 0.1;
        private Duration maxShipDelay = Duration.ofMinutes(30);

        private Builder(DatasetKind dataset) {
            if (dataset == null) {
                throw new IllegalArgumentException("dataset must not be null: choose one of " + DatasetKind.names());
            }
            this.dataset = dataset;
        }

        public DatasetKind dataset() {
            return dataset;
        }

        public Builder events(long events) {
            this.events = events;
            this.eventsSet = true;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder rate(double eventsPerSimulatedSecond) {
            this.rate = eventsPerSimulatedSecond;
            return this;
        }

        public Builder devices(long devices) {
            this.devices = devices;
            return this;
        }

        public Builder users(long users) {
            this.users = users;
            return this;
        }

        public Builder products(long products) {
            this.products = products;
            return this;
        }

        public Builder late(double fraction, Duration by) {
            return lateFraction(fraction).lateBy(by);
        }

        public Builder lateFraction(double fraction) {
            this.lateFraction = fraction;
            return this;
        }

        public Builder lateBy(Duration by) {
            this.lateBy = by;
            return this;
        }

        public Builder outOfOrder(double fraction, Duration upTo) {
            return outOfOrderFraction(fraction).outOfOrderBy(upTo);
        }

        public Builder outOfOrderFraction(double fraction) {
            this.outOfOrderFraction = fraction;
            return this;
        }

        public Builder outOfOrderBy(Duration upTo) {
            this.outOfOrderBy = upTo;
            return this;
        }

        public Builder duplicates(double fraction, Duration within) {
            return duplicateFraction(fraction).duplicateWithin(within);
        }

        public Builder duplicateFraction(double fraction) {
            this.duplicateFraction = fraction;
            return this;
        }

        public Builder duplicateWithin(Duration within) {
            this.duplicateWithin = within;
            return this;
        }

        public Builder malformed(double fraction) {
            this.malformedFraction = fraction;
            return this;
        }

        public Builder schemaChange(double fraction) {
            this.schemaChangeFraction = fraction;
            return this;
        }

        public Builder unshipped(double fraction) {
            this.unshippedFraction = fraction;
            return this;
        }

        public Builder maxShipDelay(Duration maxShipDelay) {
            this.maxShipDelay = maxShipDelay;
            return this;
        }

        public GeneratorOptions build() {
            if (dataset.isDimension()) {
                checkDimension();
            } else {
                checkEvents();
            }
            return new GeneratorOptions(this);
        }

        private void checkDimension() {
            String size = dataset == DatasetKind.USERS ? "users" : "products";
            if (eventsSet) {
                throw new IllegalArgumentException("The " + dataset.cliName()
                        + " dataset is a dimension table: its size is" + " set by " + size + ", not by events");
            }
            if (lateFraction != 0
                    || outOfOrderFraction != 0
                    || duplicateFraction != 0
                    || malformedFraction != 0
                    || schemaChangeFraction != 0) {
                throw new IllegalArgumentException(
                        "The " + dataset.cliName() + " dataset is a dimension table: it has no"
                                + " event time, so it takes no late, out-of-order, duplicate, malformed or schema-change records");
            }
            // The same limits as for the ids events pick from, so a dimension covers every id they can use.
            OptionChecks.wholeNumber(
                    dataset == DatasetKind.USERS ? users : products,
                    1,
                    dataset == DatasetKind.USERS ? 10_000_000 : 1_000_000,
                    size,
                    size);
        }

        private void checkEvents() {
            OptionChecks.wholeNumber(events, 1, 1_000_000_000_000L, "events", "events");
            if (start == null) {
                throw new IllegalArgumentException("start must not be null");
            }
            String rateRange = "rate (events per simulated second) must be above 0 and at most 10^9, got " + rate;
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new InvalidOptionException(
                        rateRange, "--rate must be a number above 0, got " + OptionChecks.text(rate));
            }
            if (rate > 1e9) {
                throw new IllegalArgumentException(rateRange);
            }
            double seconds = events / rate;
            if (start.isBefore(Instant.EPOCH)
                    || seconds > Duration.between(start, LATEST_END).getSeconds()) {
                throw new IllegalArgumentException("The simulated clock must run between 1970 and 2200: start " + start
                        + " with " + events + " events at rate " + rate + " does not");
            }
            OptionChecks.wholeNumber(devices, 1, 100_000, "devices", "devices");
            OptionChecks.wholeNumber(users, 1, 10_000_000, "users", "users");
            OptionChecks.wholeNumber(products, 1, 1_000_000, "products", "products");
            OptionChecks.fraction(lateFraction, "late-fraction", "late fraction");
            OptionChecks.fraction(outOfOrderFraction, "out-of-order-fraction", "out-of-order fraction");
            OptionChecks.fraction(duplicateFraction, "duplicate-fraction", "duplicate fraction");
            OptionChecks.fraction(malformedFraction, "malformed-fraction", "malformed fraction");
            OptionChecks.fraction(schemaChangeFraction, "schema-change-fraction", "schema-change fraction");
            OptionChecks.fraction(unshippedFraction, "unshipped-fraction", "unshipped fraction");
            double flawed = lateFraction + outOfOrderFraction + duplicateFraction + malformedFraction;
            if (flawed > 1 + 1e-9) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "The late, out-of-order, duplicate and"
                                + " malformed fractions add up to %s; each event carries at most one of these flaws, so they must"
                                + " add up to 1 or less",
                        trim(flawed)));
            }
            positiveDuration(lateBy, "late-by");
            positiveDuration(outOfOrderBy, "out-of-order-by");
            positiveDuration(maxShipDelay, "max ship delay");
            if (duplicateWithin == null || duplicateWithin.isNegative()) {
                throw new IllegalArgumentException("duplicate-within must be zero or more, got " + duplicateWithin);
            }
            double gapNanos = 1e9 / rate;
            if (outOfOrderFraction > 0 && outOfOrderBy.toNanos() <= Math.ceil(gapNanos)) {
                throw new IllegalArgumentException("out-of-order-by (" + Durations.format(outOfOrderBy)
                        + ") must be longer"
                        + " than the gap between two events (" + trim(gapNanos / 1e6) + " ms at rate " + trim(rate)
                        + " per second), or no later event could overtake a held-back one");
            }
        }

        private static void positiveDuration(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be longer than zero, got " + value);
            }
        }

        private static String trim(double value) {
            return value == Math.rint(value)
                    ? String.valueOf((long) value)
                    : String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "");
        }
    }
}
