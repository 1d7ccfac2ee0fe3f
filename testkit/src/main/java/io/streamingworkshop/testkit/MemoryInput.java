package io.streamingworkshop.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * A stream whose micro-batches the test decides: each {@link #addBatch} call becomes exactly one
 * micro-batch once the query processes it (call {@link Streams#processAll} between batches).
 * That is what makes watermark behaviour testable. A thin Java face on Spark's
 * {@code MemoryStream}, which is awkward to use from Java.
 *
 * <pre>{@code
 * MemoryInput<Row> input = MemoryInput.ofRows(schema);
 * StreamingQuery query = lab.countPerDevice(input.stream()).writeStream()...start();
 * input.addBatch(RowFactory.create("d1", ts("10:00"), 20.0));
 * Streams.processAll(query);
 * }</pre>
 */
public final class MemoryInput<T> {

    private final MemoryStream<T> stream;
    private final UnaryOperator<T> toSpark;

    private MemoryInput(Encoder<T> encoder, UnaryOperator<T> toSpark) {
        this.stream = MemoryStream.apply(encoder, WorkshopSpark.session().sqlContext());
        this.toSpark = toSpark;
    }

    /**
     * A stream of rows with exactly this schema. Array and map columns may be given as Java
     * {@code List}s and {@code Map}s (also inside nested rows): Spark's row encoder wants Scala
     * collections, and they are converted on the way in.
     */
    public static MemoryInput<Row> ofRows(StructType schema) {
        return new MemoryInput<>(Encoders.row(schema), MemoryInput::scalaCollections);
    }

    /** A stream of JavaBeans (not records: a record gives an empty bean schema). */
    public static <B> MemoryInput<B> ofBeans(Class<B> beanClass) {
        return new MemoryInput<>(Encoders.bean(beanClass), UnaryOperator.identity());
    }

    public static <X> MemoryInput<X> of(Encoder<X> encoder) {
        return new MemoryInput<>(encoder, UnaryOperator.identity());
    }

    /** The streaming Dataset to hand to an exercise. */
    public Dataset<T> stream() {
        return stream.toDS();
    }

    @SafeVarargs
    public final MemoryInput<T> addBatch(T... items) {
        return addBatch(Arrays.asList(items));
    }

    public MemoryInput<T> addBatch(List<T> items) {
        List<T> converted = new ArrayList<>(items.size());
        for (T item : items) {
            converted.add(toSpark.apply(item));
        }
        stream.addData(JavaConverters.asScalaBuffer(converted).toSeq());
        return this;
    }

    private static Row scalaCollections(Row row) {
        if (row == null) {
            return null;
        }
        Object[] values = new Object[row.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scalaValue(row.get(i));
        }
        return RowFactory.create(values);
    }

    private static Object scalaValue(Object value) {
        if (value instanceof Row) {
            return scalaCollections((Row) value);
        }
        if (value instanceof List) {
            List<Object> converted = new ArrayList<>();
            for (Object element : (List<?>) value) {
                converted.add(scalaValue(element));
            }
            return JavaConverters.asScalaBuffer(converted).toSeq();
        }
        if (value instanceof Map) {
            Map<Object, Object> converted = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> converted.put(scalaValue(k), scalaValue(v)));
            return JavaConverters.mapAsScalaMap(converted);
        }
        return value;
    }
}
