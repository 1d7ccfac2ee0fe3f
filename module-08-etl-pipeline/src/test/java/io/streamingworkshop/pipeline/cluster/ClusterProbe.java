package io.streamingworkshop.pipeline.cluster;

import io.streamingworkshop.datagen.RecordType;
import io.streamingworkshop.testkit.WorkshopSpark;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The smallest application that exercises what the pipeline needs from a cluster, without the
 * pipeline: a batch job (a sum over four partitions) and a file stream into a Delta table with
 * {@code Trigger.AvailableNow}. {@code scripts/cluster.sh --probe} submits it instead of the
 * pipeline application, to tell a broken cluster from a broken pipeline.
 *
 * <p>Arguments: {@code INPUT_DIR ROOT_DIR}; the table goes to {@code ROOT_DIR/tables/probe}.
 */
public final class ClusterProbe {

    public static final String TABLE = "probe";

    private ClusterProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ClusterProbe INPUT_DIR ROOT_DIR");
            System.exit(2);
        }
        Path root = Path.of(args[1]).toAbsolutePath();
        SparkSession spark = WorkshopSpark.walkthroughSession();
        System.out.println("probe: master " + spark.sparkContext().master() + ", application "
                + spark.sparkContext().applicationId());

        // Four partitions on two one-core executors: both of them get tasks.
        long sum = spark.range(0, 1_000_000, 1, 4).selectExpr("sum(id)").first().getLong(0);
        if (sum != 499_999_500_000L) {
            throw new IllegalStateException("the batch sum is " + sum + ", not 499999500000");
        }
        System.out.println("probe: batch sum of 0..999,999 = " + sum);

        StreamingQuery query = spark.readStream()
                .schema(RecordType.CLICK.schema())
                .option("maxFilesPerTrigger", 2)
                .json(args[0])
                .writeStream()
                .format("delta")
                .option(
                        "checkpointLocation",
                        root.resolve("checkpoints").resolve(TABLE).toString())
                .trigger(Trigger.AvailableNow())
                .start(root.resolve("tables").resolve(TABLE).toString());
        query.awaitTermination();
        long rows = spark.read()
                .format("delta")
                .load(root.resolve("tables").resolve(TABLE).toString())
                .count();
        System.out.println("probe: the file stream wrote " + rows + " rows to Delta in " + query.recentProgress().length
                + " micro-batches");
        spark.stop();
    }
}
