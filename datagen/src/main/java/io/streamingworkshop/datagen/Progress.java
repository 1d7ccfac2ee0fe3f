package io.streamingworkshop.datagen;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Tells someone watching a long run how far it is, every few seconds; silent when there is no one to tell. */
final class Progress {

    private static final long EVERY_NANOS = 2_000_000_000L;

    private final PrintStream out;
    private final long planned;
    private final LongSupplier files;
    private final long startNanos = System.nanoTime();
    private long nextReportNanos = startNanos + EVERY_NANOS;
    private long records;

    Progress(PrintStream out, long planned, LongSupplier files) {
        this.out = out;
        this.planned = planned;
        this.files = files;
    }

    void recordWritten() {
        // Reading the clock for every record would cost more than writing it.
        if ((++records & 0x3FF) == 0 && out != null) {
            long now = System.nanoTime();
            if (now >= nextReportNanos) {
                nextReportNanos = now + EVERY_NANOS;
                double seconds = (now - startNanos) / 1e9;
                long fileCount = files.getAsLong();
                out.printf(
                        Locale.ROOT,
                        "datagen: %,d of %,d records (%d%%)%s, %,.0f records/s%n",
                        records,
                        planned,
                        records * 100 / Math.max(1, planned),
                        fileCount > 0 ? String.format(Locale.ROOT, ", %,d files", fileCount) : "",
                        records / seconds);
                out.flush();
            }
        }
    }
}
