package io.gentcp.bench.roundtrip;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Times round trips into a histogram: the first {@code warmup} are run and not kept, the next
 * {@code count} are recorded in nanoseconds (3 significant digits). One loop does both phases,
 * so the code that is measured is the code that was warmed up. Nothing is allocated in it.
 */
public final class RoundTripSampler
{
    /** Longer round trips are recorded as this, so the histogram never resizes. */
    public static final long HIGHEST_NS = TimeUnit.MINUTES.toNanos(10);

    private RoundTripSampler()
    {
    }

    /**
     * Runs the workload's round trips.
     *
     * @param roundTrip the client.
     * @param warmup    round trips before measuring.
     * @param count     measured round trips.
     * @return the figures of the measured round trips.
     * @throws IOException if the connection fails.
     */
    static Figures run(final RoundTrip roundTrip, final int warmup, final int count) throws IOException
    {
        return sample(roundTrip, warmup, count).figures();
    }

    /**
     * Runs the workload's round trips, as {@link #run} does, keeping the histogram.
     *
     * @param roundTrip the client.
     * @param warmup    round trips before measuring.
     * @param count     measured round trips.
     * @return the figures of the measured round trips and their histogram.
     * @throws IOException if the connection fails.
     */
    public static Measured sample(final RoundTrip roundTrip, final int warmup, final int count) throws IOException
    {
        final Histogram histogram = new Histogram(1, HIGHEST_NS, 3);
        final int total = warmup + count;
        long phaseStart = 0;
        long phaseEnd = 0;
        for (int i = 0; i < total; i++)
        {
            final long t0 = System.nanoTime();
            roundTrip.roundTrip(i);
            final long t1 = System.nanoTime();
            if (i >= warmup)
            {
                histogram.recordValue(Math.min(Math.max(t1 - t0, 1), HIGHEST_NS));
                if (i == warmup)
                {
                    phaseStart = t0;
                }
                phaseEnd = t1;
            }
        }
        return Measured.of(histogram, phaseEnd - phaseStart);
    }
}
