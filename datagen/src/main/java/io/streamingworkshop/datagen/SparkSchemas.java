package io.streamingworkshop.datagen;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark schema of each record type, field for field what the generators write (the README's
 * tables list the same). Kept apart from {@link RecordType} so that the record types, and with
 * them the command line, are usable without building any Spark object.
 */
final class SparkSchemas {

    private SparkSchemas() {}

    static StructType of(RecordType type, boolean evolved) {
        StructType schema = base(type);
        if (evolved) {
            schema = schema.add(type.addedField(), type == RecordType.IOT_READING ? IntegerType : StringType);
        }
        return schema;
    }

    private static StructType base(RecordType type) {
        switch (type) {
            case IOT_READING:
                return new StructType()
                        .add("event_id", StringType)
                        .add("device_id", StringType)
                        .add("sensor_id", StringType)
                        .add("temperature", DoubleType)
                        .add("humidity", DoubleType)
                        .add(
                                "location",
                                new StructType()
                                        .add("site", StringType)
                                        .add("lat", DoubleType)
                                        .add("lon", DoubleType))
                        .add("tags", DataTypes.createArrayType(StringType))
                        .add("event_time", TimestampType);
            case CLICK:
                return new StructType()
                        .add("event_id", StringType)
                        .add("user_id", StringType)
                        .add("session_id", StringType)
                        .add("page", StringType)
                        .add("page_category", StringType)
                        .add("event_type", StringType)
                        .add("time_on_page", DoubleType)
                        .add("event_time", TimestampType);
            case ORDER:
                return new StructType()
                        .add("order_id", StringType)
                        .add("user_id", StringType)
                        .add("product_id", StringType)
                        .add("quantity", IntegerType)
                        .add("amount", DoubleType)
                        .add("order_time", TimestampType);
            case SHIPMENT:
                return new StructType()
                        .add("shipment_id", StringType)
                        .add("shipment_order_id", StringType)
                        .add("carrier", StringType)
                        .add("warehouse", StringType)
                        .add("weight_kg", DoubleType)
                        .add("ship_time", TimestampType);
            case TRANSACTION:
                return new StructType()
                        .add("event_id", StringType)
                        .add("user_id", StringType)
                        .add("product_id", StringType)
                        .add("category", StringType)
                        .add("region", StringType)
                        .add("amount", DoubleType)
                        .add("event_time", TimestampType);
            case USER:
                return new StructType()
                        .add("user_id", StringType)
                        .add("name", StringType)
                        .add("user_segment", StringType)
                        .add("region", StringType)
                        .add("country", StringType)
                        .add("signup_date", DateType);
            case PRODUCT:
                return new StructType()
                        .add("product_id", StringType)
                        .add("name", StringType)
                        .add("category", StringType)
                        .add("brand", StringType)
                        .add("price", DoubleType);
            default:
                throw new IllegalArgumentException("No schema for " + type);
        }
    }
}
