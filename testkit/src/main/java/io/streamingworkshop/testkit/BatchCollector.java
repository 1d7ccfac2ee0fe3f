package io.streamingworkshop.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.StructType;

/**
 * A sink for tests that records what every micro-batch emitted, by batch id:
 *
 * <pre>{@code
 * BatchCollector sink = BatchCollector.create();
 * StreamingQuery query = sink.start(result.writeStream(), "hint if Spark refuses to start it");
 * input.addBatch(...);
 * Streams.processAll(query);
 * List<Row> emitted = sink.takeNew();   // everything emitted since the last takeNew()
 * }</pre>
 *
 * A batch that is re-run after a failure replaces its earlier record, as an idempotent sink would.
 * The rows live in a static registry keyed by an id, so the function itself stays a small
 * serializable value.
 */
public final class BatchCollector implements VoidFunction2<Dataset<Row>, Long> {

    private static final long serialVersionUID = 1L;
    private static final Map<String, NavigableMap<Long, List<Row>>> BATCHES = new ConcurrentHashMap<>();
    private static final Map<String, Long> TAKEN_UP_TO = new ConcurrentHashMap<>();
    private static final Map<String, StructType> SCHEMAS = new ConcurrentHashMap<>();

    private final String id;

    private BatchCollector(String id) {
        this.id = id;
    }

    public static BatchCollector create() {
        String id = UUID.randomUUID().toString();
        BATCHES.put(id, new ConcurrentSkipListMap<>());
        return new BatchCollector(id);
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        SCHEMAS.put(id, batch.schema());
        BATCHES.get(id).put(batchId, Collections.unmodifiableList(new ArrayList<>(batch.collectAsList())));
    }

    /** The schema of the batches (the query's output columns); fails if no batch has run yet. */
    public StructType schema() {
        StructType schema = SCHEMAS.get(id);
        if (schema == null) {
            throw new IllegalStateException("No micro-batch has reached this sink yet");
        }
        return schema;
    }

    /**
     * Starts {@code writer} into this collector; Spark's refusal to start becomes a failure with
     * the exercise, Spark's reason and {@code hint}.
     */
    public StreamingQuery start(DataStreamWriter<Row> writer, String hint) {
        return Learner.start(() -> writer.foreachBatch(this).start(), hint);
    }

    /** Starts {@code result} into this collector, like {@link #start(DataStreamWriter, String)}. */
    public StreamingQuery start(Dataset<?> result, String hint) {
        Check.that(result != null, "the method returned null", "return the Dataset you built");
        return start(result.toDF().writeStream(), hint);
    }

    /** Every batch seen so far, including empty ones, by batch id. */
    public NavigableMap<Long, List<Row>> batches() {
        return Collections.unmodifiableNavigableMap(BATCHES.get(id));
    }

    /** The rows of one batch (empty if that batch emitted nothing or never ran). */
    public List<Row> batch(long batchId) {
        return BATCHES.get(id).getOrDefault(batchId, List.of());
    }

    /** Every row emitted so far, in batch order. */
    public List<Row> all() {
        List<Row> rows = new ArrayList<>();
        BATCHES.get(id).values().forEach(rows::addAll);
        return rows;
    }

    /** The rows emitted by batches that ran since the previous call (all batches on the first call). */
    public List<Row> takeNew() {
        long from = TAKEN_UP_TO.getOrDefault(id, -1L);
        NavigableMap<Long, List<Row>> newer = BATCHES.get(id).tailMap(from, false);
        List<Row> rows = new ArrayList<>();
        newer.values().forEach(rows::addAll);
        if (!newer.isEmpty()) {
            TAKEN_UP_TO.put(id, newer.lastKey());
        }
        return rows;
    }

    /** How many micro-batches (with or without rows) reached the sink. */
    public int batchCount() {
        return BATCHES.get(id).size();
    }
}
