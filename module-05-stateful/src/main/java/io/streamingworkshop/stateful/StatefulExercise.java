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

import io.streamingworkshop.testkit.Todo;

/**
 * Your work for module 5. Each method is one exercise of module-05-stateful/README.md; replace its
 * {@code throw Todo.exercise(...)} with your code, then run {@code ./mvnw test -pl module-05-stateful}.
 */
public class StatefulExercise implements Stateful {

    @Override
    public Dataset<Row> salesPerCategoryAndRegion(Dataset<Row> transactions) {
        // TODO 5.1: group by category and region; purchases, revenue, avg_amount, min_amount, max_amount.
        throw Todo.exercise("5.1", "Streaming aggregations");
    }

    @Override
    public Dataset<Row> exactBuyersPerCategory(Dataset<Row> transactions) {
        // TODO 5.2: the original's exact distinct count of user_id per category, as buyers.
        throw Todo.exercise("5.2", "Distinct buyers");
    }

    @Override
    public Dataset<Row> approxBuyersPerCategory(Dataset<Row> transactions) {
        // TODO 5.2: the distinct count of user_id per category that a stream can run, as buyers.
        throw Todo.exercise("5.2", "Distinct buyers");
    }

    @Override
    public Dataset<Row> shippedOrders(Dataset<Row> orders, Dataset<Row> shipments) {
        // TODO 5.3: watermarks on both sides, then an inner join on the id and the one-hour time range.
        throw Todo.exercise("5.3", "Orders joined with their shipments");
    }

    @Override
    public Dataset<Row> ordersWithShipments(Dataset<Row> orders, Dataset<Row> shipments) {
        // TODO 5.4: as 5.3, keeping orders that never ship.
        throw Todo.exercise("5.4", "Orders that never ship");
    }

    @Override
    public Dataset<Row> withProducts(Dataset<Row> transactions, String productsTablePath) {
        // TODO 5.5: read the Delta table, join it to the stream, keep transactions without a product.
        throw Todo.exercise("5.5", "Enrich from a Delta table");
    }

    @Override
    public Dataset<Row> withoutRepeats(Dataset<Row> transactions) {
        // TODO 5.6: a 10-minute watermark on event_time; drop rows whose event_id and event_time were seen.
        throw Todo.exercise("5.6", "Duplicates and retries");
    }

    @Override
    public Dataset<Row> withoutRetries(Dataset<Row> transactions) {
        // TODO 5.6: a 10-minute watermark on event_time; drop rows whose event_id was seen within it.
        throw Todo.exercise("5.6", "Duplicates and retries");
    }

    @Override
    public List<StateSize> stateSizes(StreamingQuery query) {
        // TODO 5.7: one StateSize per progress report that has state operators, oldest first.
        throw Todo.exercise("5.7", "Measure the state");
    }

    @Override
    public Map<String, Long> rocksDbMetrics(StreamingQuery query) {
        // TODO 5.8: the state operators' custom metrics named rocksdb..., from the latest progress.
        throw Todo.exercise("5.8", "State in RocksDB");
    }

    @Override
    public Dataset<ShipmentAlert> unshippedOrderAlerts(Dataset<Row> watermarkedOrderEvents) {
        // TODO 5.9: groupByKey on order_id, then flatMapGroupsWithState with an event-time timeout;
        //           watchOrder below is where the per-order logic goes.
        throw Todo.exercise("5.9", "Alert on orders not shipped in time");
    }

    /** Exercise 5.9's function: what to emit for one order, given its new events and its state. */
    static Iterator<ShipmentAlert> watchOrder(String orderId, Iterator<Row> events, GroupState<Long> state) {
        // TODO 5.9: on a timeout, emit the alert and remove the state; on an order, keep its time and
        //           set the timeout to order time + 30 minutes; on a shipment, remove the state.
        throw Todo.exercise("5.9", "Alert on orders not shipped in time");
    }
}
