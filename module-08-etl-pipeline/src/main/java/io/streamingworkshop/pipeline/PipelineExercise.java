package io.streamingworkshop.pipeline;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

import io.streamingworkshop.testkit.Todo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Your work for module 8. Each method is one exercise of module-08-etl-pipeline/README.md; replace its
 * {@code throw Todo.exercise(...)} with your code, then run {@code ./mvnw test -pl module-08-etl-pipeline}.
 */
public class PipelineExercise implements Pipeline {

    /** The click fields of {@link #SILVER}, typed: datagen's click schema. */
    static final StructType CLICK = new StructType(Arrays.copyOf(SILVER.fields(), SILVER.fields().length - 1));

    /** Options for from_json that keep a line that does not fit and put its text in a column of its own. */
    static final Map<String, String> PERMISSIVE =
            Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", "_corrupt_record");

    @Override
    public Dataset<Row> bronzeFromFiles(SparkSession spark, String inputDir) {
        // TODO 8.1: read inputDir with the text source (one row per line) and select the BRONZE columns:
        //           the line, its file (_metadata.file_path), three typed nulls, current_timestamp().
        throw Todo.exercise("8.1", "Bronze from files");
    }

    @Override
    public Dataset<Row> bronzeFromKafka(Dataset<Row> kafkaRecords) {
        // TODO 8.2: the BRONZE columns from a Kafka stream: value as a string, topic, partition, offset.
        throw Todo.exercise("8.2", "Bronze from Kafka");
    }

    @Override
    public Dataset<Row> parse(Dataset<Row> bronze) {
        // TODO 8.3: from_json twice (every field a string; then CLICK's real types), each schema with a
        //           _corrupt_record string column and the PERMISSIVE options; a reason column from the two;
        //           select the bronze columns, the CLICK fields and reason.
        throw Todo.exercise("8.3", "Parse, with a reason for every bad line");
    }

    @Override
    public Dataset<Row> quarantine(Dataset<Row> parsed) {
        // TODO 8.4: the rows with a reason, with the QUARANTINE columns.
        throw Todo.exercise("8.4", "Quarantine");
    }

    @Override
    public Dataset<Row> silver(Dataset<Row> parsed, Dataset<Row> users) {
        // TODO 8.5: the rows without a reason, the CLICK columns; a watermark of WATERMARK_DELAY on event_time,
        //           each event_id once; the user's segment from users (keep every click), in SILVER's order.
        throw Todo.exercise("8.5", "Silver: deduplicated and enriched");
    }

    @Override
    public Dataset<Row> gold(Dataset<Row> silver, String windowDuration) {
        // TODO 8.6: a watermark, then per window(event_time, windowDuration), page_category, user_segment:
        //           events, page_views, unique_users, avg_time_on_page, with the GOLD columns.
        throw Todo.exercise("8.6", "Gold: windowed metrics");
    }

    @Override
    public RunningPipeline start(SparkSession spark, PipelineConfig config) throws Exception {
        // TODO 8.7: create bronze and silver if missing (createIfMissing); bronze from config.input();
        //           silver and quarantine each from their own Delta stream of bronze; one gold query per
        //           GOLD_WINDOWS from a Delta stream of silver; start each with toDelta; return them by name.
        throw Todo.exercise("8.7", "The pipeline, end to end");
    }

    /** Starts {@code rows} into the Delta table {@code name}, with its checkpoint, named {@code name}. */
    static StreamingQuery toDelta(Dataset<Row> rows, String name, PipelineConfig config) throws Exception {
        return rows.writeStream()
                .format("delta")
                .outputMode("append")
                .queryName(name)
                .option("checkpointLocation", config.checkpoint(name))
                .trigger(config.trigger())
                .start(config.table(name));
    }

    /** Creates an empty Delta table at {@code path} unless one is there. */
    static void createIfMissing(SparkSession spark, String path, StructType schema) {
        spark.createDataFrame(List.<Row>of(), schema)
                .write()
                .format("delta")
                .mode("ignore")
                .save(path);
    }

    /** The columns of {@code schema}, by name, in its order: for select(...). */
    static Column[] columns(StructType schema) {
        return Arrays.stream(schema.fieldNames()).map(name -> col(name)).toArray(Column[]::new);
    }
}
