package io.gentcp.bench.roundtrip;

import org.HdrHistogram.Histogram;

/**
 * The figures of one ping-pong run: round-trip time percentiles in nanoseconds and the rate.
 *
 * @param p50Ns              median round trip.
 * @param p90Ns              90th percentile.
 * @param p99Ns              99th percentile.
 * @param p999Ns             99.9th percentile.
 * @param maxNs              slowest round trip.
 * @param roundTripsPerSecond measured round trips over the wall time of the measured phase.
 */
public record Figures(long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs, double roundTripsPerSecond)
{
    /**
     * The figures of a histogram of round trips in nanoseconds. Each figure is the middle of
     * the histogram's bucket that holds it (HdrHistogram's own percentiles report a bucket's top,
     * up to 0.1% high), so that it compares without bias with the C reference's exact ones.
     *
     * @param histogram   the recorded round trips.
     * @param phaseNanos  the wall time of the measured phase.
     * @return the percentiles and the rate.
     */
    public static Figures of(final Histogram histogram, final long phaseNanos)
    {
        return new Figures(
            percentile(histogram, 50.0),
            percentile(histogram, 90.0),
            percentile(histogram, 99.0),
            percentile(histogram, 99.9),
            histogram.medianEquivalentValue(histogram.getMaxValue()),
            histogram.getTotalCount() * 1e9 / Math.max(phaseNanos, 1));
    }

    private static long percentile(final Histogram histogram, final double percentile)
    {
        return histogram.medianEquivalentValue(histogram.getValueAtPercentile(percentile));
    }
}
