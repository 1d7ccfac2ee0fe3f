package io.streamingworkshop.datagen;

/**
 * A small pseudo-random generator (SplitMix64) whose every output is defined here, not by the
 * JDK: the same seed gives the same numbers on every JVM, so generated data is byte-identical
 * across machines. Gaussian numbers use {@link StrictMath} for the same reason.
 *
 * <p>Each purpose (event contents, flaws, one catalog entry...) gets its own instance, derived
 * from the seed and a name, so that turning a flaw on does not change the events themselves.
 */
final class SeededRandom {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SeededRandom(long seed) {
        this.state = seed;
    }

    /** An independent generator for one purpose, e.g. {@code derive(seed, "iot", "flaws")}. */
    static SeededRandom derive(long seed, String... purpose) {
        long h = mix(seed ^ GOLDEN_GAMMA);
        for (String part : purpose) {
            for (int i = 0; i < part.length(); i++) {
                h = mix(h ^ part.charAt(i));
            }
            h = mix(h ^ 0xFFL);
        }
        return new SeededRandom(h);
    }

    /** An independent generator for the {@code index}-th entry of something (a user, a device). */
    static SeededRandom derive(long seed, String purpose, long index) {
        return new SeededRandom(mix(derive(seed, purpose).state ^ mix(index + GOLDEN_GAMMA)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound); bound must be positive. The bias of the modulo is below 2^-40 for our bounds. */
    long nextLong(long bound) {
        return (nextLong() >>> 1) % bound;
    }

    int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in [from, to], both inclusive. */
    int between(int from, int to) {
        return from + nextInt(to - from + 1);
    }

    boolean chance(double probability) {
        return nextDouble() < probability;
    }

    /** Standard normal (Box-Muller, one value per call so the sequence is easy to reason about). */
    double gaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log stays finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** Exponential with the given mean. */
    double exponential(double mean) {
        return -mean * StrictMath.log(1.0 - nextDouble());
    }

    /** An index in [0, n) where small indexes are more likely (density falls like 1/sqrt): a few popular items. */
    int skewed(int n) {
        double u = nextDouble();
        return (int) (u * u * n);
    }

    <T> T pick(T[] values) {
        return values[nextInt(values.length)];
    }

    /** Picks an index by weight, e.g. {@code weighted(60, 25, 15)}. */
    int weighted(int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
