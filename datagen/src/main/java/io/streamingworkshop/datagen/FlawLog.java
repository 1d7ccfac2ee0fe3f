package io.streamingworkshop.datagen;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The flaw log ({@code _flaws.jsonl} beside the files): one JSON line per flawed record, saying
 * which record (its position in the stream, its id, and where it was written) carries which flaw.
 * With it a test or a lab can check record by record what a pipeline dropped, kept or quarantined.
 */
final class FlawLog {

    static final String FILE_NAME = "_flaws.jsonl";

    private final Path target;
    private final Path inProgress;
    private final OutputStream out;

    FlawLog(Path target) {
        this.target = target;
        this.inProgress = AtomicFiles.inProgress(target);
        try {
            this.out = new BufferedOutputStream(Files.newOutputStream(inProgress), 1 << 16);
        } catch (IOException e) {
            throw new DatagenException("Cannot write " + target + ": " + OutputDirectory.reason(e), e);
        }
    }

    /** A flawed record written to line {@code line} (1-based) of {@code file}. */
    void written(GeneratedRecord record, String file, long line) {
        write("{\"seq\":" + record.sequence() + ",\"id\":\"" + record.id() + "\",\"flaw\":\""
                + record.flaw().label() + "\",\"file\":\"" + file + "\",\"line\":" + line + "}\n");
    }

    /** A flawed record sent to a Kafka topic. */
    void sent(GeneratedRecord record, String topic) {
        write("{\"seq\":" + record.sequence() + ",\"id\":\"" + record.id() + "\",\"flaw\":\""
                + record.flaw().label() + "\",\"topic\":\"" + topic + "\"}\n");
    }

    private void write(String line) {
        try {
            out.write(line.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new DatagenException("Cannot write " + target + ": " + OutputDirectory.reason(e), e);
        }
    }

    void publish() {
        try {
            out.close();
        } catch (IOException e) {
            throw new DatagenException("Cannot write " + target + ": " + OutputDirectory.reason(e), e);
        }
        AtomicFiles.publish(inProgress, target);
    }

    void discard() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the file is deleted next
        }
        AtomicFiles.deleteQuietly(inProgress);
    }
}
