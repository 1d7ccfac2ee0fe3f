package io.streamingworkshop.testkit;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a JVM, configured for a laptop with two cores: {@code local[2]}, two
 * shuffle partitions, Delta Lake enabled, times in UTC, every file under {@link WorkDir#base()}.
 * Tests get it with the UI off; walkthroughs with the UI on (http://localhost:4040, tab
 * "Structured Streaming").
 *
 * <p>System properties that change it: {@code workshop.master} (default {@code local[2]}) and
 * {@code workshop.ui} ({@code true}/{@code false}).
 */
public final class WorkshopSpark {

    private static SparkSession session;

    private WorkshopSpark() {}

    /** The session for tests: UI off unless {@code -Dworkshop.ui=true}. */
    public static synchronized SparkSession session() {
        if (session == null) {
            session = create(Boolean.getBoolean("workshop.ui"));
        }
        return session;
    }

    /** The session for walkthroughs: UI on unless {@code -Dworkshop.ui=false}. */
    public static synchronized SparkSession walkthroughSession() {
        if (session == null) {
            session = create(Boolean.parseBoolean(System.getProperty("workshop.ui", "true")));
        }
        return session;
    }

    /** The session if one was started in this JVM; never starts one. */
    public static synchronized Optional<SparkSession> ifStarted() {
        return Optional.ofNullable(session);
    }

    private static SparkSession create(boolean ui) {
        JavaVersionCheck.requireSupportedJava();
        Path base = WorkDir.base();
        SparkSession spark = SparkSession.builder()
                .master(System.getProperty("workshop.master", "local[2]"))
                .appName("streaming-workshop")
                .config("spark.ui.enabled", ui)
                .config("spark.ui.showConsoleProgress", false)
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.warehouse.dir", base.resolve("warehouse").toString())
                // Two cores: more partitions only add scheduling overhead and state-store files.
                .config("spark.sql.shuffle.partitions", 2)
                .config("spark.default.parallelism", 2)
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", true)
                // Delta Lake (open-source, the same format Databricks uses).
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                // Delta's default of 50 partitions to rebuild a snapshot is for clusters, not laptops.
                .config("spark.databricks.delta.snapshotPartitions", 2)
                .getOrCreate();
        spark.streams().addListener(new QueryFailureReporter());
        return spark;
    }
}
