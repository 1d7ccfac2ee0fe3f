package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.DatasetKind;
import io.streamingworkshop.datagen.Manifest;
import io.streamingworkshop.datagen.Pacing;
import io.streamingworkshop.datagen.WriteSummary;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code files}: a dataset as JSON-lines files, with the manifest and the flaw log beside them. */
@Command(
        name = "files",
        header = {
            "datagen files: write a dataset as JSON-lines files. Each file appears whole (written under a",
            "hidden name, then renamed), so a streaming file source never reads half a file. For orders, the",
            "streams go to DIR/orders and DIR/shipments.",
            ""
        },
        customSynopsis = DatagenCommand.LAUNCH + "files --dataset NAME --out DIR [options]\"",
        footer = {"", "DURATION: 500ms, 30s, 10m, 1h30m, 2d. F: a fraction, e.g. 0.05 for 5%%."})
final class FilesCommand extends WriteCommand {

    @Mixin
    Output output = new Output();

    @HelpSection("Output")
    static final class Output {
        @Option(
                names = "--out",
                paramLabel = "DIR",
                order = 30,
                description = "output directory (new or empty); relative to where you run Maven (required)")
        String out;

        @Option(names = "--events-per-file", paramLabel = "N", order = 31, description = "records per file [1000]")
        Integer eventsPerFile;

        @Option(
                names = "--overwrite",
                order = 32,
                description = "replace what an earlier run wrote in --out (never other files) [off]")
        boolean overwrite;

        @Option(
                names = "--files-per-second",
                paramLabel = "R",
                order = 33,
                description = "pace: at most R files per wall-clock second [as fast as possible]")
        Double filesPerSecond;
    }

    FilesCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    int write(Datagen datagen, DatasetKind dataset) {
        String outText = required("--out");
        Path dir;
        try {
            dir = Path.of(outText);
        } catch (InvalidPathException e) {
            throw new UsageException("--out: '" + outText + "' is not a valid path (" + e.getReason() + ")");
        }
        if (output.eventsPerFile != null) {
            datagen.eventsPerFile(output.eventsPerFile);
        }
        if (output.filesPerSecond != null) {
            if (pacing.eventsPerSecond != null) {
                throw new UsageException("Pace by --events-per-second or by --files-per-second, not both");
            }
            datagen.pacing(Pacing.filesPerSecond(output.filesPerSecond));
        }
        datagen.overwrite(output.overwrite);
        datagen.progressTo(terminal.err());
        WriteSummary summary = datagen.toFiles(dir);
        terminal.out()
                .printf(
                        Locale.ROOT,
                        "Wrote %s to %s: %s%n",
                        Summary.what(dataset, summary),
                        outText,
                        Summary.totals(summary));
        for (Manifest manifest : summary.manifests()) {
            Path streamDir = dataset.recordTypes().size() == 1 ? dir : dir.resolve(manifest.stream());
            terminal.out()
                    .printf(
                            Locale.ROOT,
                            "  %s: %s; manifest %s%n",
                            manifest.stream(),
                            Summary.flaws(manifest),
                            streamDir.resolve(Manifest.FILE_NAME));
        }
        return DatagenCli.OK;
    }
}
