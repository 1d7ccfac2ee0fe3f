package io.streamingworkshop.datagen;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Runs the simulated clock and decides how each event arrives. Event {@code i} happens at
 * {@code start + i / rate}; most records arrive at their event time, in order. A flawed one is
 * held back (late, out of order), copied (duplicate) or written badly (malformed), by an exact
 * number of events per stream dealt at random over the run. Records leave in arrival order, ties
 * in the order they were made: nothing here reads the wall clock, so a run is repeatable to the byte.
 */
final class Simulation {

    // Categories of the flaw sampler, in the order of the counts given to it.
    private static final int LATE = 0;
    private static final int OUT_OF_ORDER = 1;
    private static final int DUPLICATE = 2;
    private static final int BROKEN_JSON = 3;
    private static final int WRONG_TYPE = 4;

    private final GeneratorOptions options;
    private final EventSource source;
    private final Map<RecordType, StreamPlan> plans = new EnumMap<>(RecordType.class);
    private final PriorityQueue<Held> held = new PriorityQueue<>(
            Comparator.comparingLong((Held h) -> h.arrivalNanos).thenComparingLong(h -> h.order));
    private final JsonLine json = new JsonLine();
    private final long lateByNanos;
    private final long outOfOrderByNanos;
    private final long duplicateWithinNanos;
    private final long gapNanos;
    private long heldSoFar;

    /** The flaws and the schema change dealt over one stream. */
    private static final class StreamPlan {
        final RecordType type;
        final long events;
        final long duplicates;
        final long schemaChangeFrom;
        final ExactSampler flaws;
        final SeededRandom random;
        long made;
        long written;

        StreamPlan(RecordType type, long events, GeneratorOptions o) {
            this.type = type;
            this.events = events;
            long[] shares = ExactSampler.apportion(
                    events, o.lateFraction(), o.outOfOrderFraction(), o.duplicateFraction(), o.malformedFraction());
            long malformed = shares[3];
            long broken = malformed - malformed / 2;
            this.flaws = new ExactSampler(events, shares[0], shares[1], shares[2], broken, malformed - broken);
            this.duplicates = shares[2];
            this.schemaChangeFrom = events - ExactSampler.apportion(events, o.schemaChangeFraction())[0];
            this.random = SeededRandom.derive(o.seed(), type.streamName(), "flaws");
        }
    }

    /** A record waiting for its arrival time. */
    private static final class Held {
        final Event event;
        final Flaw flaw;
        final boolean schemaChanged;
        final byte[] bytes;
        final long arrivalNanos;
        final long order;

        Held(Event event, Flaw flaw, boolean schemaChanged, byte[] bytes, long arrivalNanos, long order) {
            this.event = event;
            this.flaw = flaw;
            this.schemaChanged = schemaChanged;
            this.bytes = bytes;
            this.arrivalNanos = arrivalNanos;
            this.order = order;
        }
    }

    Simulation(GeneratorOptions options) {
        this.options = options;
        this.source = sourceFor(options);
        for (RecordType type : options.dataset().recordTypes()) {
            plans.put(type, new StreamPlan(type, source == null ? options.events() : source.count(type), options));
        }
        this.lateByNanos = options.lateBy().toNanos();
        this.outOfOrderByNanos = options.outOfOrderBy().toNanos();
        this.duplicateWithinNanos = options.duplicateWithin().toNanos();
        this.gapNanos = (long) Math.ceil(options.intervalNanos());
    }

    private static EventSource sourceFor(GeneratorOptions options) {
        switch (options.dataset()) {
            case IOT:
                return new IotSource(options);
            case CLICKSTREAM:
                return new ClickstreamSource(options);
            case ORDERS:
                return new OrdersSource(options);
            case TRANSACTIONS:
                return new TransactionSource(options);
            default:
                return null; // a dimension: no clock
        }
    }

    static long epochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    /** The events of {@code type} this run makes (duplicates not counted). */
    long events(RecordType type) {
        return plans.get(type).events;
    }

    /** The records of {@code type} this run writes: its events plus their duplicates. */
    long plannedRecords(RecordType type) {
        StreamPlan plan = plans.get(type);
        return plan.events + plan.duplicates;
    }

    /** Makes every record of the run and hands each to {@code out}, in arrival order. Call once. */
    void run(Consumer<GeneratedRecord> out) {
        if (source == null) {
            runDimension(out);
            return;
        }
        long events = options.events();
        double interval = options.intervalNanos();
        long start = epochNanos(options.start());
        for (long i = 0; i < events; i++) {
            long now = start + (long) (i * interval);
            for (Event due; (due = source.derivedDueBy(now)) != null; ) {
                arrive(due, out);
            }
            arrive(source.primary(i, now), out);
        }
        for (Event due; (due = source.derivedDueBy(Long.MAX_VALUE)) != null; ) {
            arrive(due, out);
        }
        while (!held.isEmpty()) {
            emit(held.poll(), out);
        }
    }

    private void runDimension(Consumer<GeneratedRecord> out) {
        Event[] rows = options.dataset() == DatasetKind.USERS
                ? Catalog.users(options.users())
                : Catalog.products(options.products());
        StreamPlan plan = plans.get(options.dataset().recordType());
        for (Event row : rows) {
            out.accept(new GeneratedRecord(
                    row.type(),
                    plan.written++,
                    row.id(),
                    row.key(),
                    0,
                    0,
                    Flaw.NONE,
                    false,
                    row.render(json, false, false)));
        }
    }

    private void arrive(Event event, Consumer<GeneratedRecord> out) {
        long now = event.timeNanos();
        while (!held.isEmpty() && held.peek().arrivalNanos <= now) {
            emit(held.poll(), out);
        }
        StreamPlan plan = plans.get(event.type());
        int kind = plan.flaws.next(plan.random);
        boolean schemaChanged = plan.made++ >= plan.schemaChangeFrom;
        byte[] bytes = event.render(json, schemaChanged, kind == WRONG_TYPE);
        Flaw flaw = Flaw.NONE;
        long arrival = now;
        switch (kind) {
            case LATE:
                flaw = Flaw.LATE;
                arrival = now + lateByNanos;
                break;
            case OUT_OF_ORDER:
                flaw = Flaw.OUT_OF_ORDER;
                // Longer than one gap, so the next on-time event overtakes it; at most out-of-order-by.
                arrival = now + gapNanos + 1 + plan.random.nextLong(Math.max(1, outOfOrderByNanos - gapNanos));
                break;
            case BROKEN_JSON:
                flaw = Flaw.BROKEN_JSON;
                bytes = cutShort(bytes, plan.random);
                break;
            case WRONG_TYPE:
                flaw = Flaw.WRONG_TYPE;
                break;
            default:
                break;
        }
        Held record = new Held(event, flaw, schemaChanged, bytes, arrival, heldSoFar++);
        if (arrival == now) {
            emit(record, out);
        } else {
            held.add(record);
        }
        if (kind == DUPLICATE) {
            long delay = duplicateWithinNanos == 0 ? 0 : plan.random.nextLong(duplicateWithinNanos + 1);
            Held copy = new Held(event, Flaw.DUPLICATE, schemaChanged, bytes, now + delay, heldSoFar++);
            if (delay == 0) {
                emit(copy, out);
            } else {
                held.add(copy);
            }
        }
    }

    private void emit(Held h, Consumer<GeneratedRecord> out) {
        StreamPlan plan = plans.get(h.event.type());
        out.accept(new GeneratedRecord(
                h.event.type(),
                plan.written++,
                h.event.id(),
                h.event.key(),
                Math.floorDiv(h.event.timeNanos(), 1_000_000L),
                Math.floorDiv(h.arrivalNanos, 1_000_000L),
                h.flaw,
                h.schemaChanged,
                h.bytes));
    }

    /**
     * A record cut off part-way, as a crashed writer leaves it: it keeps its first field (the id,
     * so the record can still be traced) and loses at least its closing brace, so no JSON parser accepts it.
     */
    private static byte[] cutShort(byte[] json, SeededRandom random) {
        int afterId = 0;
        while (afterId < json.length && json[afterId] != ',') {
            afterId++;
        }
        int shortest = Math.min(afterId + 1, json.length - 1);
        int longest = json.length - 1; // exclusive: the closing brace always goes
        int length = shortest + random.nextInt(Math.max(1, longest - shortest));
        return Arrays.copyOf(json, length);
    }
}
