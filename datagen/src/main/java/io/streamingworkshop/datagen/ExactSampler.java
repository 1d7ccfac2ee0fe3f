package io.streamingworkshop.datagen;

/**
 * Deals {@code counts[k]} items of each category among {@code total} items, one item at a time,
 * so that the counts come out exact (not just on average) and the chosen items are spread at
 * random over the whole run: sequential sampling without replacement (Knuth's "selection
 * sampling", for several categories at once).
 */
final class ExactSampler {

    /** Returned by {@link #next} for an item in no category. */
    static final int NONE = -1;

    private final long[] left;
    private long remaining;

    ExactSampler(long total, long... counts) {
        long sum = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count " + c);
            }
            sum += c;
        }
        if (sum > total) {
            throw new IllegalArgumentException("counts " + sum + " exceed the total " + total);
        }
        this.left = counts.clone();
        this.remaining = total;
    }

    /**
     * Splits {@code total} by fractions whose sum is at most 1, rounding cumulatively so that
     * each count is within one of {@code fraction * total} and the counts never add up to more than the total.
     */
    static long[] apportion(long total, double... fractions) {
        long[] counts = new long[fractions.length];
        double cumulative = 0;
        long assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            cumulative += fractions[i];
            long upTo = Math.min(total, Math.round(cumulative * total));
            counts[i] = Math.max(0, upTo - assigned);
            assigned += counts[i];
        }
        return counts;
    }

    /** The category of the next item, or {@link #NONE}. */
    int next(SeededRandom random) {
        if (remaining <= 0) {
            throw new IllegalStateException("more items drawn than the total");
        }
        long u = random.nextLong(remaining);
        remaining--;
        for (int k = 0; k < left.length; k++) {
            if (u < left[k]) {
                left[k]--;
                return k;
            }
            u -= left[k];
        }
        return NONE;
    }
}
