package io.streamingworkshop.stateful;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** The reference solution of module 5. Compare it with your {@link StatefulExercise}. */
public class StatefulSolution implements Stateful {

    @Override
    public Dataset<Row> salesPerCategoryAndRegion(Dataset<Row> transactions) {
        // count("*") counts rows; sum/avg/min/max skip nulls, so a transaction without an amount
        // is a purchase that adds nothing to the revenue.
        return transactions
                .groupBy(col("category"), col("region"))
                .agg(
                        count("*").as("purchases"),
                        sum("amount").as("revenue"),
                        avg("amount").as("avg_amount"),
                        min("amount").as("min_amount"),
                        max("amount").as("max_amount"));
    }

    @Override
    public Dataset<Row> exactBuyersPerCategory(Dataset<Row> transactions) {
        // Builds fine; Spark refuses it when the query starts.
        return transactions
                .groupBy(col("category"))
                .agg(countDistinct("user_id").as("buyers"));
    }

    @Override
    public Dataset<Row> approxBuyersPerCategory(Dataset<Row> transactions) {
        // HyperLogLog++: a small sketch per group instead of every user id seen.
        return transactions
                .groupBy(col("category"))
                .agg(approx_count_distinct("user_id").as("buyers"));
    }

    @Override
    public Dataset<Row> shippedOrders(Dataset<Row> orders, Dataset<Row> shipments) {
        return joinOrdersAndShipments(orders, shipments, "inner");
    }

    @Override
    public Dataset<Row> ordersWithShipments(Dataset<Row> orders, Dataset<Row> shipments) {
        return joinOrdersAndShipments(orders, shipments, "left_outer");
    }

    /**
     * Both sides need a watermark, and the condition a time range: then Spark can tell, from the
     * watermark, which buffered orders and shipments can never match again, and drop them.
     */
    private static Dataset<Row> joinOrdersAndShipments(Dataset<Row> orders, Dataset<Row> shipments, String joinType) {
        Dataset<Row> watermarkedOrders = orders.withWatermark("order_time", "10 minutes");
        Dataset<Row> watermarkedShipments = shipments.withWatermark("ship_time", "10 minutes");
        Column shippedWithinAnHour = col("shipment_order_id")
                .equalTo(col("order_id"))
                .and(col("ship_time").geq(col("order_time")))
                .and(col("ship_time").leq(col("order_time").plus(expr("interval 1 hour"))));
        return watermarkedOrders
                .join(watermarkedShipments, shippedWithinAnHour, joinType)
                .select("order_id", "amount", "order_time", "shipment_id", "carrier", "ship_time");
    }

    @Override
    public Dataset<Row> withProducts(Dataset<Row> transactions, String productsTablePath) {
        Dataset<Row> products = SparkSession.active()
                .read()
                .format("delta")
                .load(productsTablePath)
                .select(col("product_id"), col("name").as("product_name"), col("brand"));
        // A join on a column name keeps one product_id; left outer keeps transactions without a match.
        return transactions
                .join(products, transactions.col("product_id").equalTo(products.col("product_id")), "left_outer")
                .select(
                        transactions.col("event_id"),
                        transactions.col("product_id"),
                        transactions.col("amount"),
                        products.col("product_name"),
                        products.col("brand"));
    }

    @Override
    public Dataset<Row> withoutRepeats(Dataset<Row> transactions) {
        // event_time among the keys lets the watermark evict old keys: state stays bounded.
        return transactions.withWatermark("event_time", "10 minutes").dropDuplicates("event_id", "event_time");
    }

    @Override
    public Dataset<Row> withoutRetries(Dataset<Row> transactions) {
        // The key is the id alone; each key lives until the watermark passes its first event time + delay.
        return transactions.withWatermark("event_time", "10 minutes").dropDuplicatesWithinWatermark("event_id");
    }

    @Override
    public List<StateSize> stateSizes(StreamingQuery query) {
        // numRowsTotal is a gauge per batch: each progress report gives the state after its batch.
        List<StateSize> sizes = new ArrayList<>();
        for (StreamingQueryProgress progress : query.recentProgress()) {
            StateOperatorProgress[] operators = progress.stateOperators();
            if (operators.length == 0) {
                continue;
            }
            long rows = Arrays.stream(operators)
                    .mapToLong(StateOperatorProgress::numRowsTotal)
                    .sum();
            long bytes = Arrays.stream(operators)
                    .mapToLong(StateOperatorProgress::memoryUsedBytes)
                    .sum();
            sizes.add(new StateSize(progress.batchId(), rows, bytes));
        }
        return sizes;
    }

    @Override
    public Map<String, Long> rocksDbMetrics(StreamingQuery query) {
        Map<String, Long> metrics = new TreeMap<>();
        StreamingQueryProgress latest = query.lastProgress();
        if (latest == null) {
            return metrics;
        }
        for (StateOperatorProgress operator : latest.stateOperators()) {
            operator.customMetrics().forEach((name, value) -> {
                if (name.startsWith("rocksdb")) {
                    metrics.merge(name, value, Long::sum);
                }
            });
        }
        return metrics;
    }

    static final long DEADLINE_MS = 30 * 60 * 1000L;

    @Override
    public Dataset<ShipmentAlert> unshippedOrderAlerts(Dataset<Row> watermarkedOrderEvents) {
        return watermarkedOrderEvents
                .groupByKey((MapFunction<Row, String>) event -> event.getAs("order_id"), Encoders.STRING())
                .flatMapGroupsWithState(
                        StatefulSolution::watchOrder,
                        OutputMode.Append(),
                        Encoders.LONG(),
                        Encoders.bean(ShipmentAlert.class),
                        GroupStateTimeout.EventTimeTimeout());
    }

    /**
     * The state of an order is its order time (epoch ms) while no shipment has been seen. The
     * timeout is set on event time: it fires once the watermark passes the deadline, whatever the
     * wall clock says.
     */
    static Iterator<ShipmentAlert> watchOrder(String orderId, Iterator<Row> events, GroupState<Long> state) {
        if (state.hasTimedOut()) {
            long orderTime = state.get();
            state.remove();
            return List.of(alert(orderId, orderTime)).iterator();
        }
        Long orderTime = state.exists() ? state.get() : null;
        Long shipTime = null;
        while (events.hasNext()) {
            Row event = events.next();
            long time = event.<Timestamp>getAs("event_time").getTime();
            if ("ordered".equals(event.getAs("kind"))) {
                orderTime = time;
            } else if ("shipped".equals(event.getAs("kind"))) {
                shipTime = shipTime == null ? time : Math.min(shipTime, time);
            }
        }
        if (orderTime == null) {
            return List.<ShipmentAlert>of().iterator(); // a shipment of an order never seen: nothing to watch
        }
        long deadline = orderTime + DEADLINE_MS;
        if (shipTime != null) {
            state.remove();
            return shipTime > deadline
                    ? List.of(alert(orderId, orderTime)).iterator()
                    : List.<ShipmentAlert>of().iterator();
        }
        if (deadline < state.getCurrentWatermarkMs()) {
            // An order that arrives after its deadline is behind the watermark: a timeout there is refused.
            state.remove();
            return List.of(alert(orderId, orderTime)).iterator();
        }
        state.update(orderTime);
        state.setTimeoutTimestamp(deadline);
        return List.<ShipmentAlert>of().iterator();
    }

    private static ShipmentAlert alert(String orderId, long orderTime) {
        return new ShipmentAlert(orderId, new Timestamp(orderTime), new Timestamp(orderTime + DEADLINE_MS));
    }
}
