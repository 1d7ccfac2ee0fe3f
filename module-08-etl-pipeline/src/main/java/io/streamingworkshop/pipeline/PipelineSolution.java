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

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The reference solution of module 8. Compare it with your {@link PipelineExercise}. */
public class PipelineSolution implements Pipeline {

    /** The click fields of {@link #SILVER}, typed: datagen's click schema. */
    static final StructType CLICK = new StructType(Arrays.copyOf(SILVER.fields(), SILVER.fields().length - 1));

    private static final String CORRUPT = "_corrupt_record";

    /** Parse options: keep a line that does not fit, and say so in a column of its own. */
    private static final Map<String, String> PERMISSIVE =
            Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);

    @Override
    public Dataset<Row> bronzeFromFiles(SparkSession spark, String inputDir) {
        // The text source: one row per line, whatever the line holds, so nothing is lost before silver.
        return spark.readStream()
                .text(inputDir)
                .select(
                        col("value"),
                        col("_metadata.file_path").as("source_file"),
                        lit(null).cast(DataTypes.StringType).as("kafka_topic"),
                        lit(null).cast(DataTypes.IntegerType).as("kafka_partition"),
                        lit(null).cast(DataTypes.LongType).as("kafka_offset"),
                        current_timestamp().as("ingest_time"));
    }

    @Override
    public Dataset<Row> bronzeFromKafka(Dataset<Row> kafkaRecords) {
        return kafkaRecords.select(
                col("value").cast(DataTypes.StringType).as("value"),
                lit(null).cast(DataTypes.StringType).as("source_file"),
                col("topic").as("kafka_topic"),
                col("partition").as("kafka_partition"),
                col("offset").as("kafka_offset"),
                current_timestamp().as("ingest_time"));
    }

    @Override
    public Dataset<Row> parse(Dataset<Row> bronze) {
        // Two parses of the same line. With every field a string, only text that is not a JSON object
        // fails; with the real types, a value of the wrong type fails too. The difference is the reason.
        StructType asText = new StructType();
        for (StructField field : CLICK.fields()) {
            asText = asText.add(field.name(), DataTypes.StringType);
        }
        Column text = from_json(col("value"), asText.add(CORRUPT, DataTypes.StringType), PERMISSIVE);
        Column typed = from_json(col("value"), CLICK.add(CORRUPT, DataTypes.StringType), PERMISSIVE);
        Column reason = when(text.isNull().or(text.getField(CORRUPT).isNotNull()), lit(REASON_NOT_JSON))
                .when(typed.getField(CORRUPT).isNotNull(), lit(REASON_WRONG_TYPE))
                .when(
                        typed.getField("event_id")
                                .isNull()
                                .or(typed.getField("event_type").isNull())
                                .or(typed.getField("event_time").isNull()),
                        lit(REASON_MISSING_FIELD));
        Dataset<Row> withParsed = bronze.withColumn("typed", typed).withColumn("reason", reason);
        List<Column> columns = new java.util.ArrayList<>();
        for (String name : BRONZE.fieldNames()) {
            columns.add(col(name));
        }
        for (String name : CLICK.fieldNames()) {
            columns.add(col("typed").getField(name).as(name));
        }
        columns.add(col("reason"));
        return withParsed.select(columns.toArray(Column[]::new));
    }

    @Override
    public Dataset<Row> quarantine(Dataset<Row> parsed) {
        return parsed.filter(col("reason").isNotNull()).select(columns(QUARANTINE));
    }

    @Override
    public Dataset<Row> silver(Dataset<Row> parsed, Dataset<Row> users) {
        // A copy arrives within seconds of its original; the watermark bounds how long an id is remembered.
        Dataset<Row> clicks = parsed.filter(col("reason").isNull())
                .select(columns(CLICK))
                .withWatermark("event_time", WATERMARK_DELAY)
                .dropDuplicatesWithinWatermark("event_id");
        // Left join: a click of a user the dimension does not know is kept, in segment "unknown".
        Dataset<Row> segments = users.select(col("user_id"), col("user_segment"));
        return clicks.join(segments, clicks.col("user_id").equalTo(segments.col("user_id")), "left_outer")
                .select(
                        clicks.col("event_id"),
                        clicks.col("user_id"),
                        clicks.col("session_id"),
                        clicks.col("page"),
                        clicks.col("page_category"),
                        clicks.col("event_type"),
                        clicks.col("time_on_page"),
                        clicks.col("event_time"),
                        coalesce(segments.col("user_segment"), lit(UNKNOWN_SEGMENT))
                                .as("user_segment"));
    }

    @Override
    public Dataset<Row> gold(Dataset<Row> silver, String windowDuration) {
        // Silver read back from Delta carries no watermark: each query that aggregates declares its own.
        return silver.withWatermark("event_time", WATERMARK_DELAY)
                .groupBy(window(col("event_time"), windowDuration), col("page_category"), col("user_segment"))
                .agg(
                        count("*").as("events"),
                        count(when(col("event_type").equalTo("page_view"), true))
                                .as("page_views"),
                        approx_count_distinct("user_id").as("unique_users"),
                        avg("time_on_page").as("avg_time_on_page"))
                .select(
                        col("window.start").as("window_start"),
                        col("window.end").as("window_end"),
                        col("page_category"),
                        col("user_segment"),
                        col("events"),
                        col("page_views"),
                        col("unique_users"),
                        col("avg_time_on_page"));
    }

    @Override
    public RunningPipeline start(SparkSession spark, PipelineConfig config) throws Exception {
        // A Delta stream cannot read a table that does not exist yet: create bronze and silver empty.
        createIfMissing(spark, config.table(PipelineConfig.BRONZE), BRONZE);
        createIfMissing(spark, config.table(PipelineConfig.SILVER), SILVER);

        Dataset<Row> bronze;
        if (config.input() instanceof PipelineConfig.Kafka kafka) {
            bronze = bronzeFromKafka(spark.readStream()
                    .format("kafka")
                    .option("kafka.bootstrap.servers", kafka.bootstrapServers())
                    .option("subscribe", kafka.topic())
                    .option("startingOffsets", "earliest")
                    .load());
        } else {
            bronze = bronzeFromFiles(
                    spark, ((PipelineConfig.Files) config.input()).directory().toString());
        }
        Map<String, StreamingQuery> queries = new LinkedHashMap<>();
        try {
            queries.put(PipelineConfig.BRONZE, toDelta(bronze, PipelineConfig.BRONZE, config));
            // Silver and quarantine each read bronze as a stream of their own, each with its checkpoint.
            // The users table is read as a batch: Delta gives the join its latest version every micro-batch.
            Dataset<Row> users =
                    spark.read().format("delta").load(config.usersTable().toString());
            queries.put(
                    PipelineConfig.SILVER,
                    toDelta(
                            silver(parse(readDelta(spark, config, PipelineConfig.BRONZE)), users),
                            PipelineConfig.SILVER,
                            config));
            queries.put(
                    PipelineConfig.QUARANTINE,
                    toDelta(
                            quarantine(parse(readDelta(spark, config, PipelineConfig.BRONZE))),
                            PipelineConfig.QUARANTINE,
                            config));
            for (String window : GOLD_WINDOWS) {
                String name = PipelineConfig.goldName(window);
                queries.put(name, toDelta(gold(readDelta(spark, config, PipelineConfig.SILVER), window), name, config));
            }
        } catch (Exception e) {
            new RunningPipeline(config, queries).stop();
            throw e;
        }
        return new RunningPipeline(config, queries);
    }

    private static Dataset<Row> readDelta(SparkSession spark, PipelineConfig config, String table) {
        return spark.readStream().format("delta").load(config.table(table));
    }

    private static StreamingQuery toDelta(Dataset<Row> rows, String name, PipelineConfig config) throws Exception {
        DataStreamWriter<Row> writer = rows.writeStream()
                .format("delta")
                .outputMode("append")
                .queryName(name)
                .option("checkpointLocation", config.checkpoint(name))
                .trigger(config.trigger());
        return writer.start(config.table(name));
    }

    private static void createIfMissing(SparkSession spark, String path, StructType schema) {
        spark.createDataFrame(List.<Row>of(), schema)
                .write()
                .format("delta")
                .mode("ignore")
                .save(path);
    }

    private static Column[] columns(StructType schema) {
        return Arrays.stream(schema.fieldNames()).map(name -> col(name)).toArray(Column[]::new);
    }
}
