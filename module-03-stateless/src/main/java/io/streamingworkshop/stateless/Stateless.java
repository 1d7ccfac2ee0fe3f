package io.streamingworkshop.stateless;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Module 3, stateless transformations: the exercises of this lab, one method each.
 * {@link StatelessExercise} is where you write them; {@link StatelessSolution} is the reference.
 * The README (module-03-stateless/README.md) explains each one; {@code StatelessTest} checks them.
 *
 * <p>Every method takes a streaming Dataset and returns one: nothing here starts a query or keeps
 * state. The inputs:
 * <ul>
 *   <li>{@link #KAFKA_RECORDS}: what Spark's Kafka source gives, the reading as JSON bytes in {@code value};</li>
 *   <li>{@link #READINGS}: the parsed IoT readings (exercise 3.1's output);</li>
 *   <li>{@link SensorReading} beans, for the typed API;</li>
 *   <li>{@link #DEVICE_REPORTS}: reports with an array, a struct and a map, for exercise 3.7.</li>
 * </ul>
 */
public interface Stateless {

    /** The columns of Spark's Kafka source ({@code spark.readStream().format("kafka")...load()}). */
    StructType KAFKA_RECORDS = new StructType()
            .add("key", DataTypes.BinaryType)
            .add("value", DataTypes.BinaryType)
            .add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType)
            .add("timestamp", DataTypes.TimestampType)
            .add("timestampType", DataTypes.IntegerType);

    /**
     * The JSON of an IoT reading, as the {@code datagen} module writes it (the same as
     * {@code RecordType.IOT_READING.schema()}): the schema to parse the Kafka values with.
     */
    StructType READINGS = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add("sensor_id", DataTypes.StringType)
            .add("temperature", DataTypes.DoubleType)
            .add("humidity", DataTypes.DoubleType)
            .add(
                    "location",
                    new StructType()
                            .add("site", DataTypes.StringType)
                            .add("lat", DataTypes.DoubleType)
                            .add("lon", DataTypes.DoubleType))
            .add("tags", DataTypes.createArrayType(DataTypes.StringType))
            .add("event_time", DataTypes.TimestampType);

    /** A device's report: where it stands, its labels, and one entry per sensor it read. */
    StructType DEVICE_REPORTS = new StructType()
            .add("report_id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add(
                    "location",
                    new StructType()
                            .add("site", DataTypes.StringType)
                            .add("lat", DataTypes.DoubleType)
                            .add("lon", DataTypes.DoubleType))
            .add("labels", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
            .add(
                    "readings",
                    DataTypes.createArrayType(new StructType()
                            .add("sensor_id", DataTypes.StringType)
                            .add("temperature", DataTypes.DoubleType)));

    /** Quarantine reason (exercise 3.8): the Kafka value is null, empty or only blanks. */
    String EMPTY = "empty";
    /** Quarantine reason: the value is not a JSON object (cut off, or not JSON at all). */
    String BROKEN_JSON = "broken_json";
    /** Quarantine reason: a JSON object, but a field does not fit {@link #READINGS} (e.g. {@code "temperature":"21.5 C"}). */
    String WRONG_TYPE = "wrong_type";

    /**
     * Exercise 3.1: the readings in the Kafka records: {@code value} parsed as JSON with the schema
     * {@link #READINGS}, one column per field, exactly the columns of {@link #READINGS}, in order
     * ({@code location} stays a struct, {@code tags} an array).
     */
    Dataset<Row> parseReadings(Dataset<Row> kafkaRecords);

    /**
     * Exercise 3.2: the readings hotter than 75 degrees (strictly), with {@code location.site} as a
     * column {@code site}, the temperature in Fahrenheit as {@code temp_fahrenheit}
     * ({@code temperature * 9 / 5 + 32}), and without {@code humidity}, {@code tags} and
     * {@code location}. Columns: {@code event_id}, {@code device_id}, {@code sensor_id},
     * {@code temperature}, {@code event_time}, {@code site}, {@code temp_fahrenheit}, in any order.
     */
    Dataset<Row> hotReadings(Dataset<Row> readings);

    /**
     * Exercise 3.3: the readings with a column {@code severity} computed by a Java UDF:
     * {@code "Critical"} above 100 degrees, {@code "Warning"} above 80, {@code "Normal"} otherwise,
     * and null when the temperature is null. Every input column is kept.
     */
    Dataset<Row> withSeverityUdf(Dataset<Row> readings);

    /**
     * Exercise 3.4: the same {@code severity} column as 3.3, with the same result for every
     * temperature (null included), computed with Spark's built-in functions only: no UDF.
     */
    Dataset<Row> withSeverity(Dataset<Row> readings);

    /**
     * Exercise 3.5: with the typed API ({@code filter} with a {@code FilterFunction}, {@code map}
     * with a {@code MapFunction}): the readings hotter than 75 degrees as {@link HotReading}s with
     * the temperature in Fahrenheit too. A reading without a temperature is not hot.
     */
    Dataset<HotReading> hotReadingsTyped(Dataset<SensorReading> readings);

    /**
     * Exercise 3.6: with the typed API ({@code flatMap} with a {@code FlatMapFunction}): one
     * {@link ReadingTag} per tag of each reading, carrying the reading's event and device ids. A
     * reading whose tags are null or empty gives none.
     */
    Dataset<ReadingTag> tagsOf(Dataset<SensorReading> readings);

    /**
     * Exercise 3.7: one row per entry of {@code readings} of each report ({@link #DEVICE_REPORTS}),
     * with the report's keys: columns {@code report_id}, {@code device_id}, {@code site} (from
     * {@code location}), {@code firmware} (the label {@code "firmware"}, null if absent),
     * {@code sensor_id} and {@code temperature} (from the entry), in any order. A report whose
     * {@code readings} is null or empty still gives one row, with null {@code sensor_id} and
     * {@code temperature}.
     */
    Dataset<Row> sensorReadingsOf(Dataset<Row> reports);

    /**
     * Exercise 3.8: the Kafka records sorted into valid readings (the columns of {@link #READINGS},
     * as in 3.1) and a quarantine of the records that cannot be read, with the columns
     * {@code raw} (the value as text) and {@code reason} ({@link #EMPTY}, {@link #BROKEN_JSON} or
     * {@link #WRONG_TYPE}). Every record lands in exactly one of them; nothing fails the query.
     */
    RoutedRecords parseWithQuarantine(Dataset<Row> kafkaRecords);

    /**
     * Exercise 3.9: one stateless pipeline from Kafka records to alerts: the readings that parse,
     * hotter than 75 degrees, with {@code site}, {@code temp_fahrenheit} (as 3.2) and
     * {@code severity} (as 3.4), one row per tag (a reading without tags keeps one row, with a null
     * {@code tag}). Columns: {@code event_id}, {@code device_id}, {@code site}, {@code temperature},
     * {@code temp_fahrenheit}, {@code severity}, {@code tag}, {@code event_time}, in any order. It
     * must keep no state between micro-batches.
     */
    Dataset<Row> alertPipeline(Dataset<Row> kafkaRecords);
}
