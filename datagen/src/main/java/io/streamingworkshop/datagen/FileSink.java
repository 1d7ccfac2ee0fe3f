package io.streamingworkshop.datagen;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one stream as JSON-lines files, {@code eventsPerFile} records each ({@code part-00000.json},
 * {@code part-00001.json}, ...), every file written under a hidden name and renamed into place
 * when complete, so a streaming file source never reads half a file. The flaw log and the
 * manifest go beside the files.
 *
 * <p>Records are gathered into chunks here, on the generating thread, and written by a
 * {@link FileWriterThread}: the file system's cost per byte is about twice the cost of making
 * the bytes, so doing both at once on two cores is what makes a million events a second possible.
 */
final class FileSink implements RecordSink {

    private static final int CHUNK_BYTES = 256 * 1024;

    private final Path dir;
    private final RecordType type;
    private final int eventsPerFile;
    private final boolean overwrite;
    private final Pacer pacer;
    private FlawLog flawLog;
    private FileWriterThread writer;
    private byte[] chunk;
    private int chunkLength;
    private long fileIndex;
    private String fileName;
    private long line;

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
        writer = new FileWriterThread(dir, type.streamName(), pacer, CHUNK_BYTES);
        chunk = writer.emptyChunk();
        fileName = fileName(fileIndex);
    }

    static String fileName(long index) {
        return Ids.padded("part-", index, 5) + ".json";
    }

    @Override
    public void accept(GeneratedRecord record) {
        byte[] bytes = record.bytes();
        if (chunkLength + bytes.length + 1 > chunk.length) {
            handOver(false);
            if (bytes.length + 1 > chunk.length) {
                chunk = new byte[bytes.length + 1];
            }
        }
        System.arraycopy(bytes, 0, chunk, chunkLength, bytes.length);
        chunkLength += bytes.length;
        chunk[chunkLength++] = '\n';
        line++;
        if (flawLog != null && record.flaw() != Flaw.NONE) {
            flawLog.written(record, fileName, line);
        }
        if (line == eventsPerFile) {
            handOver(true);
            line = 0;
            fileName = fileName(++fileIndex);
        }
    }

    /** Gives the bytes gathered so far to the writer; {@code lastOfFile} publishes the file after them. */
    private void handOver(boolean lastOfFile) {
        writer.write(fileIndex, chunk, chunkLength, lastOfFile);
        chunk = writer.emptyChunk();
        chunkLength = 0;
    }

    @Override
    public void finish() {
        if (line > 0 || chunkLength > 0) {
            handOver(true);
        }
        writer.finish();
        if (flawLog != null) {
            flawLog.publish();
        }
    }

    @Override
    public void abort() {
        if (writer != null) {
            writer.abort();
        }
        if (flawLog != null) {
            flawLog.discard();
        }
    }

    @Override
    public long files(RecordType recordType) {
        return writer == null ? 0 : writer.published();
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
