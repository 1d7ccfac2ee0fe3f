package io.streamingworkshop.stateful;

import io.streamingworkshop.datagen.RecordType;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Module 5, stateful processing: the exercises of this lab, one method each.
 * {@link StatefulExercise} is where you write them; {@link StatefulSolution} is the reference.
 * The README (module-05-stateful/README.md) explains each one; {@code StatefulTest} checks them.
 *
 * <p>The streams have datagen's schemas ({@link #TRANSACTIONS}, {@link #ORDERS}, {@link #SHIPMENTS});
 * the products table has {@link #PRODUCTS}; exercise 5.9 reads {@link #ORDER_EVENTS}.
 */
public interface Stateful {

    /** {@code event_id, user_id, product_id, category, region, amount (double), event_time}. */
    StructType TRANSACTIONS = RecordType.TRANSACTION.schema();

    /** {@code order_id, user_id, product_id, quantity (int), amount (double), order_time}. */
    StructType ORDERS = RecordType.ORDER.schema();

    /** {@code shipment_id, shipment_order_id, carrier, warehouse, weight_kg (double), ship_time}. */
    StructType SHIPMENTS = RecordType.SHIPMENT.schema();

    /** {@code product_id, name, category, brand, price (double)}: the products dimension. */
    StructType PRODUCTS = RecordType.PRODUCT.schema();

    /** Exercise 5.9's input: {@code order_id}, {@code kind} ("ordered" or "shipped"), {@code event_time}. */
    StructType ORDER_EVENTS = new StructType()
            .add("order_id", DataTypes.StringType)
            .add("kind", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType);

    /**
     * Exercise 5.1: per {@code category} and {@code region}: {@code purchases} (every transaction,
     * also those without an amount), {@code revenue} (sum of {@code amount}), {@code avg_amount},
     * {@code min_amount}, {@code max_amount}; columns in this order. No watermark: it runs in update mode.
     */
    Dataset<Row> salesPerCategoryAndRegion(Dataset<Row> transactions);

    /**
     * Exercise 5.2, first half: the original workshop's exact count of distinct buyers per
     * {@code category} ({@code countDistinct} of {@code user_id}, as {@code buyers}). Spark refuses
     * to run it on a stream; the test shows you how.
     */
    Dataset<Row> exactBuyersPerCategory(Dataset<Row> transactions);

    /**
     * Exercise 5.2, second half: the count of distinct buyers per {@code category} that a stream
     * can run: columns {@code category}, {@code buyers}.
     */
    Dataset<Row> approxBuyersPerCategory(Dataset<Row> transactions);

    /**
     * Exercise 5.3: orders joined with their shipments (stream-stream inner join). Watermarks of
     * 10 minutes on {@code order_time} and on {@code ship_time}; a shipment matches its order
     * ({@code shipment_order_id = order_id}) when shipped at or after the order and at most one
     * hour after it, both bounds included. Columns {@code order_id}, {@code amount},
     * {@code order_time}, {@code shipment_id}, {@code carrier}, {@code ship_time}.
     */
    Dataset<Row> shippedOrders(Dataset<Row> orders, Dataset<Row> shipments);

    /**
     * Exercise 5.4: like 5.3, but every order comes out: with its shipment, or, once no shipment
     * can match it any more, with null shipment columns (left outer join). Same columns.
     */
    Dataset<Row> ordersWithShipments(Dataset<Row> orders, Dataset<Row> shipments);

    /**
     * Exercise 5.5: each transaction enriched from the Delta table of products at
     * {@code productsTablePath} (read it yourself), as the table is when each micro-batch runs.
     * Transactions with an unknown or missing {@code product_id} stay, with nulls. Columns
     * {@code event_id}, {@code product_id}, {@code amount}, {@code product_name} (the product's
     * {@code name}), {@code brand}.
     */
    Dataset<Row> withProducts(Dataset<Row> transactions, String productsTablePath);

    /**
     * Exercise 5.6, first half: the transactions without repeats: a row whose {@code event_id}
     * and {@code event_time} were already seen is dropped. A watermark of 10 minutes on
     * {@code event_time} keeps the state bounded. Columns unchanged.
     */
    Dataset<Row> withoutRepeats(Dataset<Row> transactions);

    /**
     * Exercise 5.6, second half: the transactions without retries: a row whose {@code event_id}
     * was already seen within the watermark (10 minutes on {@code event_time}) is dropped, even
     * if its {@code event_time} differs. Columns unchanged.
     */
    Dataset<Row> withoutRetries(Dataset<Row> transactions);

    /**
     * Exercise 5.7: the size of the query's state after each micro-batch it still reports, oldest
     * first: the rows and bytes of all its state operators together. Micro-batches without a
     * state operator in their progress are left out.
     */
    List<StateSize> stateSizes(StreamingQuery query);

    /**
     * Exercise 5.8: the RocksDB state store's own metrics after the query's latest micro-batch:
     * every custom metric of its state operators whose name starts with {@code rocksdb}, summed
     * over the operators. Empty when the query does not run on RocksDB.
     */
    Map<String, Long> rocksDbMetrics(StreamingQuery query);

    /**
     * Exercise 5.9: one alert for each order not shipped within 30 minutes of its order time
     * (event time), emitted once the watermark has passed that deadline; nothing for orders shipped
     * in time. An order shipped after its deadline gets its alert when the late shipment arrives,
     * if the deadline has not already raised it. The input carries its watermark.
     */
    Dataset<ShipmentAlert> unshippedOrderAlerts(Dataset<Row> watermarkedOrderEvents);
}
