package io.streamingworkshop.datagen;

import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a run to its {@link Pacing}: the n-th record (or file) waits until {@code n / rate}
 * seconds after the first. Catching up after a slow moment is allowed, running ahead is not.
 */
final class Pacer {

    private final Pacing pacing;
    private final double nanosPerUnit;
    private long startNanos;
    private long count;

    Pacer(Pacing pacing) {
        this.pacing = pacing;
        this.nanosPerUnit = pacing.isFast() ? 0 : 1e9 / pacing.perSecond();
    }

    void beforeRecord() {
        if (pacing.pacesRecords()) {
            waitForTurn();
        }
    }

    void beforeFile() {
        if (pacing.pacesFiles()) {
            waitForTurn();
        }
    }

    private void waitForTurn() {
        long now = System.nanoTime();
        if (count == 0) {
            startNanos = now;
        }
        long due = startNanos + (long) (count * nanosPerUnit);
        count++;
        while (now < due) {
            LockSupport.parkNanos(due - now);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new DatagenException("Interrupted while pacing the output");
            }
            now = System.nanoTime();
        }
    }
}
