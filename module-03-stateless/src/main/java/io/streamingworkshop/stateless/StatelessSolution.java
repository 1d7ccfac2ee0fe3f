package io.streamingworkshop.stateless;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.json_object_keys;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/** The reference solution of module 3. Compare it with your {@link StatelessExercise}. */
public class StatelessSolution implements Stateless {

    /**
     * Where {@code from_json} puts the whole text of a record it could not read, when the schema
     * has a string field of this name (Spark's default, {@code spark.sql.columnNameOfCorruptRecord}).
     */
    static final String CORRUPT_RECORD = "_corrupt_record";

    @Override
    public Dataset<Row> parseReadings(Dataset<Row> kafkaRecords) {
        // Kafka hands over bytes: from_json wants a string, so cast first.
        return kafkaRecords
                .select(from_json(col("value").cast("string"), READINGS).as("reading"))
                .select("reading.*");
    }

    @Override
    public Dataset<Row> hotReadings(Dataset<Row> readings) {
        return readings.filter(col("temperature").gt(75))
                .withColumn("site", col("location.site"))
                // Column arithmetic is done by Spark in doubles. Not multiply(9 / 5): Java computes
                // 9 / 5 as an int, 1, before Spark sees it.
                .withColumn(
                        "temp_fahrenheit",
                        col("temperature").multiply(9).divide(5).plus(32))
                .drop("humidity", "tags", "location");
    }

    /**
     * The classification as plain Java, for the UDF. A static method: a lambda or method reference
     * that used {@code this} would have to ship this whole (not serializable) object to the executors.
     */
    static String classifySeverity(Double temperature) {
        if (temperature == null) {
            return null;
        }
        if (temperature > 100) {
            return "Critical";
        }
        if (temperature > 80) {
            return "Warning";
        }
        return "Normal";
    }

    /** UDF1, not a plain lambda: Spark needs a serializable function type it knows, and the return type. */
    private static final UserDefinedFunction CLASSIFY_SEVERITY = udf(
                    (UDF1<Double, String>) StatelessSolution::classifySeverity, DataTypes.StringType)
            .withName("classify_severity");

    @Override
    public Dataset<Row> withSeverityUdf(Dataset<Row> readings) {
        return readings.withColumn("severity", CLASSIFY_SEVERITY.apply(col("temperature")));
    }

    @Override
    public Dataset<Row> withSeverity(Dataset<Row> readings) {
        Column temperature = col("temperature");
        // No otherwise(): a null temperature makes every comparison null, so no branch matches and
        // the result is null, as in the UDF. otherwise("Normal") would call an unknown temperature normal.
        return readings.withColumn(
                "severity",
                when(temperature.gt(100), "Critical")
                        .when(temperature.gt(80), "Warning")
                        .when(temperature.leq(80), "Normal"));
    }

    @Override
    public Dataset<HotReading> hotReadingsTyped(Dataset<SensorReading> readings) {
        // The casts pick Java's overloads: a bare lambda also fits the Scala ones, and javac refuses
        // to choose ("reference to filter is ambiguous").
        return readings.filter((FilterFunction<SensorReading>)
                        reading -> reading.getTemperature() != null && reading.getTemperature() > 75)
                .map(
                        (MapFunction<SensorReading, HotReading>) reading -> new HotReading(
                                reading.getEventId(),
                                reading.getDeviceId(),
                                reading.getTemperature(),
                                reading.getTemperature() * 9 / 5 + 32),
                        HotReading.encoder());
    }

    @Override
    public Dataset<ReadingTag> tagsOf(Dataset<SensorReading> readings) {
        return readings.flatMap(
                (FlatMapFunction<SensorReading, ReadingTag>) reading -> {
                    List<String> tags = reading.getTags() == null ? List.of() : reading.getTags();
                    return tags.stream()
                            .map(tag -> new ReadingTag(reading.getEventId(), reading.getDeviceId(), tag))
                            .iterator();
                },
                ReadingTag.encoder());
    }

    @Override
    public Dataset<Row> sensorReadingsOf(Dataset<Row> reports) {
        // The report's columns are selected beside the generator, so every exploded row keeps them.
        // explode_outer, not explode: a report without readings still gives a row.
        return reports.select(
                        col("report_id"),
                        col("device_id"),
                        col("location.site").as("site"),
                        col("labels").getItem("firmware").as("firmware"),
                        explode_outer(col("readings")).as("reading"))
                .select(
                        col("report_id"),
                        col("device_id"),
                        col("site"),
                        col("firmware"),
                        col("reading.sensor_id").as("sensor_id"),
                        col("reading.temperature").as("temperature"));
    }

    @Override
    public RoutedRecords parseWithQuarantine(Dataset<Row> kafkaRecords) {
        // On Spark 3, from_json returns a null struct only for a null or empty input. Broken JSON
        // gives a struct of nulls, a wrong type a struct with that field null: only the corrupt-record
        // field tells a bad record from one whose fields are simply null.
        Dataset<Row> checked = kafkaRecords
                .select(col("value").cast("string").as("raw"))
                .withColumn(
                        "parsed",
                        from_json(
                                col("raw"),
                                READINGS.add(CORRUPT_RECORD, DataTypes.StringType),
                                // Saying what is the default anyway is not redundant: without options, the
                                // optimizer cuts the schema down to the fields a query reads. A query that
                                // reads only _corrupt_record then parses against nothing else, and a wrongly
                                // typed record is no longer corrupt.
                                Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT_RECORD)))
                .withColumn(
                        "reason",
                        when(col("raw").isNull().or(trim(col("raw")).equalTo("")), lit(EMPTY))
                                // json_object_keys is null for anything that is not a JSON object.
                                .when(json_object_keys(col("raw")).isNull(), lit(BROKEN_JSON))
                                .when(col("parsed." + CORRUPT_RECORD).isNotNull(), lit(WRONG_TYPE)));
        Dataset<Row> valid =
                checked.where(col("reason").isNull()).select("parsed.*").drop(CORRUPT_RECORD);
        Dataset<Row> quarantine = checked.where(col("reason").isNotNull()).select("raw", "reason");
        return new RoutedRecords(valid, quarantine);
    }

    @Override
    public Dataset<Row> alertPipeline(Dataset<Row> kafkaRecords) {
        Column temperature = col("temperature");
        // Every step looks at one row at a time: nothing is remembered between micro-batches.
        Dataset<Row> hot = parseWithQuarantine(kafkaRecords).valid().filter(temperature.gt(75));
        return withSeverity(hot)
                .select(
                        col("event_id"),
                        col("device_id"),
                        col("location.site").as("site"),
                        temperature,
                        temperature.multiply(9).divide(5).plus(32).as("temp_fahrenheit"),
                        col("severity"),
                        explode_outer(col("tags")).as("tag"),
                        col("event_time"));
    }
}
