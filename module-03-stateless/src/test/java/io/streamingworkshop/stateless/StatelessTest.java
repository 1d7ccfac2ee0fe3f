package io.streamingworkshop.stateless;

import static io.streamingworkshop.stateless.ExpectedReadings.TEN_O_CLOCK;
import static io.streamingworkshop.stateless.ExpectedReadings.kafkaRecord;
import static io.streamingworkshop.stateless.ExpectedReadings.readingJson;
import static io.streamingworkshop.stateless.ExpectedReadings.readingRow;
import static io.streamingworkshop.testkit.Check.row;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.Flaw;
import io.streamingworkshop.datagen.GeneratedRecord;
import io.streamingworkshop.datagen.Manifest;
import io.streamingworkshop.datagen.RecordType;
import io.streamingworkshop.testkit.BatchCollector;
import io.streamingworkshop.testkit.Check;
import io.streamingworkshop.testkit.Graded;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.Learner;
import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.WorkshopTest;
import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ScalaUDF;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/**
 * Graded tests of module 3. Each test calls its exercise's method first, then feeds its input:
 * datagen's IoT readings through the test kit's real Kafka broker where Kafka is the lesson,
 * rows and beans through {@link MemoryInput} elsewhere. Expected rows are worked out in plain Java
 * ({@link ExpectedReadings}), never with the code under test.
 */
@WorkshopTest
class StatelessTest {

    final Stateless lab = Implementations.load(Stateless.class);

    /** Where the optimizer cannot see: UDFs and the typed API's Java objects, in the analyzed plan. */
    static List<String> opaqueSteps(Dataset<?> result) {
        List<String> found = new ArrayList<>();
        collectOpaqueSteps(result.queryExecution().analyzed(), found);
        return found;
    }

    private static final Set<String> TYPED_NODES = Set.of(
            "TypedFilter",
            "MapElements",
            "MapPartitions",
            "AppendColumns",
            "DeserializeToObject",
            "SerializeFromObject");

    private static void collectOpaqueSteps(LogicalPlan plan, List<String> found) {
        if (TYPED_NODES.contains(plan.nodeName())) {
            found.add(plan.nodeName());
        }
        for (Expression expression : JavaConverters.seqAsJavaList(plan.expressions())) {
            collectUdfs(expression, found);
        }
        for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
            collectOpaqueSteps(child, found);
        }
    }

    private static void collectUdfs(Expression expression, List<String> found) {
        if (expression instanceof ScalaUDF
                || expression.getClass().getSimpleName().contains("UDF")) {
            found.add("UDF " + expression.toString().replaceAll("#\\d+", ""));
        }
        for (Expression child : JavaConverters.seqAsJavaList(expression.children())) {
            collectUdfs(child, found);
        }
    }

    static String uniqueTopic(String name) {
        // Unique, so that a broker named by KAFKA_BOOTSTRAP_SERVERS never serves an earlier run's records.
        return "module03-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Dataset<Row> kafkaStream(SparkSession spark, KafkaBroker kafka, String topic) {
        return spark.readStream()
                .format("kafka")
                .options(kafka.sparkOptions())
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .load();
    }

    // ---- 3.1 -----------------------------------------------------------------------------------

    @Nested
    @DisplayName("Exercise 3.1: Parse JSON from Kafka")
    class ParseJsonFromKafka {

        @Test
        @Graded(exercise = "3.1", points = 3)
        void parsesEveryReadingOfTheTopicIntoTypedColumns(SparkSession spark) {
            KafkaBroker kafka = KafkaBroker.shared();
            String topic = uniqueTopic("parse");
            String hint =
                    "select(from_json(col(\"value\").cast(\"string\"), READINGS).as(\"reading\")).select(\"reading.*\"):"
                            + " value holds bytes, and the struct's fields become the columns";
            Dataset<Row> readings = Learner.call(() -> lab.parseReadings(kafkaStream(spark, kafka, topic)), hint);
            Check.equal(
                    fields(RecordType.IOT_READING.schema().fields()),
                    fields(readings.schema().fields()),
                    "the columns and their types",
                    hint);

            Datagen iot = Datagen.iot().events(40).seed(31);
            iot.toKafka(kafka.clientProperties(), topic);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(readings, null);
            Streams.processAll(query, hint);

            List<Object[]> expected =
                    iot.records().stream().map(ExpectedReadings::reading).collect(Collectors.toList());
            Check.rows(sink.all())
                    .describedAs("the readings parsed from the 40 Kafka records")
                    .hint(
                            "every record of the topic, every field as datagen wrote it: parse with the READINGS schema as given")
                    .containExactly(expected);
        }

        private List<String> fields(StructField[] fields) {
            return Arrays.stream(fields)
                    .map(f -> f.name() + ": " + f.dataType().simpleString())
                    .collect(Collectors.toList());
        }
    }

    // ---- 3.2 -----------------------------------------------------------------------------------

    static final String[] HOT_COLUMNS = {
        "event_id", "device_id", "sensor_id", "temperature", "event_time", "site", "temp_fahrenheit"
    };

    @Nested
    @DisplayName("Exercise 3.2: Filter, select and derive")
    class FilterSelectAndDerive {

        private List<Row> run(List<Row> input) {
            MemoryInput<Row> readings = MemoryInput.ofRows(Stateless.READINGS);
            Dataset<Row> hot = Learner.call(() -> lab.hotReadings(readings.stream()), null);
            Check.columnsInAnyOrder(
                    hot,
                    "add site and temp_fahrenheit (withColumn), drop humidity, tags and"
                            + " location (drop), keep the rest; or select exactly these",
                    HOT_COLUMNS);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(hot, null);
            readings.addBatch(input);
            Streams.processAll(query, null);
            return sink.all();
        }

        @Test
        @Graded(exercise = "3.2", points = 2)
        void keepsOnlyReadingsHotterThanSeventyFive(SparkSession spark) {
            // A hot reading without sensor, humidity or tags: still a hot reading.
            Row hotButIncomplete = RowFactory.create(
                    "hot-incomplete",
                    "d1",
                    null,
                    91.0,
                    null,
                    RowFactory.create("plant-d1", 45.764, 4.8357),
                    null,
                    TEN_O_CLOCK);
            List<Row> emitted = run(List.of(
                    readingRow("no-temperature", "d1", null),
                    readingRow("at-20.0", "d1", 20.0),
                    readingRow("at-74.9", "d1", 74.9),
                    readingRow("at-75.0", "d1", 75.0),
                    readingRow("at-75.01", "d1", 75.01),
                    readingRow("at-90.0", "d1", 90.0),
                    hotButIncomplete));
            List<Row> kept = Check.project(emitted, "event_id", "temperature");
            boolean keptSeventyFive = kept.stream().anyMatch(r -> "at-75.0".equals(r.getString(0)));
            Check.rows(kept)
                    .describedAs("the readings kept")
                    .hint(
                            keptSeventyFive
                                    ? "a reading of exactly 75.0 is not hotter than 75: gt(75), not geq(75)"
                                    : "keep temperature > 75, strictly: col(\"temperature\").gt(75); a null temperature is not hot,"
                                            + " but a hot reading whose other fields are null is (filter on temperature only, no na().drop())")
                    .containExactly(row("at-75.01", 75.01), row("at-90.0", 90.0), row("hot-incomplete", 91.0));
        }

        @Test
        @Graded(exercise = "3.2", points = 2)
        void addsTheSiteAndTheTemperatureInFahrenheit(SparkSession spark) {
            List<Row> emitted = run(List.of(
                    readingRow("at-75.5", "d1", 75.5),
                    readingRow("at-80.0", "d2", 80.0),
                    readingRow("at-100.0", "d3", 100.0),
                    readingRow("at-150.0", "d4", 150.0)));
            List<Row> rows = Check.project(
                    emitted,
                    "event_id",
                    "device_id",
                    "sensor_id",
                    "site",
                    "temperature",
                    "temp_fahrenheit",
                    "event_time");
            boolean integerDivision = rows.stream()
                    .anyMatch(r -> r.get(5) instanceof Double
                            && r.get(4) instanceof Double
                            && r.getDouble(5) == r.getDouble(4) + 32);
            Check.rows(rows)
                    .describedAs("site and temp_fahrenheit")
                    .hint(
                            integerDivision
                                    ? "temp_fahrenheit is temperature + 32: in Java, 9 / 5 is the int 1 before Spark sees it."
                                            + " Write col(\"temperature\").multiply(9).divide(5).plus(32) (or multiply(1.8))"
                                    : "temp_fahrenheit = temperature * 9 / 5 + 32; site = col(\"location.site\")")
                    .containExactly(
                            row("at-75.5", "d1", "d1-s1", "plant-d1", 75.5, 167.9, "2024-05-01 10:00:00"),
                            row("at-80.0", "d2", "d2-s1", "plant-d2", 80.0, 176.0, "2024-05-01 10:00:00"),
                            row("at-100.0", "d3", "d3-s1", "plant-d3", 100.0, 212.0, "2024-05-01 10:00:00"),
                            row("at-150.0", "d4", "d4-s1", "plant-d4", 150.0, 302.0, "2024-05-01 10:00:00"));
        }
    }

    // ---- 3.3 and 3.4 ---------------------------------------------------------------------------

    /** Readings at every boundary of the severity rule, and one without a temperature. */
    static List<Row> severityBoundaries() {
        List<Row> rows = new ArrayList<>();
        rows.add(readingRow("no-temperature", "d1", null));
        for (double t : new double[] {-5.0, 79.9, 80.0, 80.1, 100.0, 100.1, 150.0}) {
            rows.add(readingRow("at-" + t, "d1", t));
        }
        return rows;
    }

    static final Object[][] EXPECTED_SEVERITIES = {
        row("no-temperature", null, null),
        row("at--5.0", -5.0, "Normal"),
        row("at-79.9", 79.9, "Normal"),
        row("at-80.0", 80.0, "Normal"),
        row("at-80.1", 80.1, "Warning"),
        row("at-100.0", 100.0, "Warning"),
        row("at-100.1", 100.1, "Critical"),
        row("at-150.0", 150.0, "Critical")
    };

    static String severityHint(List<Row> got) {
        Map<String, Object> byEvent = new HashMap<>();
        got.forEach(r -> byEvent.put(r.getString(0), r.get(2)));
        if ("Warning".equals(byEvent.get("at-80.0")) || "Critical".equals(byEvent.get("at-100.0"))) {
            return "80.0 is not above 80 and 100.0 is not above 100: compare with > (gt), not >= (geq)";
        }
        if (byEvent.get("no-temperature") != null) {
            return "a reading without a temperature has no severity: null, not \"" + byEvent.get("no-temperature")
                    + "\"" + " (with when(...), leave out otherwise(...), or let the last branch be temperature <= 80)";
        }
        return "Critical above 100, Warning above 80, Normal otherwise; null when the temperature is null";
    }

    @Nested
    @DisplayName("Exercise 3.3: A Java UDF")
    class AJavaUdf {

        @Test
        @Graded(exercise = "3.3", points = 2)
        void classifiesSeverityAtEveryBoundary(SparkSession spark) {
            MemoryInput<Row> readings = MemoryInput.ofRows(Stateless.READINGS);
            Dataset<Row> classified = Learner.call(() -> lab.withSeverityUdf(readings.stream()), null);
            List<Row> got = classify(
                    classified,
                    readings,
                    severityBoundaries(),
                    "a reading without a temperature reaches your UDF as a null Double: comparing it (t > 100) unboxes"
                            + " it and throws NullPointerException. Return null first when the temperature is null");
            Check.rows(got)
                    .describedAs("severity by temperature")
                    .hint(severityHint(got))
                    .containExactly(EXPECTED_SEVERITIES);
        }

        @Test
        @Graded(exercise = "3.3", points = 1)
        void computesTheSeverityInAJavaFunction(SparkSession spark) {
            MemoryInput<Row> readings = MemoryInput.ofRows(Stateless.READINGS);
            Dataset<Row> classified = Learner.call(() -> lab.withSeverityUdf(readings.stream()), null);
            List<String> opaque = opaqueSteps(classified);
            Check.that(
                    opaque.stream().anyMatch(step -> step.startsWith("UDF")),
                    "the plan of your Dataset has no user-defined function (steps found: " + opaque + ")",
                    "this exercise is the UDF: udf((UDF1<Double, String>) t -> ..., DataTypes.StringType).apply(col(\"temperature\"))."
                            + " The built-in way is exercise 3.4");
            List<Row> got = classify(
                    classified,
                    readings,
                    List.of(readingRow("at-90.0", "d1", 90.0), readingRow("at-110.0", "d1", 110.0)),
                    null);
            Check.rows(got)
                    .describedAs("severity by temperature")
                    .hint(severityHint(got))
                    .containExactly(row("at-90.0", 90.0, "Warning"), row("at-110.0", 110.0, "Critical"));
        }
    }

    @Nested
    @DisplayName("Exercise 3.4: Built-ins instead of a UDF")
    class BuiltInsInsteadOfAUdf {

        @Test
        @Graded(exercise = "3.4", points = 2)
        void classifiesSeverityExactlyAsTheUdfDoes(SparkSession spark) {
            MemoryInput<Row> readings = MemoryInput.ofRows(Stateless.READINGS);
            Dataset<Row> classified = Learner.call(() -> lab.withSeverity(readings.stream()), null);
            List<Row> got = classify(classified, readings, severityBoundaries(), null);
            Check.rows(got)
                    .describedAs("severity by temperature (the same table as 3.3)")
                    .hint(severityHint(got))
                    .containExactly(EXPECTED_SEVERITIES);
        }

        @Test
        @Graded(exercise = "3.4", points = 2)
        void leavesNoUserCodeInThePlan(SparkSession spark) {
            MemoryInput<Row> readings = MemoryInput.ofRows(Stateless.READINGS);
            Dataset<Row> classified = Learner.call(() -> lab.withSeverity(readings.stream()), null);
            List<String> opaque = opaqueSteps(classified);
            Check.that(
                    opaque.isEmpty(),
                    "the plan still holds code Spark cannot look into: " + opaque,
                    "use when(col(\"temperature\").gt(100), \"Critical\").when(...): Catalyst optimizes built-in"
                            + " expressions and compiles them into the generated code, while a UDF or a typed map is a"
                            + " black box that needs every row converted to Java objects");
            List<Row> got = classify(
                    classified,
                    readings,
                    List.of(readingRow("at-90.0", "d1", 90.0), readingRow("at-110.0", "d1", 110.0)),
                    null);
            Check.rows(got)
                    .describedAs("severity by temperature")
                    .hint(severityHint(got))
                    .containExactly(row("at-90.0", 90.0, "Warning"), row("at-110.0", 110.0, "Critical"));
        }
    }

    /** Runs a severity Dataset over {@code input}; rows of (event_id, temperature, severity). */
    static List<Row> classify(Dataset<Row> classified, MemoryInput<Row> readings, List<Row> input, String failureHint) {
        List<String> columns = new ArrayList<>(Arrays.asList(Stateless.READINGS.fieldNames()));
        columns.add("severity");
        Check.columnsInAnyOrder(
                classified, "keep every input column and add severity (withColumn)", columns.toArray(new String[0]));
        BatchCollector sink = BatchCollector.create();
        StreamingQuery query = sink.start(classified, null);
        readings.addBatch(input);
        Streams.processAll(query, failureHint);
        return Check.project(sink.all(), "event_id", "temperature", "severity");
    }

    // ---- 3.5 and 3.6 ---------------------------------------------------------------------------

    static SensorReading bean(String eventId, String deviceId, Double temperature, List<String> tags) {
        return new SensorReading(eventId, deviceId, deviceId + "-s1", temperature, tags, TEN_O_CLOCK);
    }

    @Nested
    @DisplayName("Exercise 3.5: Typed filter and map")
    class TypedFilterAndMap {

        private List<Row> run(List<SensorReading> input, String failureHint) {
            MemoryInput<SensorReading> readings = MemoryInput.ofBeans(SensorReading.class);
            Dataset<HotReading> hot = Learner.call(() -> lab.hotReadingsTyped(readings.stream()), null);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(hot, null);
            readings.addBatch(input);
            Streams.processAll(query, failureHint);
            return Check.project(sink.all(), "eventId", "deviceId", "temperature", "tempFahrenheit");
        }

        private String hotHint(List<Row> got) {
            if (got.stream().anyMatch(r -> "at-75.0".equals(r.getString(0)))) {
                return "75.0 is not hotter than 75: > 75, not >= 75";
            }
            if (got.stream().anyMatch(r -> r.getDouble(3) == r.getDouble(2) + 32)) {
                return "tempFahrenheit is temperature + 32: 9 / 5 in Java is the int 1. Write t * 9 / 5 + 32 with t a"
                        + " double (a double times 9 stays a double), or t * 1.8 + 32";
            }
            if (got.stream().anyMatch(r -> "no-temperature".equals(r.getString(0)))) {
                return "a reading without a temperature is not hot: leave it out";
            }
            return "keep temperature > 75; new HotReading(eventId, deviceId, t, t * 9 / 5 + 32)";
        }

        @Test
        @Graded(exercise = "3.5", points = 2)
        void keepsHotReadingsAsBeansWithFahrenheit(SparkSession spark) {
            List<Row> got = run(
                    List.of(
                            bean("at-74.9", "d1", 74.9, null),
                            bean("at-75.0", "d1", 75.0, null),
                            bean("at-75.5", "d2", 75.5, null),
                            bean("at-80.0", "d3", 80.0, null),
                            bean("at-150.0", "d4", 150.0, null)),
                    null);
            Check.rows(got)
                    .describedAs("the HotReadings")
                    .hint(hotHint(got))
                    .containExactly(
                            row("at-75.5", "d2", 75.5, 167.9),
                            row("at-80.0", "d3", 80.0, 176.0),
                            row("at-150.0", "d4", 150.0, 302.0));
            MemoryInput<SensorReading> plain = MemoryInput.ofBeans(SensorReading.class);
            List<String> steps = opaqueSteps(lab.hotReadingsTyped(plain.stream()));
            Check.that(
                    steps.contains("TypedFilter") && steps.contains("MapElements"),
                    "the right rows, but your plan has no typed filter and map (its typed steps: "
                            + (steps.isEmpty() ? "none" : String.join(", ", steps)) + ")",
                    "this exercise practises Java functions on beans: readings.filter((FilterFunction<SensorReading>) r -> ...)"
                            + ".map((MapFunction<SensorReading, HotReading>) r -> new HotReading(...), HotReading.encoder())");
        }

        @Test
        @Graded(exercise = "3.5", points = 1)
        void treatsAReadingWithoutTemperatureAsNotHot(SparkSession spark) {
            List<Row> got = run(
                    List.of(bean("no-temperature", "d1", null, null), bean("at-90.0", "d2", 90.0, null)),
                    "getTemperature() returns a Double, and null for a reading without one: r.getTemperature() > 75"
                            + " unboxes it and throws NullPointerException. Check for null first");
            Check.rows(got)
                    .describedAs("the HotReadings of a reading without temperature and one at 90.0")
                    .hint(hotHint(got))
                    .containExactly(row("at-90.0", "d2", 90.0, 194.0));
        }
    }

    @Nested
    @DisplayName("Exercise 3.6: Typed flatMap")
    class TypedFlatMap {

        @Test
        @Graded(exercise = "3.6", points = 2)
        void emitsOneRowPerTagWithTheReadingsIds(SparkSession spark) {
            MemoryInput<SensorReading> readings = MemoryInput.ofBeans(SensorReading.class);
            Dataset<ReadingTag> tags = Learner.call(() -> lab.tagsOf(readings.stream()), null);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(tags, null);
            // e-2 arrives twice: each copy gives its tags (removing copies is module 5's job).
            readings.addBatch(
                    bean("e-1", "d1", 20.0, List.of("indoor", "line-1")),
                    bean("e-2", "d2", 30.0, List.of("outdoor")),
                    bean("e-3", "d3", 40.0, List.of()),
                    bean("e-4", "d4", 50.0, null),
                    bean("e-2", "d2", 30.0, List.of("outdoor")));
            Streams.processAll(
                    query,
                    "one reading has tags == null: getTags() returns null, and calling"
                            + " .stream() or .iterator() on it throws NullPointerException. Treat null as no tags");
            Check.rows(Check.project(sink.all(), "eventId", "deviceId", "tag"))
                    .describedAs("the ReadingTags")
                    .hint("one ReadingTag(eventId, deviceId, tag) per tag; no tags, no rows. The function returns an"
                            + " Iterator: tags.stream().map(tag -> new ReadingTag(...)).iterator(). A reading that arrives"
                            + " twice gives its tags twice: no distinct() or dropDuplicates (that would keep state)")
                    .containExactly(
                            row("e-1", "d1", "indoor"),
                            row("e-1", "d1", "line-1"),
                            row("e-2", "d2", "outdoor"),
                            row("e-2", "d2", "outdoor"));
            List<String> steps = opaqueSteps(lab.tagsOf(MemoryInput.ofBeans(SensorReading.class).stream()));
            Check.that(
                    steps.contains("MapPartitions"),
                    "the right rows, but your plan has no flatMap (its typed steps: "
                            + (steps.isEmpty() ? "none" : String.join(", ", steps)) + ")",
                    "this exercise practises flatMap: readings.flatMap((FlatMapFunction<SensorReading, ReadingTag>) r -> ...,"
                            + " ReadingTag.encoder()); exercise 3.7 is the built-in way (explode)");
        }
    }

    // ---- 3.7 -----------------------------------------------------------------------------------

    static final String[] SENSOR_COLUMNS = {"report_id", "device_id", "site", "firmware", "sensor_id", "temperature"};

    static Row report(String reportId, String deviceId, String site, Map<String, String> labels, List<Row> readings) {
        return RowFactory.create(reportId, deviceId, RowFactory.create(site, 52.52, 13.405), labels, readings);
    }

    static Row sensor(String sensorId, double temperature) {
        return RowFactory.create(sensorId, temperature);
    }

    @Nested
    @DisplayName("Exercise 3.7: Explode arrays, structs and maps")
    class ExplodeArraysStructsAndMaps {

        private List<Row> run(Row... reports) {
            MemoryInput<Row> input = MemoryInput.ofRows(Stateless.DEVICE_REPORTS);
            Dataset<Row> sensors = Learner.call(() -> lab.sensorReadingsOf(input.stream()), null);
            Check.columnsInAnyOrder(
                    sensors,
                    "every exploded row keeps its report's keys: select report_id,"
                            + " device_id, location.site AS site and labels['firmware'] AS firmware beside"
                            + " explode_outer(readings), then reading.sensor_id and reading.temperature",
                    SENSOR_COLUMNS);
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(sensors, null);
            input.addBatch(reports);
            Streams.processAll(query, null);
            return Check.project(sink.all(), SENSOR_COLUMNS);
        }

        @Test
        @Graded(exercise = "3.7", points = 2)
        void emitsOneRowPerSensorWithItsReportsKeys(SparkSession spark) {
            Map<String, String> labels = new HashMap<>(Map.of("firmware", "2.1.0", "owner", "maintenance"));
            List<Row> got = run(
                    report("r-1", "d1", "plant-berlin", labels, List.of(sensor("d1-s1", 20.5), sensor("d1-s2", 21.0))),
                    report(
                            "r-2",
                            "d2",
                            "plant-lyon",
                            new HashMap<>(Map.of("firmware", "1.9.4")),
                            List.of(sensor("d2-s1", 30.0))));
            Check.rows(got)
                    .describedAs("one row per sensor reading")
                    .hint(
                            "explode turns each array element into a row; the columns selected beside it are copied onto"
                                    + " every such row. Struct fields: col(\"location.site\"); map values: col(\"labels\").getItem(\"firmware\")")
                    .containExactly(
                            row("r-1", "d1", "plant-berlin", "2.1.0", "d1-s1", 20.5),
                            row("r-1", "d1", "plant-berlin", "2.1.0", "d1-s2", 21.0),
                            row("r-2", "d2", "plant-lyon", "1.9.4", "d2-s1", 30.0));
        }

        @Test
        @Graded(exercise = "3.7", points = 1)
        void keepsAReportWithoutReadingsAsOneRow(SparkSession spark) {
            List<Row> got = run(
                    report("r-3", "d3", "lab-oslo", new HashMap<>(Map.of("owner", "lab")), List.of()),
                    report("r-4", "d4", "port-rotterdam", null, null));
            Check.rows(got)
                    .describedAs("reports with an empty and a null readings array")
                    .hint("explode drops a row whose array is empty or null; explode_outer keeps it once, with nulls."
                            + " A missing map key gives null")
                    .containExactly(
                            row("r-3", "d3", "lab-oslo", null, null, null),
                            row("r-4", "d4", "port-rotterdam", null, null, null));
        }
    }

    // ---- 3.8 -----------------------------------------------------------------------------------

    static final String[] QUARANTINE_COLUMNS = {"raw", "reason"};

    /** Both outputs of 3.8, each started with its own sink. */
    private static final class Routed {
        final BatchCollector valid = BatchCollector.create();
        final BatchCollector quarantine = BatchCollector.create();
        final StreamingQuery validQuery;
        final StreamingQuery quarantineQuery;

        Routed(RoutedRecords routed) {
            Check.columnsInAnyOrder(
                    routed.valid(),
                    "the valid readings have the columns of READINGS," + " as in 3.1",
                    Stateless.READINGS.fieldNames());
            Check.columnsInAnyOrder(
                    routed.quarantine(),
                    "the quarantine keeps the value as text (raw)" + " and why it was set aside (reason)",
                    QUARANTINE_COLUMNS);
            validQuery = valid.start(routed.valid(), null);
            quarantineQuery = quarantine.start(routed.quarantine(), null);
        }

        void processAll() {
            Streams.processAll(validQuery, null);
            Streams.processAll(quarantineQuery, null);
        }
    }

    static RoutedRecords route(Stateless lab, Dataset<Row> records) {
        RoutedRecords routed = Learner.call(() -> lab.parseWithQuarantine(records), null);
        Check.that(
                routed.valid() != null && routed.quarantine() != null,
                "an output is null",
                "new RoutedRecords(valid, quarantine)");
        return routed;
    }

    static final String QUARANTINE_HINT = "On Spark 3, from_json gives a struct of nulls for broken JSON and a struct"
            + " with that field null for a wrong type, never a null struct. Add a string field \"_corrupt_record\" to"
            + " the schema: Spark puts the text of a record it could not read there. Broken JSON: json_object_keys(raw)"
            + " is null (not a JSON object); wrong type: _corrupt_record is set; empty: the value is null or blank";

    static final String PRUNING_HINT = "no wrongly typed record (\"temperature\":\"21.5 C\") was set aside. Spark"
            + " writes a record it could not read into a string field named \"_corrupt_record\" of the schema. If you"
            + " have one: without options, the optimizer cuts from_json's schema down to the fields each expression"
            + " reads, so parsed._corrupt_record is parsed against nothing else and a wrong type goes unnoticed. Pass the"
            + " options explicitly: from_json(raw, schema, Map.of(\"mode\", \"PERMISSIVE\", \"columnNameOfCorruptRecord\","
            + " CORRUPT_RECORD))";

    /** The hint for what a quarantine got wrong, most telling first. */
    static String quarantineHint(List<Row> quarantine) {
        List<Object> reasons = quarantine.stream().map(r -> r.get(1)).collect(Collectors.toList());
        boolean broken = reasons.contains(Stateless.BROKEN_JSON);
        boolean wrongType = reasons.contains(Stateless.WRONG_TYPE);
        if (quarantine.isEmpty()) {
            return "nothing was set aside: a bad record must go to the quarantine with its reason, not be dropped. "
                    + QUARANTINE_HINT;
        }
        if (!broken && !wrongType) {
            return "neither broken nor wrongly typed records were set aside. " + QUARANTINE_HINT;
        }
        if (!wrongType) {
            return PRUNING_HINT;
        }
        if (!broken) {
            return "no broken record was set aside. " + QUARANTINE_HINT;
        }
        if (quarantine.stream().noneMatch(r -> r.get(0) == null && Stateless.EMPTY.equals(r.get(1)))) {
            return "a Kafka record can have a null value (a tombstone) or a blank one: its reason is \"empty\"";
        }
        return QUARANTINE_HINT;
    }

    @Nested
    @DisplayName("Exercise 3.8: Keep bad records aside")
    class KeepBadRecordsAside {

        @Test
        @Graded(exercise = "3.8", points = 3)
        void routesEveryDatagenRecordToExactlyOneOutput(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Stateless.KAFKA_RECORDS);
            RoutedRecords routed = route(lab, input.stream());
            Routed outputs = new Routed(routed);

            Datagen iot = Datagen.iot().events(200).seed(17).malformed(0.15);
            List<GeneratedRecord> records = iot.records();
            input.addBatch(records.stream().map(ExpectedReadings::kafkaRecord).collect(Collectors.toList()));
            outputs.processAll();

            List<Row> valid = outputs.valid.all();
            List<Row> quarantined = outputs.quarantine.all();
            Check.equal(
                    records.size(),
                    valid.size() + quarantined.size(),
                    "valid + quarantined records (" + valid.size() + " + " + quarantined.size()
                            + ") against the records sent",
                    "every record goes to exactly one output, none dropped, none"
                            + " twice: the quarantine is where(reason is not null), the valid ones where(reason is null)");
            List<Object[]> expectedQuarantine = new ArrayList<>();
            List<Object[]> expectedValid = new ArrayList<>();
            for (GeneratedRecord record : records) {
                if (record.flaw() == Flaw.BROKEN_JSON) {
                    expectedQuarantine.add(row(record.json(), Stateless.BROKEN_JSON));
                } else if (record.flaw() == Flaw.WRONG_TYPE) {
                    expectedQuarantine.add(row(record.json(), Stateless.WRONG_TYPE));
                } else {
                    expectedValid.add(ExpectedReadings.reading(record));
                }
            }
            long broken =
                    records.stream().filter(r -> r.flaw() == Flaw.BROKEN_JSON).count();
            List<Row> quarantine = Check.project(quarantined, QUARANTINE_COLUMNS);
            Check.rows(quarantine)
                    .describedAs("the quarantine (raw, reason) of " + broken + " broken and "
                            + (expectedQuarantine.size() - broken) + " wrongly typed records")
                    .hint(quarantineHint(quarantine))
                    .containExactly(expectedQuarantine);
            Check.rows(Check.project(valid, Stateless.READINGS.fieldNames()))
                    .describedAs("the valid readings")
                    .hint("the readings as in 3.1, without the corrupt-record field")
                    .containExactly(expectedValid);
        }

        @Test
        @Graded(exercise = "3.8", points = 2)
        void setsAsideEmptyAndOddRecordsAndKeepsRunning(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Stateless.KAFKA_RECORDS);
            RoutedRecords routed = route(lab, input.stream());
            Routed outputs = new Routed(routed);

            String good = readingJson("e-1", "d1", 21.5, "indoor");
            String wrongNestedType = readingJson("e-2", "d1", 21.5).replace("\"lat\":45.764", "\"lat\":\"north\"");
            String wrongTime = readingJson("e-3", "d1", 21.5).replace("2024-05-01T10:00:00.000Z", "yesterday");
            input.addBatch(
                    kafkaRecord("d1", good, 0),
                    kafkaRecord("d1", null, 1),
                    kafkaRecord("d1", "   ", 2),
                    kafkaRecord("d1", "[1,2]", 3),
                    kafkaRecord("d1", "temperature=21.5", 4),
                    kafkaRecord("d1", wrongNestedType, 5),
                    kafkaRecord("d1", wrongTime, 6));
            outputs.processAll();
            List<Row> firstQuarantine = Check.project(outputs.quarantine.takeNew(), QUARANTINE_COLUMNS);
            Check.rows(firstQuarantine)
                    .describedAs("the quarantine after the first micro-batch")
                    .hint(quarantineHint(firstQuarantine))
                    .containExactly(
                            row(null, Stateless.EMPTY),
                            row("   ", Stateless.EMPTY),
                            row("[1,2]", Stateless.BROKEN_JSON),
                            row("temperature=21.5", Stateless.BROKEN_JSON),
                            row(wrongNestedType, Stateless.WRONG_TYPE),
                            row(wrongTime, Stateless.WRONG_TYPE));
            Check.rows(Check.project(outputs.valid.takeNew(), "event_id", "temperature"))
                    .describedAs("the valid readings after the first micro-batch")
                    .hint(QUARANTINE_HINT)
                    .containExactly(row("e-1", 21.5));

            // A readable object with fields missing, and a time with a fraction and an offset: both valid.
            String fieldsMissing = "{\"device_id\":\"d2\",\"temperature\":31.0}";
            String offsetTime =
                    readingJson("e-6", "d2", 21.5).replace("2024-05-01T10:00:00.000Z", "2024-05-01T12:00:00.250+02:00");
            input.addBatch(
                    kafkaRecord("d2", readingJson("e-4", "d2", 30.0), 7),
                    kafkaRecord("d2", "{\"event_id\":\"e-5\",", 8),
                    kafkaRecord("d2", fieldsMissing, 9),
                    kafkaRecord("d2", offsetTime, 10));
            outputs.processAll();
            Check.that(
                    outputs.validQuery.isActive() && outputs.quarantineQuery.isActive(),
                    "a query stopped after the bad records",
                    "bad records must not fail the query");
            Check.rows(Check.project(outputs.valid.takeNew(), "event_id", "temperature", "event_time"))
                    .describedAs("the valid readings of the second micro-batch")
                    .hint(
                            "a JSON object with fields missing is readable: the missing fields are null, and it is valid, not"
                                    + " broken_json (test json_object_keys(raw), not whether a field is null); an ISO 8601 time with a"
                                    + " fraction and an offset (12:00:00.250+02:00) is a valid timestamp: set no timestampFormat")
                    .containExactly(
                            row("e-4", 30.0, "2024-05-01 10:00:00"),
                            row(null, 31.0, null),
                            row("e-6", 21.5, "2024-05-01 10:00:00.250"));
            Check.rows(Check.project(outputs.quarantine.takeNew(), QUARANTINE_COLUMNS))
                    .describedAs("the quarantine of the second micro-batch")
                    .hint(QUARANTINE_HINT)
                    .containExactly(row("{\"event_id\":\"e-5\",", Stateless.BROKEN_JSON));
        }
    }

    // ---- 3.9 -----------------------------------------------------------------------------------

    static final String[] ALERT_COLUMNS = {
        "event_id", "device_id", "site", "temperature", "temp_fahrenheit", "severity", "tag", "event_time"
    };

    static Dataset<Row> pipeline(Stateless lab, Dataset<Row> records) {
        Dataset<Row> alerts = Learner.call(() -> lab.alertPipeline(records), null);
        Check.columnsInAnyOrder(
                alerts,
                "event_id, device_id, site, temperature, temp_fahrenheit, severity, tag"
                        + " and event_time: one row per tag (explode_outer(col(\"tags\")).as(\"tag\"))",
                ALERT_COLUMNS);
        return alerts;
    }

    @Nested
    @DisplayName("Exercise 3.9: One stateless pipeline")
    class OneStatelessPipeline {

        @Test
        @Graded(exercise = "3.9", points = 3)
        void turnsKafkaRecordsIntoOneAlertPerTag(SparkSession spark) {
            KafkaBroker kafka = KafkaBroker.shared();
            String topic = uniqueTopic("pipeline");
            Dataset<Row> alerts = pipeline(lab, kafkaStream(spark, kafka, topic));

            // Duplicates too: a stateless pipeline passes each copy on (removing them is module 5's job).
            Datagen iot = Datagen.iot().events(300).seed(23).malformed(0.1).duplicates(0.05, Duration.ofSeconds(5));
            Manifest sent = iot.toKafka(kafka.clientProperties(), topic).manifest();
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(
                    alerts,
                    "a stateless pipeline needs no aggregation and no"
                            + " output mode: filter, select, withColumn and explode only");
            Streams.processAll(query, "malformed records must not fail the pipeline: start from 3.8's valid output");

            List<Object[]> expected = new ArrayList<>();
            iot.records().stream()
                    .filter(r -> !r.flaw().isMalformed())
                    .forEach(r -> expected.addAll(ExpectedReadings.alerts(r)));
            Check.rows(Check.project(sink.all(), ALERT_COLUMNS))
                    .describedAs("the alerts from " + sent.records() + " Kafka records (" + sent.malformed()
                            + " malformed, " + sent.duplicates() + " sent twice)")
                    .hint(
                            "readings hotter than 75 (strictly), site from location.site, temp_fahrenheit = temperature * 9 / 5 + 32,"
                                    + " severity as in 3.4, one row per tag; a record sent twice gives its alerts twice")
                    .containExactly(expected);
        }

        @Test
        @Graded(exercise = "3.9", points = 2)
        void keepsNoStateBetweenMicroBatches(SparkSession spark) {
            MemoryInput<Row> input = MemoryInput.ofRows(Stateless.KAFKA_RECORDS);
            Dataset<Row> alerts = pipeline(lab, input.stream());
            BatchCollector sink = BatchCollector.create();
            StreamingQuery query = sink.start(
                    alerts,
                    "a stateless pipeline has no aggregation: Spark"
                            + " refuses to append an aggregation without a watermark");

            String hot = readingJson("e-1", "d1", 95.0, "indoor");
            input.addBatch(
                    kafkaRecord("d1", hot, 0),
                    kafkaRecord("d1", hot, 1),
                    kafkaRecord("d2", readingJson("e-2", "d2", 20.0, "indoor"), 2));
            Streams.processAll(query, null);
            input.addBatch(
                    kafkaRecord("d1", hot, 3),
                    kafkaRecord("d3", readingJson("e-3", "d3", 101.0), 4),
                    kafkaRecord("d4", readingJson("e-4", "d4", 75.0, "outdoor"), 5),
                    kafkaRecord("d5", readingJson("e-5", "d5", 80.0, "outdoor"), 6));
            Streams.processAll(query, null);

            String stateHint = "a stateless pipeline treats every record on its own: no dropDuplicates, no groupBy, no"
                    + " join with another stream. Each of those keeps state in the checkpoint (module 5)";
            List<String> stateful = Arrays.stream(query.recentProgress())
                    .flatMap(progress -> Arrays.stream(progress.stateOperators()))
                    .map(operator -> operator.operatorName())
                    .distinct()
                    .collect(Collectors.toList());
            Check.that(stateful.isEmpty(), "the query's progress reports state operators: " + stateful, stateHint);
            long read = Arrays.stream(query.recentProgress())
                    .mapToLong(StreamingQueryProgress::numInputRows)
                    .sum();
            Check.equal(7L, read, "the records the query's progress says it read", null);
            List<Row> got = Check.project(sink.all(), "event_id", "temperature", "severity", "tag");
            long copiesOfE1 = got.stream().filter(r -> "e-1".equals(r.get(0))).count();
            String hint = copiesOfE1 < 3
                    ? stateHint + "; a record sent three times gives three alerts"
                    : got.stream().noneMatch(r -> "e-3".equals(r.get(0)))
                            ? "a reading without tags keeps one row, with" + " a null tag: explode_outer, not explode"
                            : got.stream().anyMatch(r -> "e-4".equals(r.get(0)))
                                    ? "75.0 is not hotter than 75: gt(75), not geq(75)"
                                    : "hotter than 75, severity as in 3.4 (80.0 is Normal), one row per tag";
            Check.rows(got)
                    .describedAs("the alerts of two micro-batches, the same reading three times among them")
                    .hint(hint)
                    .containExactly(
                            row("e-1", 95.0, "Warning", "indoor"),
                            row("e-1", 95.0, "Warning", "indoor"),
                            row("e-1", 95.0, "Warning", "indoor"),
                            row("e-3", 101.0, "Critical", null),
                            row("e-5", 80.0, "Normal", "outdoor"));
        }
    }
}
