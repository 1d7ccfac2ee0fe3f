package io.streamingworkshop.testkit;

import static io.streamingworkshop.testkit.Check.row;
import static io.streamingworkshop.testkit.Times.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingworkshop.testkit.sample.GreeterExercise;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@WorkshopTest
class StreamsTest {

    private static final StructType EVENTS =
            new StructType().add("device", DataTypes.StringType).add("time", DataTypes.TimestampType);

    @Test
    void eachAddedBatchIsOneMicroBatchAndTheCollectorSeesWhatEachEmitted(SparkSession spark) throws Exception {
        MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
        BatchCollector sink = BatchCollector.create();
        StreamingQuery query = input.stream()
                .groupBy("device")
                .count()
                .writeStream()
                .outputMode(OutputMode.Update())
                .foreachBatch(sink)
                .start();

        input.addBatch(
                RowFactory.create("d1", ts("2024-05-01 10:00:00")), RowFactory.create("d2", ts("2024-05-01 10:00:01")));
        Streams.processAll(query);
        Check.rows(sink.takeNew()).containExactly(row("d1", 1), row("d2", 1));

        input.addBatch(RowFactory.create("d1", ts("2024-05-01 10:00:02")));
        Streams.processAll(query);
        Check.rows(sink.takeNew()).containExactly(row("d1", 2));
        assertThat(sink.batchCount()).isEqualTo(2);
        assertThat(QuerySettings.outputModeOf(query)).isEqualTo(OutputMode.Update());
        assertThat(QuerySettings.triggerOf(query)).isEqualTo(Trigger.ProcessingTime(0));
    }

    @Test
    void processAllIncludesTheNoDataBatchThatClosesAWatermarkedWindow() throws Exception {
        MemoryInput<Row> input = MemoryInput.ofRows(EVENTS);
        BatchCollector sink = BatchCollector.create();
        StreamingQuery query = input.stream()
                .withWatermark("time", "5 minutes")
                .groupBy(window(col("time"), "5 minutes"), col("device"))
                .agg(count("*").as("n"))
                .writeStream()
                .outputMode(OutputMode.Append())
                .foreachBatch(sink)
                .start();

        input.addBatch(RowFactory.create("d1", ts("2024-05-01 10:01:00")));
        Streams.processAll(query);
        Check.rows(sink.takeNew()).isEmpty();

        // Event time 10:20 moves the watermark to 10:15, past the end of [10:00, 10:05): the
        // window is emitted by the extra no-data batch, before processAll returns.
        input.addBatch(RowFactory.create("d1", ts("2024-05-01 10:20:00")));
        Streams.processAll(query);
        Check.rows(sink.takeNew()).containExactly(row(row("2024-05-01 10:00:00", "2024-05-01 10:05:00"), "d1", 1));
    }

    @Test
    void rowsMayCarryJavaListsAndMapsEvenInNestedRows() throws Exception {
        StructType schema = new StructType()
                .add("id", DataTypes.StringType)
                .add("tags", DataTypes.createArrayType(DataTypes.StringType))
                .add("labels", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
                .add("inner", new StructType().add("values", DataTypes.createArrayType(DataTypes.IntegerType)));
        MemoryInput<Row> input = MemoryInput.ofRows(schema);
        BatchCollector sink = BatchCollector.create();
        StreamingQuery query = input.stream().writeStream().foreachBatch(sink).start();
        input.addBatch(RowFactory.create("a", List.of("x", "y"), Map.of("k", "v"), RowFactory.create(List.of(1, 2))));
        Streams.processAll(query);
        Check.rows(sink.takeNew()).containExactly(row("a", List.of("x", "y"), Map.of("k", "v"), row(List.of(1, 2))));
    }

    @Test
    void aNullPointerInATaskKeepsTheMessageJavaGaveIt() throws Exception {
        MemoryInput<String> input = MemoryInput.of(Encoders.STRING());
        StreamingQuery failing = input.stream()
                .map((MapFunction<String, Integer>) text -> ((String) null).length(), Encoders.INT())
                .writeStream()
                .format("memory")
                .queryName("npe")
                .start();
        input.addBatch("x");
        assertThatThrownBy(() -> Streams.processAll(failing))
                .hasMessageStartingWith(
                        "the streaming query 'npe' failed: NullPointerException: Cannot invoke \"String.length()\"");
    }

    @Test
    void aFailingQueryReportsItsRootCauseAndAnUnfinishedExerciseItsOwnMessage() throws Exception {
        MemoryInput<String> input = MemoryInput.of(Encoders.STRING());
        StreamingQuery failing = input.stream()
                .map((MapFunction<String, Integer>) Integer::parseInt, Encoders.INT())
                .writeStream()
                .format("memory")
                .queryName("failing")
                .start();
        input.addBatch("not a number");
        assertThatThrownBy(() -> Streams.processAll(failing))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith(
                        "the streaming query 'failing' failed: NumberFormatException: For input string: \"not a number\"");

        MemoryInput<String> names = MemoryInput.of(Encoders.STRING());
        StreamingQuery unfinished = names.stream()
                .map((MapFunction<String, String>) name -> new GreeterExercise().greet(name), Encoders.STRING())
                .writeStream()
                .format("memory")
                .queryName("unfinished")
                .start();
        names.addBatch("Ada");
        assertThatThrownBy(() -> Streams.processAll(unfinished))
                .isInstanceOf(ExerciseNotDoneException.class)
                .hasMessageStartingWith("Exercise 0.1 (Say hello) is not done yet");
    }
}
