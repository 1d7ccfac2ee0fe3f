package io.streamingworkshop.pipeline.app;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.GeneratedRecord;
import io.streamingworkshop.datagen.Pacing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The built-in clickstream: datagen's clicks with their flaws (malformed lines, duplicates, late
 * and out-of-order events, users missing from the dimension), written live into the input
 * directory or a Kafka topic.
 *
 * <p>The simulated clock runs {@link #TIME_SCALE} times faster than the wall clock, so a 5-minute
 * window closes (15 minutes of watermark later) about 20 seconds after its first click arrives.
 *
 * <p>A run never rewrites what an earlier run wrote: each run has its own number ({@code
 * clicks-r002-000017.json}) and seed, and starts its simulated clock where the earlier run's
 * plan ended (kept in {@code ROOT/feed.properties}), so a second run on the same root continues
 * the stream instead of arriving late behind the watermark.
 */
final class ClickFeed implements AutoCloseable {

    /** Simulated seconds per wall-clock second. */
    static final int TIME_SCALE = 60;

    /** The users dimension's size; the clicks pick from a few more ids, so some users are unknown. */
    static final int USERS = 200;

    static final int CLICK_USERS = 210;
    static final Instant FIRST_START = Instant.parse("2024-05-01T10:00:00Z");

    private static final Pattern OUR_FILE = Pattern.compile("clicks-r(\\d{3,})-\\d+\\.json");

    private final AppSettings settings;
    private final boolean paced;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean finished;
    private volatile String failure;
    private volatile Instant latestEventTime;
    private final int runNumber;
    private final Instant start;
    private Thread thread;

    private ClickFeed(AppSettings settings, boolean paced) {
        this.settings = settings;
        this.paced = paced;
        Properties state = readState();
        this.runNumber = Math.max(
                Integer.parseInt(state.getProperty("next_run", "1")), highestRunInInput(settings.feedDirectory()) + 1);
        this.start = Instant.parse(state.getProperty("next_start", FIRST_START.toString()));
    }

    /** Starts writing in the background; paced on the wall clock unless {@code paced} is false. */
    static ClickFeed start(AppSettings settings, boolean paced) {
        ClickFeed feed = new ClickFeed(settings, paced);
        feed.saveStateForNextRun();
        feed.thread = new Thread(feed::writeAll, "click-feed");
        feed.thread.setDaemon(true);
        feed.thread.start();
        return feed;
    }

    private Datagen generator() {
        return Datagen.clickstream()
                .events(settings.events())
                .seed(41 + runNumber)
                .start(start)
                .rate(simulatedRate())
                .userCount(CLICK_USERS)
                .malformed(0.01)
                .duplicates(0.02, Duration.ofSeconds(30))
                .outOfOrder(0.05, Duration.ofSeconds(30))
                // Later than the pipeline's 15-minute watermark: the dashboard shows them dropped.
                .late(0.005, Duration.ofMinutes(20));
    }

    private double simulatedRate() {
        return settings.rate() / TIME_SCALE;
    }

    private void writeAll() {
        try {
            if (settings.kafka() != null) {
                writeToKafka();
            } else {
                writeFiles();
            }
        } catch (CancellationException stopped) {
            // stop() was called: what was written stays, the next run continues after this run's plan.
        } catch (RuntimeException e) {
            if (!stopping) {
                failure = AppRun.describe(e);
            }
        } finally {
            finished = true;
        }
    }

    private void writeFiles() {
        Path dir = settings.feedDirectory();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        // About one file per second when paced: a stream that visibly arrives, in files Spark lists cheaply.
        int perFile = paced ? (int) Math.max(1, Math.round(settings.rate())) : 1000;
        long startNanos = System.nanoTime();
        List<String> lines = new ArrayList<>(perFile);
        generator().forEachRecord(record -> {
            if (stopping) {
                throw new CancellationException();
            }
            lines.add(record.json());
            latestEventTime = later(latestEventTime, record);
            if (lines.size() == perFile) {
                publish(dir, lines, startNanos);
            }
        });
        if (!lines.isEmpty()) {
            publish(dir, lines, startNanos);
        }
    }

    private void publish(Path dir, List<String> lines, long startNanos) {
        if (paced) {
            long dueNanos = startNanos + (long) ((written.get() + lines.size()) * 1e9 / settings.rate());
            sleepUntil(dueNanos);
        }
        String name = String.format("clicks-r%03d-%06d.json", runNumber, files.get());
        Path hidden = dir.resolve("." + name + ".tmp");
        try {
            Files.write(hidden, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            // Spark's file source must never see half a file: it ignores hidden names, and a rename is atomic.
            Files.move(hidden, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
        files.incrementAndGet();
        written.addAndGet(lines.size());
        lines.clear();
    }

    private void sleepUntil(long dueNanos) {
        long now;
        while ((now = System.nanoTime()) < dueNanos) {
            if (stopping) {
                throw new CancellationException();
            }
            try {
                Thread.sleep(Math.min(200, Math.max(1, (dueNanos - now) / 1_000_000)));
            } catch (InterruptedException e) {
                throw new CancellationException();
            }
        }
    }

    private void writeToKafka() {
        Properties client = new Properties();
        client.put("bootstrap.servers", settings.kafka());
        Datagen generator = generator();
        if (paced) {
            generator.pacing(Pacing.eventsPerSecond(settings.rate()));
        }
        generator.toKafka(client, settings.topic());
        written.set(settings.events());
    }

    private static Instant later(Instant current, GeneratedRecord record) {
        Instant time = record.eventTime();
        return current == null || (time != null && time.isAfter(current)) ? time : current;
    }

    /** Stops writing; files already written stay. Waits a little for the writer to notice. */
    @Override
    public void close() {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until every click of the run is written (for --available-now). */
    void awaitFinished() throws InterruptedException {
        thread.join();
    }

    boolean finished() {
        return finished;
    }

    String failure() {
        return failure;
    }

    long written() {
        return written.get();
    }

    long planned() {
        return settings.events();
    }

    int runNumber() {
        return runNumber;
    }

    Instant latestEventTime() {
        return latestEventTime;
    }

    // ---- continuing where the last run stopped ----------------------------------------------

    private Path stateFile() {
        return settings.root().resolve("feed.properties");
    }

    private Properties readState() {
        Properties state = new Properties();
        Path file = stateFile();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                state.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return state;
    }

    /**
     * The next run starts where this run's plan ends, whether or not this run gets there: its
     * events are then all newer than anything this run wrote, never late behind the watermark.
     */
    private void saveStateForNextRun() {
        long plannedMillis = (long) Math.ceil(settings.events() / simulatedRate() * 1000);
        Properties state = new Properties();
        state.setProperty("next_run", Integer.toString(runNumber + 1));
        state.setProperty(
                "next_start", start.plusMillis(plannedMillis).plusSeconds(1).toString());
        try {
            Files.createDirectories(settings.root());
            try (OutputStream out = Files.newOutputStream(stateFile())) {
                state.store(out, "The pipeline application's click feed: where its next run starts");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stateFile(), e);
        }
    }

    private static int highestRunInInput(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> OUR_FILE.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max()
                    .orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
