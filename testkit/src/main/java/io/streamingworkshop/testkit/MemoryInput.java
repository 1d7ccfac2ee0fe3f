package io.streamingworkshop.testkit;

import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
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

    private MemoryInput(Encoder<T> encoder) {
        this.stream = MemoryStream.apply(encoder, WorkshopSpark.session().sqlContext());
    }

    /** A stream of rows with exactly this schema. */
    public static MemoryInput<Row> ofRows(StructType schema) {
        return new MemoryInput<>(Encoders.row(schema));
    }

    /** A stream of JavaBeans (not records: a record gives an empty bean schema). */
    public static <B> MemoryInput<B> ofBeans(Class<B> beanClass) {
        return new MemoryInput<>(Encoders.bean(beanClass));
    }

    public static <X> MemoryInput<X> of(Encoder<X> encoder) {
        return new MemoryInput<>(encoder);
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
        stream.addData(JavaConverters.asScalaBuffer(items).toSeq());
        return this;
    }
}
