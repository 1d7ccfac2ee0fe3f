package io.streamingworkshop.datagen;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** What a run wrote (a manifest per stream) and how long it took. */
public final class WriteSummary {

    private final List<Manifest> manifests;
    private final Duration elapsed;
    private final String destination;

    WriteSummary(List<Manifest> manifests, Duration elapsed, String destination) {
        this.manifests = List.copyOf(manifests);
        this.elapsed = elapsed;
        this.destination = destination;
    }

    /** The manifest of the only stream; for {@link DatasetKind#ORDERS} use {@link #manifest(RecordType)}. */
    public Manifest manifest() {
        if (manifests.size() != 1) {
            throw new IllegalStateException(
                    "This run wrote " + manifests.size() + " streams: use manifest(RecordType)");
        }
        return manifests.get(0);
    }

    public Manifest manifest(RecordType type) {
        return manifests.stream()
                .filter(m -> m.stream().equals(type.streamName()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("This run wrote no " + type.streamName() + " stream"));
    }

    public List<Manifest> manifests() {
        return manifests;
    }

    /** Events over all streams (each distinct event once). */
    public long events() {
        return manifests.stream().mapToLong(Manifest::events).sum();
    }

    /** Records written over all streams: events plus duplicates. */
    public long records() {
        return manifests.stream().mapToLong(Manifest::records).sum();
    }

    public long files() {
        return manifests.stream().mapToLong(Manifest::files).sum();
    }

    /** Wall-clock time of the run, from the first record made to the last made visible (set-up not counted). */
    public Duration elapsed() {
        return elapsed;
    }

    /** Records written per wall-clock second. */
    public double recordsPerSecond() {
        double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
        return records() / seconds;
    }

    /** Where the records went: a directory or {@code topic@servers}. */
    public String destination() {
        return destination;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%,d events (%,d records%s) to %s in %.2f s (%,.0f records/s)",
                events(),
                records(),
                files() > 0 ? String.format(Locale.ROOT, ", %,d files", files()) : "",
                destination,
                elapsed.toNanos() / 1e9,
                recordsPerSecond());
    }
}
