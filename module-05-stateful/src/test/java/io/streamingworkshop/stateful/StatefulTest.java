package io.streamingworkshop.stateful;

import static io.streamingworkshop.testkit.Check.row;
import static io.streamingworkshop.testkit.Times.ts;

import io.streamingworkshop.testkit.BatchCollector;
import io.streamingworkshop.testkit.Check;
import io.streamingworkshop.testkit.Failures;
import io.streamingworkshop.testkit.Graded;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.Learner;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Graded tests of module 5. Every input is fed micro-batch by micro-batch, so watermarks move
 * exactly as the comments say; results are checked per micro-batch, and the size of the state is
 * read from the query's progress after each one.
 */
@WorkshopTest
class StatefulTest {

    final Stateful lab = Implementations.load(Stateful.class);

    static Timestamp at(String time) {
        return ts("2024-05-01 " + time);
    }

    static Row txn(String id, String user, String product, String category, String region, Double amount, String time) {
        return RowFactory.create(id, user, product, category, region, amount, at(time));
    }

    static Row sale(String id, String user, String category, String region, Double amount) {
        return txn(id, user, "prod-0001", category, region, amount, "10:00");
    }

    static Row purchase(String id, String time) {
        return txn(id, "user-0001", "prod-0001", "books", "eu-west", 10.0, time);
    }

    static Row order(String id, Double amount, String time) {
        return RowFactory.create(id, "user-0001", "prod-0001", 1, amount, at(time));
    }

    static Row shipment(String id, String orderId, String carrier, String time) {
        return RowFactory.create(id, orderId, carrier, "wh-lyon", 2.5, at(time));
    }

    /** The rows all state operators of the query hold after its latest micro-batch. */
    static long stateRows(StreamingQuery query) {
        StreamingQueryProgress last = query.lastProgress();
        return last == null
                ? 0
                : Arrays.stream(last.stateOperators())
                        .mapToLong(StateOperatorProgress::numRowsTotal)
                        .sum();
    }

    static void requireColumns(Dataset<?> result, String... columns) {
        Check.columnsInOrder(
                result, "name and order the columns as the exercise says (Column.as(\"...\"), select(...))", columns);
    }

    static String refusalText(String expected, String refusal) {
        return "\n  expected Spark to refuse with \"" + expected + "\"\n  but got: "
                + (refusal == null ? "the query started" : Failures.firstLine(refusal));
    }

    // ---------------------------------------------------------------------------------------------

    /** Expected update-mode output of 5.1, worked out in plain Java: the groups a batch touched, over all rows so far. */
    static List<Object[]> expectedSales(List<Row> allSoFar, List<Row> batch) {
        Set<List<String>> touched = new LinkedHashSet<>();
        batch.forEach(r -> touched.add(List.of(r.getString(3), r.getString(4))));
        List<Object[]> expected = new ArrayList<>();
        for (List<String> group : touched) {
            long purchases = 0;
            List<Double> amounts = new ArrayList<>();
            for (Row r : allSoFar) {
                if (group.equals(List.of(r.getString(3), r.getString(4)))) {
                    purchases++;
                    if (!r.isNullAt(5)) {
                        amounts.add(r.getDouble(5));
                    }
                }
            }
            Double revenue = amounts.isEmpty()
                    ? null
                    : amounts.stream().mapToDouble(Double::doubleValue).sum();
            expected.add(row(
                    group.get(0),
                    group.get(1),
                    purchases,
                    revenue,
                    amounts.isEmpty() ? null : revenue / amounts.size(),
                    amounts.stream().min(Double::compare).orElse(null),
                    amounts.stream().max(Double::compare).orElse(null)));
        }
        return expected;
    }

    @Nested
    @DisplayName("Exercise 5.1: Streaming aggregations")
    class StreamingAggregations {

        @Test
        @Graded(exercise = "5.1", points = 3)
        void updateModeEmitsTheGroupsEachBatchChanged(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Stateful.TRANSACTIONS);
            Dataset<Row> sales = Learner.call(() -> lab.salesPerCategoryAndRegion(input.stream()), null);
            requireColumns(
                    sales, "category", "region", "purchases", "revenue", "avg_amount", "min_amount", "max_amount");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(
                    sales.writeStream().outputMode(OutputMode.Update()),
                    "an aggregation without a watermark runs in update mode; do not add one here");
            String hint = "groupBy(category, region), then count(\"*\") (a purchase without an amount still counts),"
                    + " sum, avg, min and max of amount (they skip nulls); update mode emits only the groups a batch changed";

            List<Row> soFar = new ArrayList<>();
            List<Row> batch1 = List.of(
                    sale("t1", "u1", "books", "eu-west", 10.0),
                    sale("t2", "u2", "books", "eu-west", 2.5),
                    sale("t3", "u1", "books", "us-east", 7.25),
                    sale("t4", "u3", "toys", "eu-west", null));
            soFar.addAll(batch1);
            input.addBatch(batch1);
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by batch 1")
                    .hint(hint)
                    .containExactly(expectedSales(soFar, batch1));

            List<Row> batch2 =
                    List.of(sale("t5", "u4", "books", "eu-west", 4.0), sale("t6", "u3", "toys", "eu-west", 1.5));
            soFar.addAll(batch2);
            input.addBatch(batch2);
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by batch 2 (books/us-east did not change)")
                    .hint(hint)
                    .containExactly(expectedSales(soFar, batch2));
        }
    }

    @Nested
    @DisplayName("Exercise 5.2: Distinct buyers")
    class DistinctBuyers {

        @Test
        @Graded(exercise = "5.2", points = 1)
        void theExactDistinctCountIsRefusedOnAStream(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Stateful.TRANSACTIONS);
            Dataset<Row> buyers = Learner.call(() -> lab.exactBuyersPerCategory(input.stream()), null);
            requireColumns(buyers, "category", "buyers");
            String expected = "Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using"
                    + " approx_count_distinct() instead.";
            String refusal = Streams.refusalOf(buyers.writeStream()
                            .outputMode(OutputMode.Update())
                            .format("memory")
                            .queryName("exact_buyers"))
                    .orElse(null);
            Check.that(
                    refusal != null && refusal.startsWith(expected),
                    "the original's exact distinct count should be refused on a stream."
                            + refusalText(expected, refusal),
                    "write it as the original does: countDistinct(\"user_id\") per category, and see Spark refuse it");
        }

        @Test
        @Graded(exercise = "5.2", points = 2)
        void theApproximateCountRunsAndIsExactForAFewBuyers(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Stateful.TRANSACTIONS);
            Dataset<Row> buyers = Learner.call(() -> lab.approxBuyersPerCategory(input.stream()), null);
            requireColumns(buyers, "category", "buyers");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(
                    buyers.writeStream().outputMode(OutputMode.Update()),
                    "countDistinct is refused on a stream: use approx_count_distinct(\"user_id\")");
            String hint =
                    "approx_count_distinct(\"user_id\") per category: a user who buys twice counts once, a null user"
                            + " not at all; for a few dozen distinct values its sketch counts exactly";

            input.addBatch(
                    sale("t1", "u1", "books", "eu-west", 1.0),
                    sale("t2", "u2", "books", "eu-west", 1.0),
                    sale("t3", "u1", "books", "us-east", 1.0),
                    sale("t4", "u3", "toys", "eu-west", 1.0));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by batch 1")
                    .hint(hint)
                    .containExactly(row("books", 2), row("toys", 1));

            input.addBatch(
                    sale("t5", "u3", "books", "eu-west", 1.0),
                    sale("t6", "u2", "books", "apac", 1.0),
                    sale("t7", null, "toys", "eu-west", 1.0));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by batch 2 (u3 is new to books, u2 is not)")
                    .hint(hint)
                    .containExactly(row("books", 3), row("toys", 1));
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** What a join emitted after each input batch and the rows its state held then. */
    record JoinRun(List<List<Row>> emitted, List<Long> stateRows) {}

    /**
     * The orders and shipments of 5.3 and 5.4, batch by batch. Batch 1: o1 ships after 30 min, o2
     * exactly one hour after, o3 one hour and 1 ms after (too late to match), o4 one second before
     * its order (no match); o2 has no amount. Batch 2: o5, never shipped, moves the watermark to
     * 10:50. Batch 3: o6 and its shipment move it to 12:20, past every earlier order's hour.
     */
    JoinRun runJoin(BiFunction<Dataset<Row>, Dataset<Row>, Dataset<Row>> join) {
        MemoryInput<Row> orders = MemoryInput.ofRows(Stateful.ORDERS);
        MemoryInput<Row> shipments = MemoryInput.ofRows(Stateful.SHIPMENTS);
        Dataset<Row> joined = Learner.call(() -> join.apply(orders.stream(), shipments.stream()), null);
        requireColumns(joined, "order_id", "amount", "order_time", "shipment_id", "carrier", "ship_time");
        BatchCollector sink = BatchCollector.create();
        StreamingQuery query = sink.start(
                joined.writeStream().outputMode(OutputMode.Append()), "a stream-stream join runs in append mode");
        JoinRun run = new JoinRun(new ArrayList<>(), new ArrayList<>());

        orders.addBatch(
                order("o1", 50.0, "10:00"),
                order("o2", null, "10:05"),
                order("o3", 20.0, "10:10"),
                order("o4", 30.0, "10:20"));
        shipments.addBatch(
                shipment("s1", "o1", "dhl", "10:30"),
                shipment("s2", "o2", "ups", "11:05"),
                shipment("s3", "o3", "fedex", "11:10:00.001"),
                shipment("s4", "o4", "dpd", "10:19:59"));
        Streams.processAll(query);
        run.emitted().add(sink.takeNew());
        run.stateRows().add(stateRows(query));

        orders.addBatch(order("o5", 15.0, "11:00"));
        Streams.processAll(query);
        run.emitted().add(sink.takeNew());
        run.stateRows().add(stateRows(query));

        orders.addBatch(order("o6", 40.0, "12:30"));
        shipments.addBatch(shipment("s6", "o6", "postnl", "12:40"));
        Streams.processAll(query);
        run.emitted().add(sink.takeNew());
        run.stateRows().add(stateRows(query));
        return run;
    }

    static final String JOIN_CONDITION_HINT = "join on shipment_order_id = order_id AND ship_time >= order_time AND"
            + " ship_time <= order_time + interval 1 hour: both bounds are included";

    static Object[] matched(
            String order, Double amount, String orderTime, String shipment, String carrier, String shipTime) {
        return row(order, amount, at(orderTime), shipment, carrier, at(shipTime));
    }

    static Object[] unmatched(String order, Double amount, String orderTime) {
        return row(order, amount, at(orderTime), null, null, null);
    }

    @Nested
    @DisplayName("Exercise 5.3: Orders joined with their shipments")
    class OrdersJoinedWithTheirShipments {

        @Test
        @Graded(exercise = "5.3", points = 3)
        void matchesEachOrderWithTheShipmentsOfItsHour(SparkSession spark) {
            JoinRun run = runJoin(lab::shippedOrders);
            Check.rows(run.emitted().get(0))
                    .describedAs("emitted by batch 1")
                    .hint(JOIN_CONDITION_HINT)
                    .containExactly(
                            matched("o1", 50.0, "10:00", "s1", "dhl", "10:30"),
                            matched("o2", null, "10:05", "s2", "ups", "11:05"));
            Check.rows(run.emitted().get(1))
                    .describedAs("emitted by batch 2 (o5, no shipment)")
                    .hint("an inner join emits only matched pairs")
                    .isEmpty();
            Check.rows(run.emitted().get(2))
                    .describedAs("emitted by batch 3")
                    .hint("an inner join emits only matched pairs")
                    .containExactly(matched("o6", 40.0, "12:30", "s6", "postnl", "12:40"));
        }

        @Test
        @Graded(exercise = "5.3", points = 2)
        void dropsOrdersAndShipmentsFromTheStateOnceTheWatermarkPasses(SparkSession spark) {
            JoinRun run = runJoin(lab::shippedOrders);
            String hint = "the join buffers every order and shipment until the watermark says no match can come: that"
                    + " needs a watermark on BOTH inputs (order_time and ship_time, 10 minutes) and the time range in"
                    + " the condition; without either, the state only grows";
            // After batch 2 the watermark is 10:50: no order can be matched by a shipment from before 10:50 any
            // more, so s1 (10:30) and s4 (10:19:59) go; orders stay until the watermark passes order_time + 1 hour.
            Check.equal(
                    List.of(8L, 7L, 2L),
                    run.stateRows(),
                    "rows in the join's state after each batch (numRowsTotal): 4 orders + 4 shipments; + o5 - s1 - s4"
                            + " (watermark 10:50); then only o6 and s6 (watermark 12:20)",
                    hint);
        }
    }

    @Nested
    @DisplayName("Exercise 5.4: Orders that never ship")
    class OrdersThatNeverShip {

        @Test
        @Graded(exercise = "5.4", points = 3)
        void emitsUnshippedOrdersWithNullsOnceTheWatermarkPassesTheirHour(SparkSession spark) {
            JoinRun run = runJoin(lab::ordersWithShipments);
            String hint =
                    "a left outer join (orders on the left) with the same watermarks and condition as 5.3: an order"
                            + " without a match comes out with nulls only when the watermark (the minimum of both inputs'"
                            + " watermarks) has passed order_time + 1 hour, so no shipment can still match it";
            Check.rows(run.emitted().get(0))
                    .describedAs("emitted by batch 1 (matches come out at once)")
                    .hint(JOIN_CONDITION_HINT)
                    .containExactly(
                            matched("o1", 50.0, "10:00", "s1", "dhl", "10:30"),
                            matched("o2", null, "10:05", "s2", "ups", "11:05"));
            Check.rows(run.emitted().get(1))
                    .describedAs("emitted by batch 2 (watermark 10:10, no hour has passed)")
                    .hint(hint)
                    .isEmpty();
            Check.rows(run.emitted().get(2))
                    .describedAs("emitted by batch 3 (watermark 12:20)")
                    .hint(hint)
                    .containExactly(
                            matched("o6", 40.0, "12:30", "s6", "postnl", "12:40"),
                            unmatched("o3", 20.0, "10:10"),
                            unmatched("o4", 30.0, "10:20"),
                            unmatched("o5", 15.0, "11:00"));
        }

        @Test
        @Graded(exercise = "5.4", points = 1)
        void cannotRunInUpdateMode(SparkSession spark) {
            MemoryInput<Row> orders = MemoryInput.ofRows(Stateful.ORDERS);
            MemoryInput<Row> shipments = MemoryInput.ofRows(Stateful.SHIPMENTS);
            Dataset<Row> joined =
                    Learner.call(() -> lab.ordersWithShipments(orders.stream(), shipments.stream()), null);
            String expected = "Join between two streaming DataFrames/Datasets is not supported in Update output mode,"
                    + " only in Append output mode";
            String refusal = Streams.refusalOf(joined.writeStream()
                            .outputMode(OutputMode.Update())
                            .format("memory")
                            .queryName("join_update"))
                    .orElse(null);
            Check.that(
                    refusal != null && refusal.startsWith(expected),
                    "Spark should refuse your stream-stream join in update mode." + refusalText(expected, refusal),
                    "join the two streams themselves (orders.join(shipments, ...)): a join emits each pair once, so"
                            + " Spark allows only append mode");
        }
    }

    // ---------------------------------------------------------------------------------------------

    static Row product(String id, String name, String category, String brand, double price) {
        return RowFactory.create(id, name, category, brand, price);
    }

    @Nested
    @DisplayName("Exercise 5.5: Enrich from a Delta table")
    class EnrichFromADeltaTable {

        @Test
        @Graded(exercise = "5.5", points = 3)
        void eachBatchSeesTheTableAsItIsAndKeepsUnknownProducts(SparkSession spark, WorkDir work) {
            String table = work.path("products");
            spark.createDataFrame(
                            List.of(
                                    product("prod-0001", "Essential Tent", "sports", "Acme", 460.99),
                                    product("prod-0002", "Desk Lamp", "home", "Lumo", 20.99)),
                            Stateful.PRODUCTS)
                    .write()
                    .format("delta")
                    .save(table);
            MemoryInput<Row> input = MemoryInput.ofRows(Stateful.TRANSACTIONS);
            Dataset<Row> enriched = Learner.call(() -> lab.withProducts(input.stream(), table), null);
            requireColumns(enriched, "event_id", "product_id", "amount", "product_name", "brand");
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(
                    enriched.writeStream().outputMode(OutputMode.Append()),
                    "a stream-static join has the stream on the left");

            input.addBatch(
                    txn("t1", "u1", "prod-0001", "sports", "eu-west", 460.99, "10:00"),
                    txn("t2", "u1", "prod-0003", "grocery", "eu-west", 5.0, "10:01"),
                    txn("t3", "u2", null, "toys", "apac", 7.0, "10:02"));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by batch 1")
                    .hint(
                            "a left outer join from the stream to the table on product_id keeps transactions whose product is"
                                    + " unknown (prod-0003) or missing, with nulls; an inner join drops them")
                    .containExactly(
                            row("t1", "prod-0001", 460.99, "Essential Tent", "Acme"),
                            row("t2", "prod-0003", 5.0, null, null),
                            row("t3", null, 7.0, null, null));

            // The catalog changes between micro-batches: a product renamed, one added.
            spark.createDataFrame(
                            List.of(
                                    product("prod-0001", "Essential Tent 2", "sports", "Acme", 460.99),
                                    product("prod-0002", "Desk Lamp", "home", "Lumo", 20.99),
                                    product("prod-0003", "Green Tea", "grocery", "Brewco", 4.99)),
                            Stateful.PRODUCTS)
                    .write()
                    .format("delta")
                    .mode("overwrite")
                    .save(table);
            input.addBatch(
                    txn("t4", "u1", "prod-0001", "sports", "eu-west", 460.99, "10:05"),
                    txn("t5", "u3", "prod-0003", "grocery", "eu-west", 5.0, "10:06"));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("emitted by batch 2, after the table changed")
                    .hint("read the table with spark.read().format(\"delta\").load(path) inside the query, not a copy"
                            + " (not a list collected once): each micro-batch then reads the table's latest version")
                    .containExactly(
                            row("t4", "prod-0001", 460.99, "Essential Tent 2", "Acme"),
                            row("t5", "prod-0003", 5.0, "Green Tea", "Brewco"));
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    @DisplayName("Exercise 5.6: Duplicates and retries")
    class DuplicatesAndRetries {

        /**
         * Batch 1: a, b, a again with the same time, c. Batch 2: a repeated (same time), b retried
         * 2 minutes later. Batch 3: z at 10:30 moves the watermark to 10:20. Batch 4: a, 40 minutes later.
         */
        private List<List<Row>> run(Dataset<Row> deduplicated, MemoryInput<Row> input, List<Long> state) {
            requireColumns(deduplicated, Stateful.TRANSACTIONS.fieldNames());
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(
                    deduplicated.writeStream().outputMode(OutputMode.Append()), "deduplication runs in append mode");
            List<List<Row>> emitted = new ArrayList<>();
            List<List<Row>> batches = List.of(
                    List.of(
                            purchase("a", "10:00"),
                            purchase("b", "10:01"),
                            purchase("a", "10:00"),
                            txn("c", "user-0002", "prod-0002", "home", "apac", null, "10:02")),
                    List.of(purchase("a", "10:00"), purchase("b", "10:03")),
                    List.of(purchase("z", "10:30")),
                    List.of(purchase("a", "10:40")));
            for (List<Row> batch : batches) {
                input.addBatch(batch);
                Streams.processAll(query);
                emitted.add(Check.project(sink.takeNew(), "event_id", "event_time"));
                state.add(stateRows(query));
            }
            return emitted;
        }

        @Test
        @Graded(exercise = "5.6", points = 2)
        void dropDuplicatesOnIdAndTimeDropsRepeatsAndForgetsOldKeys(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Stateful.TRANSACTIONS);
            Dataset<Row> deduplicated = Learner.call(() -> lab.withoutRepeats(input.stream()), null);
            List<Long> state = new ArrayList<>();
            List<List<Row>> emitted = run(deduplicated, input, state);
            String hint =
                    "withWatermark(\"event_time\", \"10 minutes\").dropDuplicates(\"event_id\", \"event_time\"): a repeat"
                            + " has the same id and time; a retry with another time is a new key for this one";
            Check.rows(emitted.get(0))
                    .describedAs("emitted by batch 1")
                    .hint(hint)
                    .containExactly(row("a", at("10:00")), row("b", at("10:01")), row("c", at("10:02")));
            Check.rows(emitted.get(1))
                    .describedAs("emitted by batch 2 (a repeated, b retried at 10:03)")
                    .hint(hint)
                    .containExactly(row("b", at("10:03")));
            Check.rows(emitted.get(2))
                    .describedAs("emitted by batch 3")
                    .hint(hint)
                    .containExactly(row("z", at("10:30")));
            Check.rows(emitted.get(3))
                    .describedAs("emitted by batch 4 (a at 10:40)")
                    .hint(hint)
                    .containExactly(row("a", at("10:40")));
            // After batch 4 the watermark is 10:30: a key exactly at the watermark (z) is dropped too.
            Check.equal(
                    List.of(3L, 4L, 1L, 1L),
                    state,
                    "rows in the deduplication state after each batch (numRowsTotal)",
                    "with event_time among the keys and a watermark, keys older than the watermark (10:20 after z)"
                            + " are dropped from the state; without the watermark, or keyed on event_id alone, they stay forever");
        }

        @Test
        @Graded(exercise = "5.6", points = 2)
        void dropDuplicatesWithinWatermarkCatchesRetriesWithAnotherTime(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Stateful.TRANSACTIONS);
            Dataset<Row> deduplicated = Learner.call(() -> lab.withoutRetries(input.stream()), null);
            List<Long> state = new ArrayList<>();
            List<List<Row>> emitted = run(deduplicated, input, state);
            String hint =
                    "withWatermark(\"event_time\", \"10 minutes\").dropDuplicatesWithinWatermark(\"event_id\"): the key is"
                            + " the id alone, remembered until the watermark passes its first time + 10 minutes";
            Check.rows(emitted.get(0))
                    .describedAs("emitted by batch 1")
                    .hint(hint)
                    .containExactly(row("a", at("10:00")), row("b", at("10:01")), row("c", at("10:02")));
            Check.rows(emitted.get(1))
                    .describedAs("emitted by batch 2 (a repeated, b retried at 10:03)")
                    .hint(hint)
                    .isEmpty();
            Check.rows(emitted.get(2))
                    .describedAs("emitted by batch 3")
                    .hint(hint)
                    .containExactly(row("z", at("10:30")));
            Check.rows(emitted.get(3))
                    .describedAs("emitted by batch 4 (a again at 10:40, after the watermark forgot it)")
                    .hint(hint + "; dropDuplicates(\"event_id\") would never forget it")
                    .containExactly(row("a", at("10:40")));
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** The state sizes of a query, read here from its progress reports, to compare with the learner's. */
    static List<StateSize> stateSizesFromProgress(StreamingQuery query) {
        List<StateSize> sizes = new ArrayList<>();
        for (StreamingQueryProgress p : query.recentProgress()) {
            if (p.stateOperators().length > 0) {
                sizes.add(new StateSize(
                        p.batchId(),
                        Arrays.stream(p.stateOperators())
                                .mapToLong(StateOperatorProgress::numRowsTotal)
                                .sum(),
                        Arrays.stream(p.stateOperators())
                                .mapToLong(StateOperatorProgress::memoryUsedBytes)
                                .sum()));
            }
        }
        return sizes;
    }

    /** Three batches of three new transactions, 20 minutes apart. */
    static StreamingQuery runDeduplication(MemoryInput<Row> input, Dataset<Row> deduplicated) {
        StreamingQuery query =
                BatchCollector.create().start(deduplicated.writeStream().outputMode(OutputMode.Append()), null);
        int id = 0;
        for (String minute : List.of("10:00", "10:20", "10:40")) {
            List<Row> batch = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                batch.add(purchase("t" + (++id), minute));
            }
            input.addBatch(batch);
            Streams.processAll(query);
        }
        return query;
    }

    @Nested
    @DisplayName("Exercise 5.7: Measure the state")
    class MeasureTheState {

        @Test
        @Graded(exercise = "5.7", points = 3)
        void reportsTheStateAfterEveryBatchWithAndWithoutAWatermark(SparkSession spark) {
            MemoryInput<Row> unbounded = MemoryInput.ofRows(Stateful.TRANSACTIONS);
            StreamingQuery idle = BatchCollector.create()
                    .start(unbounded.stream().dropDuplicates("event_id").writeStream(), null);
            List<StateSize> before = Learner.call(() -> lab.stateSizes(idle), null);
            Check.equal(
                    List.of(),
                    before,
                    "state sizes before any micro-batch ran",
                    "no progress report yet: an empty list");
            Streams.stop(idle);

            String hint =
                    "one StateSize per report in query.recentProgress() that has stateOperators(), summing numRowsTotal"
                            + " and memoryUsedBytes over the operators; lastProgress() is only the latest batch";
            StreamingQuery withoutWatermark =
                    runDeduplication(unbounded, unbounded.stream().dropDuplicates("event_id"));
            List<StateSize> growing = Learner.call(() -> lab.stateSizes(withoutWatermark), null);
            Check.equal(stateSizesFromProgress(withoutWatermark), growing, "the state sizes without a watermark", hint);
            Check.equal(
                    List.of(3L, 6L, 9L),
                    growing.stream().map(StateSize::rows).toList(),
                    "rows without a watermark: every event id stays",
                    hint);

            MemoryInput<Row> bounded = MemoryInput.ofRows(Stateful.TRANSACTIONS);
            StreamingQuery withWatermark = runDeduplication(
                    bounded,
                    bounded.stream()
                            .withWatermark("event_time", "10 minutes")
                            .dropDuplicates("event_id", "event_time"));
            List<StateSize> shrinking = Learner.call(() -> lab.stateSizes(withWatermark), null);
            Check.equal(stateSizesFromProgress(withWatermark), shrinking, "the state sizes with a watermark", hint);
            Check.equal(
                    List.of(3L, 3L, 6L, 3L, 6L, 3L),
                    shrinking.stream().map(StateSize::rows).toList(),
                    "rows with a watermark, batch by batch (each data batch adds 3 and moves the watermark; the batch"
                            + " without data that follows drops the keys the watermark passed)",
                    hint);
        }
    }

    @Nested
    @DisplayName("Exercise 5.8: State in RocksDB")
    class StateInRocksDb {

        static final String PROVIDER = "spark.sql.streaming.stateStore.providerClass";

        @Test
        @Graded(exercise = "5.8", points = 2)
        void readsTheRocksDbMetricsOfTheLatestBatch(SparkSession spark) {
            MemoryInput<Row> onHeap = MemoryInput.ofRows(Stateful.TRANSACTIONS);
            StreamingQuery inMemory = runDeduplication(onHeap, onHeap.stream().dropDuplicates("event_id"));
            Map<String, Long> none = Learner.call(() -> lab.rocksDbMetrics(inMemory), null);
            Check.equal(
                    Map.of(),
                    none,
                    "RocksDB metrics of a query on the default (in-memory) state store",
                    "keep only the custom metrics whose name starts with \"rocksdb\": the default store has others");

            spark.conf().set(PROVIDER, "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider");
            try {
                MemoryInput<Row> input = MemoryInput.ofRows(Stateful.TRANSACTIONS);
                StreamingQuery query = runDeduplication(input, input.stream().dropDuplicates("event_id"));
                Map<String, Long> metrics = Learner.call(() -> lab.rocksDbMetrics(query), null);
                Map<String, Long> expected = new LinkedHashMap<>();
                for (StateOperatorProgress operator : query.lastProgress().stateOperators()) {
                    operator.customMetrics().forEach((name, value) -> {
                        if (name.startsWith("rocksdb")) {
                            expected.merge(name, value, Long::sum);
                        }
                    });
                }
                Check.that(
                        expected.containsKey("rocksdbPutCount") && expected.containsKey("rocksdbSstFileSize"),
                        "the query did not run on RocksDB",
                        "this is the test's set-up, not your code");
                Check.equal(
                        new TreeMap<>(expected),
                        new TreeMap<>(metrics),
                        "the RocksDB metrics after the last batch",
                        "lastProgress().stateOperators()[i].customMetrics(), the entries named rocksdb..., summed over operators");
                Check.equal(
                        3L,
                        metrics.get("rocksdbPutCount"),
                        "rocksdbPutCount after the last batch (3 new ids)",
                        "the metrics of the latest progress only, not added up over the batches");
            } finally {
                spark.conf().unset(PROVIDER);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    static Row ordered(String id, String time) {
        return RowFactory.create(id, "ordered", at(time));
    }

    static Row shipped(String id, String time) {
        return RowFactory.create(id, "shipped", at(time));
    }

    @Nested
    @DisplayName("Exercise 5.9: Alert on orders not shipped in time")
    class AlertOnOrdersNotShippedInTime {

        @Test
        @Graded(exercise = "5.9", points = 3)
        void alertsWhenTheWatermarkPassesTheDeadlineOrALateShipmentArrives(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Stateful.ORDER_EVENTS);
            Dataset<ShipmentAlert> alerts = Learner.call(
                    () -> lab.unshippedOrderAlerts(input.stream().withWatermark("event_time", "10 minutes")), null);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(
                    alerts.toDF().writeStream().outputMode(OutputMode.Append()),
                    "flatMapGroupsWithState(function, OutputMode.Append(), Encoders.LONG(), Encoders.bean(ShipmentAlert.class),"
                            + " GroupStateTimeout.EventTimeTimeout())");
            String hint =
                    "GroupStateTimeout.EventTimeTimeout() and state.setTimeoutTimestamp(order time + 30 minutes): the"
                            + " function is called with hasTimedOut() once the watermark is past the deadline (strictly)."
                            + " A processing-time timeout follows the wall clock, not the events";

            input.addBatch(ordered("o1", "10:00"), ordered("o2", "10:05"), ordered("o3", "10:10"));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("after batch 1 (watermark 10:00)")
                    .hint(hint)
                    .isEmpty();

            input.addBatch(shipped("o1", "10:20"), shipped("o2", "10:35"), ordered("o4", "10:30"));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("after batch 2 (o1 shipped in time, o2 exactly at its deadline)")
                    .hint(hint)
                    .isEmpty();

            input.addBatch(ordered("o5", "10:50"));
            Streams.processAll(query);
            Check.rows(sink.takeNew())
                    .describedAs("after batch 3 (watermark 10:40: exactly o3's deadline, not past it)")
                    .hint(hint)
                    .isEmpty();

            input.addBatch(ordered("o6", "10:51"));
            Streams.processAll(query);
            Check.rows(sink.all(), "orderId", "orderTime", "deadline")
                    .describedAs("after batch 4 (watermark 10:41)")
                    .hint(hint)
                    .containExactly(row("o3", at("10:10"), at("10:40")));

            input.addBatch(shipped("o4", "11:15"));
            Streams.processAll(query);
            Check.rows(sink.all(), "orderId", "orderTime", "deadline")
                    .describedAs("after batch 5 (o4 shipped at 11:15, 15 minutes after its deadline)")
                    .hint(
                            "a shipment after the deadline does not cancel the alert: compare its event time with the deadline")
                    .containExactly(row("o3", at("10:10"), at("10:40")), row("o4", at("10:30"), at("11:00")));
        }
    }
}
