package io.streamingworkshop.datagen.benchmark;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.WriteSummary;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * How many events per second datagen writes: generation alone, JSON files, and Kafka (the test
 * kit's broker: in-process unless {@code KAFKA_BOOTSTRAP_SERVERS} names one). Not a test: it
 * prints figures. Run it with {@code ./mvnw -q -pl datagen exec:exec@benchmark}; options go in
 * {@code -Dbenchmark.args="--events 2000000 --rounds 3 --only files"}.
 */
public final class DatagenBenchmark {

    private final long events;
    private final int rounds;
    private final String only;
    private final Path work = WorkDir.fresh("datagen-benchmark");
    private int runs;
    private Long bytesWithFlaws;
    private Long bytesWithoutFlaws;

    private DatagenBenchmark(long events, int rounds, String only) {
        this.events = events;
        this.rounds = rounds;
        this.only = only;
    }

    public static void main(String[] args) {
        long events = 5_000_000;
        int rounds = 3;
        String only = "all";
        List<String> list = Arrays.asList(args);
        for (int i = 0; i < list.size(); i++) {
            switch (list.get(i)) {
                case "--events":
                    events = Long.parseLong(list.get(++i).replace("_", ""));
                    break;
                case "--rounds":
                    rounds = Integer.parseInt(list.get(++i));
                    break;
                case "--only":
                    only = list.get(++i);
                    break;
                default:
                    System.err.println("benchmark: unknown argument " + list.get(i)
                            + " (use --events N, --rounds N, --only generate|files|kafka)");
                    System.exit(2);
            }
        }
        try {
            new DatagenBenchmark(events, rounds, only).run();
        } catch (RuntimeException e) {
            // Exit either way: the in-process broker's threads would keep the JVM alive after a failure.
            System.err.println("benchmark: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    private void run() {
        System.out.printf(
                Locale.ROOT,
                "datagen benchmark: %,d IoT events per round, best of %d rounds after a warm-up"
                        + " (Java %s, %d cores)%n",
                events,
                rounds,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-52s %14s %12s%n", "", "events/s", "MB/s");
        if (wants("generate")) {
            measure("generate only (no output)", this::generateOnly);
        }
        if (wants("files")) {
            measure("files, 1,000 events per file", () -> files(1_000, false));
            measure("files, 10,000 events per file", () -> files(10_000, false));
            measure("files, 10,000 events per file, with flaws (*)", () -> files(10_000, true));
        }
        if (wants("kafka")) {
            KafkaBroker kafka = KafkaBroker.shared();
            measure(
                    "kafka, 2 partitions (" + kafka.kind().name().toLowerCase(Locale.ROOT) + " broker)",
                    () -> kafka(kafka));
        }
        System.out.println("(*) 5% late by 10m, 5% out of order by up to 30s, 2% duplicates, 1% malformed");
    }

    private boolean wants(String what) {
        return only.equals("all") || only.equals(what);
    }

    /** One figure: a warm-up run, then the best of the rounds (the machine is shared; the best is the least disturbed). */
    private void measure(String label, Supplier<Result> round) {
        round.get();
        Result best = null;
        List<String> all = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Result result = round.get();
            all.add(String.format(Locale.ROOT, "%,.0f", result.eventsPerSecond()));
            if (best == null || result.eventsPerSecond() > best.eventsPerSecond()) {
                best = result;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%-52s %14s %12.0f   (rounds: %s)%n",
                label,
                String.format(Locale.ROOT, "%,.0f", best.eventsPerSecond()),
                best.megabytesPerSecond(),
                String.join(", ", all));
    }

    private Datagen iot(boolean flaws) {
        Datagen datagen = Datagen.iot().events(events).seed(42).rate(1000);
        if (flaws) {
            datagen.late(0.05, Duration.ofMinutes(10))
                    .outOfOrder(0.05, Duration.ofSeconds(30))
                    .duplicates(0.02, Duration.ofSeconds(5))
                    .malformed(0.01);
        }
        return datagen;
    }

    private Result generateOnly() {
        AtomicLong records = new AtomicLong();
        long start = System.nanoTime();
        iot(false).forEachRecord(r -> records.incrementAndGet());
        long nanos = System.nanoTime() - start;
        return new Result(records.get(), bytes(false), nanos);
    }

    /** The bytes of a round's records and their line breaks, counted apart from any timing. */
    private long bytes(boolean flaws) {
        Long known = flaws ? bytesWithFlaws : bytesWithoutFlaws;
        if (known == null) {
            AtomicLong bytes = new AtomicLong();
            iot(flaws).forEachRecord(r -> bytes.addAndGet(r.json().length() + 1));
            known = bytes.get();
            if (flaws) {
                bytesWithFlaws = known;
            } else {
                bytesWithoutFlaws = known;
            }
        }
        return known;
    }

    private Result files(int eventsPerFile, boolean flaws) {
        Path dir = work.resolve("files-" + (runs++));
        WriteSummary summary = iot(flaws).eventsPerFile(eventsPerFile).toFiles(dir);
        WorkDir.deleteRecursively(dir);
        return new Result(summary.records(), bytes(flaws), summary.elapsed().toNanos());
    }

    private Result kafka(KafkaBroker kafka) {
        String topic = "benchmark-" + (runs++);
        kafka.createTopic(topic, 2);
        WriteSummary summary = iot(false).toKafka(kafka.clientProperties(), topic);
        return new Result(summary.records(), bytes(false), summary.elapsed().toNanos());
    }

    private static final class Result {
        final long records;
        final long bytes;
        final long nanos;

        Result(long records, long bytes, long nanos) {
            this.records = records;
            this.bytes = bytes;
            this.nanos = nanos;
        }

        double eventsPerSecond() {
            return records / (nanos / 1e9);
        }

        double megabytesPerSecond() {
            return bytes / 1e6 / (nanos / 1e9);
        }
    }
}
