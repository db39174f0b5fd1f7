package io.gentcp.bench.roundtrip;

import org.HdrHistogram.Histogram;

/**
 * One latency result: its {@link Figures}, and where it was sampled in this JVM the
 * HdrHistogram of its round trips in nanoseconds, for what the figures leave out
 * ({@code --json}'s p99.99 and count, {@code --hgrm}'s whole distribution). The C reference
 * and a row of medians have no histogram.
 *
 * @param figures   the percentiles and the rate.
 * @param histogram the recorded round trips, or null.
 * @param count     the round trips measured, or -1 when not known (a row of medians).
 */
public record Measured(Figures figures, Histogram histogram, long count)
{
    /** What a histogram of round trips over a measured phase of PHASE_NANOS says. */
    static Measured of(final Histogram histogram, final long phaseNanos)
    {
        return new Measured(Figures.of(histogram, phaseNanos), histogram, histogram.getTotalCount());
    }

    /** Figures measured elsewhere (the C reference), over COUNT round trips. */
    public static Measured without(final Figures figures, final long count)
    {
        return new Measured(figures, null, count);
    }

    /**
     * The 99.99th percentile in nanoseconds, taken as {@link Figures#of} takes the others (the
     * middle of its bucket), or -1 without a histogram.
     */
    public long p9999Ns()
    {
        return histogram == null ? -1 : histogram.medianEquivalentValue(histogram.getValueAtPercentile(99.99));
    }
}
