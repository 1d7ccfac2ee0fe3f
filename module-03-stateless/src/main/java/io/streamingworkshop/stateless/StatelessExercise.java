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

import io.streamingworkshop.testkit.Todo;

/**
 * Your work for module 3. Each method is one exercise of module-03-stateless/README.md; replace its
 * {@code throw Todo.exercise(...)} with your code, then run {@code ./mvnw test -pl module-03-stateless}.
 */
public class StatelessExercise implements Stateless {

    /**
     * Where {@code from_json} puts the whole text of a record it could not read, when the schema
     * has a string field of this name (Spark's default, {@code spark.sql.columnNameOfCorruptRecord}).
     */
    static final String CORRUPT_RECORD = "_corrupt_record";

    @Override
    public Dataset<Row> parseReadings(Dataset<Row> kafkaRecords) {
        // TODO 3.1: value is bytes: cast it to a string, parse it with from_json and READINGS, then
        //           turn the struct's fields into columns.
        throw Todo.exercise("3.1", "Parse JSON from Kafka");
    }

    @Override
    public Dataset<Row> hotReadings(Dataset<Row> readings) {
        // TODO 3.2: keep temperature > 75; add site (from location.site) and temp_fahrenheit;
        //           drop humidity, tags and location.
        throw Todo.exercise("3.2", "Filter, select and derive");
    }

    @Override
    public Dataset<Row> withSeverityUdf(Dataset<Row> readings) {
        // TODO 3.3: write the classification as a Java function (null in, null out), wrap it with
        //           udf((UDF1<Double, String>) ..., DataTypes.StringType) and add it as severity.
        throw Todo.exercise("3.3", "A Java UDF");
    }

    @Override
    public Dataset<Row> withSeverity(Dataset<Row> readings) {
        // TODO 3.4: the same severity with when(...).when(...): built-in functions only.
        throw Todo.exercise("3.4", "Built-ins instead of a UDF");
    }

    @Override
    public Dataset<HotReading> hotReadingsTyped(Dataset<SensorReading> readings) {
        // TODO 3.5: filter with a FilterFunction<SensorReading> (mind a null temperature), then map
        //           with a MapFunction<SensorReading, HotReading> and HotReading.encoder().
        throw Todo.exercise("3.5", "Typed filter and map");
    }

    @Override
    public Dataset<ReadingTag> tagsOf(Dataset<SensorReading> readings) {
        // TODO 3.6: flatMap with a FlatMapFunction<SensorReading, ReadingTag> that returns an
        //           Iterator of one ReadingTag per tag, and ReadingTag.encoder().
        throw Todo.exercise("3.6", "Typed flatMap");
    }

    @Override
    public Dataset<Row> sensorReadingsOf(Dataset<Row> reports) {
        // TODO 3.7: select the report's keys, site and the firmware label beside explode_outer(readings),
        //           then take sensor_id and temperature out of the exploded struct.
        throw Todo.exercise("3.7", "Explode arrays, structs and maps");
    }

    @Override
    public RoutedRecords parseWithQuarantine(Dataset<Row> kafkaRecords) {
        // TODO 3.8: keep the value as text (raw); parse it with READINGS plus a CORRUPT_RECORD string
        //           field, passing the options explicitly (README: why); give each record a reason
        //           (EMPTY, BROKEN_JSON, WRONG_TYPE or null) and split on it:
        //           new RoutedRecords(valid readings, quarantine of raw and reason).
        throw Todo.exercise("3.8", "Keep bad records aside");
    }

    @Override
    public Dataset<Row> alertPipeline(Dataset<Row> kafkaRecords) {
        // TODO 3.9: chain your steps: the valid readings of 3.8, temperature > 75, site,
        //           temp_fahrenheit, severity (your 3.4) and one row per tag (explode_outer).
        throw Todo.exercise("3.9", "One stateless pipeline");
    }
}
