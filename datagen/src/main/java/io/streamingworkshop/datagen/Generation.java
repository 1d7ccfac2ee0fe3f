package io.streamingworkshop.datagen;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run: the simulation feeds each record to its stream's sink, at the pace asked for, while
 * the records are counted for the manifests. Manifests are written last, after every file is
 * visible, so a manifest is the sign of a finished run. If anything fails, half-written output
 * is removed and the error says what happened.
 */
final class Generation {

    private Generation() {}

    static WriteSummary run(
            GeneratorOptions options,
            Map<RecordType, RecordSink> sinks,
            Pacer pacer,
            PrintStream progressTo,
            String destination) {
        Simulation simulation = new Simulation(options);
        Set<RecordSink> distinct = new LinkedHashSet<>(sinks.values());
        Map<RecordType, StreamTally> tallies = new EnumMap<>(RecordType.class);
        long planned = 0;
        for (RecordType type : options.dataset().recordTypes()) {
            tallies.put(type, new StreamTally(type));
            planned += simulation.plannedRecords(type);
        }
        List<RecordSink> opened = new ArrayList<>();
        long started;
        try {
            for (RecordSink sink : distinct) {
                sink.open();
                opened.add(sink);
            }
            // Timed from here: preparing directories and topics is not writing.
            started = System.nanoTime();
            Progress progress = new Progress(
                    progressTo,
                    planned,
                    () -> sinks.entrySet().stream()
                            .mapToLong(e -> e.getValue().files(e.getKey()))
                            .sum());
            simulation.run(record -> {
                pacer.beforeRecord();
                sinks.get(record.type()).accept(record);
                tallies.get(record.type()).add(record);
                progress.recordWritten();
            });
            for (RecordSink sink : distinct) {
                sink.finish();
            }
        } catch (RuntimeException e) {
            opened.forEach(Generation::abortQuietly);
            throw e;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        List<Manifest> manifests = new ArrayList<>();
        for (RecordType type : options.dataset().recordTypes()) {
            RecordSink sink = sinks.get(type);
            Manifest manifest = Manifest.of(options, tallies.get(type), sink.files(type), sink.describe(type));
            sink.publishManifest(type, manifest);
            manifests.add(manifest);
        }
        return new WriteSummary(manifests, elapsed, destination);
    }

    private static void abortQuietly(RecordSink sink) {
        try {
            sink.abort();
        } catch (RuntimeException ignored) {
            // the original failure is what the caller needs to hear about
        }
    }
}
