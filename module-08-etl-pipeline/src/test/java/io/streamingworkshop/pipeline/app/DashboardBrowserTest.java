package io.streamingworkshop.pipeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingworkshop.testkit.Implementations;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: the application runs the reference pipeline on a small click
 * feed, headless Chromium opens the page, and the numbers the page shows must be the gold table's.
 * Not graded: it checks the application, not a learner's exercise.
 */
@WorkshopTest
@Tag("ungraded")
class DashboardBrowserTest {

    /** How long the page may take to show a closed gold window, on a busy two-core machine. */
    static final Duration GOLD_WITHIN = Duration.ofMinutes(4);

    @Test
    void showsTheGoldTablesNumbersLive(SparkSession spark, WorkDir work) throws Exception {
        if (Implementations.mode() != Implementations.Mode.SOLUTION) {
            skip("the dashboard test runs the reference pipeline: run it with -Psolutions");
        }
        Optional<Path> chromium = Chromium.find();
        if (chromium.isEmpty()) {
            String why = "no Chromium found (install Debian's chromium, or set CHROMIUM_BIN)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true and " + why + ": the browser test must run in CI");
            }
            skip(why);
        }
        // 1,500 clicks, 50 per second: the simulated clock runs 60 times faster, so 30 seconds of
        // feed are 30 minutes of event time, and the 5-minute windows up to 10:15 close behind the
        // 15-minute watermark (the first one after 20 seconds of feed).
        AppSettings settings = new AppSettings(
                null,
                null,
                "clickstream",
                work.root().resolve("root"),
                work.root().resolve("root/users"),
                null,
                Duration.ofSeconds(1),
                null,
                false,
                true,
                0,
                1_500,
                50,
                true,
                false);
        PrintStream quiet = System.out;
        long started = System.nanoTime();
        try (AppRun app = AppRun.start(settings, quiet, System.err, spark);
                Chromium browser = Chromium.launch(chromium.get(), work.root().resolve("chromium"), 1440, 1250)) {
            browser.navigate(app.url());
            JsonNode shown = waitForGold(browser, app, GOLD_WITHIN);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "[dashboard] first gold rows on the page %.1f s after the application started%n", seconds);
            Thread.sleep(2_500); // one more snapshot: let the charts finish their animation
            browser.screenshot(Path.of("target", "dashboard.png"));
            System.out.println("[dashboard] screenshot: "
                    + Path.of("target", "dashboard.png").toAbsolutePath());

            long eventsOnPage = shown.get("events").asLong();
            long version = shown.get("version").asLong();
            Row gold = spark.read()
                    .format("delta")
                    .option("versionAsOf", version)
                    .load(app.config().table("gold_5m"))
                    .selectExpr("sum(events)", "count(*)")
                    .first();
            assertThat(eventsOnPage)
                    .as("events on the page vs. the sum of gold_5m's events at version %d", version)
                    .isEqualTo(gold.getLong(0));
            assertThat(shown.get("rows").asLong())
                    .as("gold_5m rows on the page vs. the table at version %d", version)
                    .isEqualTo(gold.getLong(1));
            assertThat(shown.get("chartTotal").asLong())
                    .as("the category chart draws the gold events (its windows are the latest ones)")
                    .isPositive()
                    .isLessThanOrEqualTo(eventsOnPage);
            assertThat(browser.evaluate("document.getElementById('error-banner').hidden")
                            .asBoolean())
                    .as(
                            "the error banner is hidden; it says: %s",
                            browser.evaluate("document.getElementById('error-text').textContent"))
                    .isTrue();
            assertThat(browser.consoleErrors())
                    .as("errors in the page's console")
                    .isEmpty();
        }
    }

    /** Polls the page until it shows gold rows; returns what it shows. */
    private static JsonNode waitForGold(Chromium browser, AppRun app, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String read = "(() => { const e = document.getElementById('gold_5m-events'); if (!e) return null;"
                + " const chart = typeof Chart === 'undefined' ? null : Chart.getChart('chart-category');"
                + " const total = chart ? chart.data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0) : 0;"
                + " return { events: Number(e.dataset.value || 0), version: Number(e.dataset.version || -1),"
                + " rows: Number(document.getElementById('gold_5m-rows').textContent.replace(/[^0-9]/g, '') || 0),"
                + " chartTotal: total, state: document.getElementById('state').dataset.state,"
                + " error: document.getElementById('error-banner').hidden ? null : document.getElementById('error-text').textContent }; })()";
        JsonNode shown = null;
        while (System.nanoTime() < deadline) {
            shown = browser.evaluate(read);
            if (shown.isNull() || shown.isMissingNode()) {
                Thread.sleep(500); // the page is still loading
                continue;
            }
            assertThat(shown.get("error").isNull())
                    .as("the page shows an error: %s", shown.get("error"))
                    .isTrue();
            if (shown.get("events").asLong() > 0 && shown.get("chartTotal").asLong() > 0) {
                return shown;
            }
            if (app.state() == AppRun.State.FAILED) {
                break;
            }
            Thread.sleep(500);
        }
        browser.screenshot(Path.of("target", "dashboard.png"));
        throw new AssertionError("the page showed no gold rows within " + within + " (last seen: " + shown
                + "; screenshot in target/dashboard.png)");
    }

    private static void skip(String why) {
        System.out.println("[dashboard] skipped: " + why);
        assumeTrue(false, why);
    }
}
