package io.streamingworkshop.datagen;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The thread that writes a {@link FileSink}'s files: it takes chunks of lines in order, appends
 * them to the current file's hidden {@code .part-NNNNN.json.inprogress}, and renames the file into
 * place after its last chunk. The queues between the two threads are short, so memory stays
 * bounded (a few chunks) and a slow disk slows the generator down instead of piling up.
 * A failure here is reported to the generating thread on its next hand-over.
 */
final class FileWriterThread {

    private static final int QUEUED_CHUNKS = 4;

    /** A chunk of complete lines for file {@code fileIndex}; the last one of a file publishes it. */
    private static final class Piece {
        final long fileIndex;
        final byte[] bytes;
        final int length;
        final boolean lastOfFile;
        final boolean end;

        Piece(long fileIndex, byte[] bytes, int length, boolean lastOfFile, boolean end) {
            this.fileIndex = fileIndex;
            this.bytes = bytes;
            this.length = length;
            this.lastOfFile = lastOfFile;
            this.end = end;
        }
    }

    private final Path dir;
    private final Pacer pacer;
    private final BlockingQueue<Piece> pieces = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private final BlockingQueue<byte[]> emptyChunks = new ArrayBlockingQueue<>(QUEUED_CHUNKS + 2);
    private final AtomicLong published = new AtomicLong();
    private final Thread thread;
    private volatile RuntimeException failure;
    private volatile boolean discard;
    private OutputStream out;
    private Path inProgress;

    FileWriterThread(Path dir, String streamName, Pacer pacer, int chunkBytes) {
        this.dir = dir;
        this.pacer = pacer;
        for (int i = 0; i < QUEUED_CHUNKS + 2; i++) {
            emptyChunks.add(new byte[chunkBytes]);
        }
        this.thread = new Thread(this::run, "datagen-files-" + streamName);
        thread.setDaemon(true);
        thread.start();
    }

    /** A chunk to fill: one the writer is done with (waits while all of them are queued or being written). */
    byte[] emptyChunk() {
        return take(emptyChunks);
    }

    void write(long fileIndex, byte[] chunk, int length, boolean lastOfFile) {
        checkFailure();
        put(new Piece(fileIndex, chunk, length, lastOfFile, false));
    }

    /** Writes what is queued, then stops; throws what went wrong, if anything did. */
    void finish() {
        put(new Piece(0, null, 0, false, true));
        join();
        checkFailure();
    }

    /** Stops without publishing the file in progress, which is deleted. */
    void abort() {
        discard = true;
        pieces.clear();
        pieces.offer(new Piece(0, null, 0, false, true));
        join();
    }

    /** Files renamed into place so far. */
    long published() {
        return published.get();
    }

    private void run() {
        while (true) {
            Piece piece = take(pieces);
            if (piece.end) {
                closeQuietly(discard || failure != null);
                return;
            }
            if (failure == null && !discard) {
                try {
                    write(piece);
                } catch (RuntimeException e) {
                    failure = e;
                    closeQuietly(true);
                }
            }
            emptyChunks.offer(piece.bytes);
        }
    }

    private void write(Piece piece) {
        Path target = dir.resolve(FileSink.fileName(piece.fileIndex));
        try {
            if (out == null) {
                inProgress = AtomicFiles.inProgress(target);
                out = Files.newOutputStream(inProgress, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            out.write(piece.bytes, 0, piece.length);
            if (piece.lastOfFile) {
                out.close();
                out = null;
            }
        } catch (IOException e) {
            throw new DatagenException("Cannot write " + target + ": " + OutputDirectory.reason(e), e);
        }
        if (piece.lastOfFile) {
            pacer.beforeFile();
            AtomicFiles.publish(inProgress, target);
            published.incrementAndGet();
        }
    }

    private void closeQuietly(boolean delete) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // deleted next, or reported already
            }
            out = null;
        }
        if (delete && inProgress != null) {
            AtomicFiles.deleteQuietly(inProgress);
        }
    }

    private void checkFailure() {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatagenException("Interrupted while waiting for the files to be written");
        }
    }

    private void put(Piece piece) {
        try {
            pieces.put(piece);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatagenException("Interrupted while writing files to " + dir);
        }
    }

    private static <T> T take(BlockingQueue<T> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatagenException("Interrupted while writing files");
        }
    }
}
