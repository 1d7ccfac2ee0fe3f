package io.streamingworkshop.datagen;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one stream as JSON-lines files, {@code eventsPerFile} records each ({@code part-00000.json},
 * {@code part-00001.json}, ...), every file written under a hidden name and renamed into place
 * when complete, so a streaming file source never reads half a file. The flaw log and the
 * manifest go beside the files.
 */
final class FileSink implements RecordSink {

    private final Path dir;
    private final RecordType type;
    private final int eventsPerFile;
    private final boolean overwrite;
    private final Pacer pacer;
    private FlawLog flawLog;
    private OutputStream out;
    private String fileName;
    private Path inProgress;
    private long line;
    private long files;

    FileSink(Path dir, RecordType type, int eventsPerFile, boolean overwrite, Pacer pacer) {
        this.dir = dir;
        this.type = type;
        this.eventsPerFile = eventsPerFile;
        this.overwrite = overwrite;
        this.pacer = pacer;
    }

    @Override
    public void open() {
        OutputDirectory.prepare(dir, overwrite);
        if (!type.isDimension()) {
            flawLog = new FlawLog(dir.resolve(FlawLog.FILE_NAME));
        }
    }

    @Override
    public void accept(GeneratedRecord record) {
        try {
            if (out == null) {
                startFile();
            }
            out.write(record.bytes());
            out.write('\n');
        } catch (IOException e) {
            throw new DatagenException("Cannot write " + dir.resolve(fileName) + ": " + OutputDirectory.reason(e), e);
        }
        line++;
        if (flawLog != null && record.flaw() != Flaw.NONE) {
            flawLog.written(record, fileName, line);
        }
        if (line == eventsPerFile) {
            publishFile();
        }
    }

    private void startFile() throws IOException {
        fileName = Ids.padded("part-", files, 5) + ".json";
        inProgress = AtomicFiles.inProgress(dir.resolve(fileName));
        out = new BufferedOutputStream(Files.newOutputStream(inProgress, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 1 << 16);
    }

    private void publishFile() {
        try {
            out.close();
        } catch (IOException e) {
            throw new DatagenException("Cannot write " + dir.resolve(fileName) + ": " + OutputDirectory.reason(e), e);
        }
        out = null;
        pacer.beforeFile();
        AtomicFiles.publish(inProgress, dir.resolve(fileName));
        files++;
        line = 0;
    }

    @Override
    public void finish() {
        if (out != null) {
            publishFile();
        }
        if (flawLog != null) {
            flawLog.publish();
        }
    }

    @Override
    public void abort() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // deleted next
            }
            AtomicFiles.deleteQuietly(inProgress);
            out = null;
        }
        if (flawLog != null) {
            flawLog.discard();
        }
    }

    @Override
    public long files(RecordType recordType) {
        return files;
    }

    @Override
    public Map<String, Object> describe(RecordType recordType) {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("type", "files");
        output.put("format", "json-lines");
        output.put("events_per_file", eventsPerFile);
        return output;
    }

    @Override
    public void publishManifest(RecordType recordType, Manifest manifest) {
        AtomicFiles.write(dir.resolve(Manifest.FILE_NAME), manifest.toBytes());
    }
}
