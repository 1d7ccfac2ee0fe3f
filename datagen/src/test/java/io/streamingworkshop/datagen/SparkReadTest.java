package io.streamingworkshop.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** What the labs do with datagen's output: read it with Spark, as a batch, as a stream, as a Delta dimension. */
@WorkshopTest
class SparkReadTest {

    @Test
    void sparkReadsTheFilesWithTheSchemaAndFlagsExactlyTheMalformedRecords(SparkSession spark, WorkDir work) {
        Datagen datagen =
                Datagen.iot().events(4_000).eventsPerFile(400).malformed(0.05).schemaChange(0.5);
        Manifest manifest = datagen.toFiles(work.dir("iot")).manifest();
        List<GeneratedRecord> wellFormed =
                datagen.records().stream().filter(r -> !r.flaw().isMalformed()).collect(Collectors.toList());
        StructType schema = RecordType.IOT_READING.evolvedSchema().add("_corrupt_record", DataTypes.StringType);
        Dataset<Row> rows = spark.read().schema(schema).json(work.path("iot")).cache();

        assertThat(rows.count()).isEqualTo(manifest.records());
        assertThat(rows.where("_corrupt_record IS NOT NULL").count())
                .isEqualTo(manifest.malformed())
                .isEqualTo(200);
        Dataset<Row> good = rows.where("_corrupt_record IS NULL");
        assertThat(good.where("battery_pct IS NOT NULL").count())
                .isEqualTo(wellFormed.stream()
                        .filter(GeneratedRecord::schemaChanged)
                        .count());
        Row range = good.selectExpr("min(event_time)", "max(event_time)").first();
        assertThat(range.getTimestamp(0).toInstant())
                .isEqualTo(wellFormed.stream()
                        .map(GeneratedRecord::eventTime)
                        .min(Instant::compareTo)
                        .orElseThrow());
        assertThat(range.getTimestamp(1).toInstant())
                .isEqualTo(wellFormed.stream()
                        .map(GeneratedRecord::eventTime)
                        .max(Instant::compareTo)
                        .orElseThrow());
        assertThat(good.where("location.site IS NULL OR size(tags) < 2").count())
                .isZero();
        rows.unpersist();
    }

    @Test
    void aStreamingFileSourceReadsEveryRecordOnce(SparkSession spark, WorkDir work) throws Exception {
        Manifest manifest = Datagen.transactions()
                .events(3_000)
                .eventsPerFile(300)
                .duplicates(0.1, Duration.ofSeconds(5))
                .toFiles(work.dir("transactions"))
                .manifest();
        StreamingQuery query = spark.readStream()
                .schema(RecordType.TRANSACTION.schema())
                .option("maxFilesPerTrigger", 4)
                .json(work.path("transactions"))
                .writeStream()
                .format("memory")
                .queryName("datagen_transactions")
                .option("checkpointLocation", work.path("checkpoint"))
                .trigger(Trigger.AvailableNow())
                .start();
        assertThat(Streams.awaitTermination(query, Duration.ofSeconds(60))).isTrue();
        assertThat(query.recentProgress()).hasSize(3); // 10 files, 4 per trigger
        assertThat(spark.table("datagen_transactions").count())
                .isEqualTo(manifest.records())
                .isEqualTo(3_300);
        assertThat(spark.table("datagen_transactions")
                        .dropDuplicates("event_id")
                        .count())
                .isEqualTo(manifest.events());
    }

    @Test
    void aDimensionBecomesADeltaTableThatEveryEventJoins(SparkSession spark, WorkDir work) {
        String users = work.path("users");
        Datagen.users().userCount(150).toDelta(spark, users);
        Dataset<Row> table = spark.read().format("delta").load(users);
        assertThat(table.schema()).isEqualTo(RecordType.USER.schema());
        assertThat(table.count()).isEqualTo(150);

        Dataset<Row> transactions =
                Datagen.transactions().userCount(150).events(2_000).toDataFrame(spark);
        assertThat(transactions
                        .join(table, transactions.col("user_id").equalTo(table.col("user_id")), "left_anti")
                        .count())
                .isZero();
        List<Row> regions = transactions
                .join(table, "user_id")
                .where(transactions.col("region").notEqual(table.col("region")))
                .collectAsList();
        assertThat(regions).isEmpty();

        // Written again, it is replaced, not appended to.
        Datagen.users().userCount(100).toDelta(spark, users);
        assertThat(spark.read().format("delta").load(users).count()).isEqualTo(100);
    }

    @Test
    void toDeltaRefusesEventsAndADirectoryThatIsNotADeltaTable(SparkSession spark, WorkDir work) throws Exception {
        assertThatThrownBy(() -> Datagen.iot().toDelta(spark, work.path("iot")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension tables");
        Files.writeString(work.dir("taken").resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> Datagen.products().toDelta(spark, work.path("taken")))
                .isInstanceOf(DatagenException.class)
                .hasMessageContaining("not empty and not a Delta table");
        assertThat(Files.readString(work.dir("taken").resolve("notes.txt"))).isEqualTo("keep me");
    }
}
