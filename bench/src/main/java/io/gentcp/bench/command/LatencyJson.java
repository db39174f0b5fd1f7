package io.gentcp.bench.command;

import org.HdrHistogram.Histogram;

import io.gentcp.bench.Json;
import io.gentcp.bench.roundtrip.Figures;
import io.gentcp.bench.roundtrip.KernelSplit;
import io.gentcp.bench.roundtrip.Measured;

/**
 * The {@code --json} objects of {@code ping} and {@code pingpong}: each holds the figures of
 * the text line it stands for, formatted alike ({@link LatencyReport#micros}: microseconds with
 * one decimal, rates whole), under keys that name their unit, and what only a histogram can tell:
 * {@code p99.99_us} and {@code count} (null for a row without one, see {@link Measured}).
 */
final class LatencyJson
{
    private LatencyJson()
    {
    }

    /** Adds M's figures to O: {@code p50_us p90_us p99_us p99.9_us p99.99_us max_us count round_trips_per_s}. */
    static Json figures(final Json o, final Measured m)
    {
        final Figures f = m.figures();
        return o.number("p50_us", LatencyReport.micros(f.p50Ns()))
            .number("p90_us", LatencyReport.micros(f.p90Ns()))
            .number("p99_us", LatencyReport.micros(f.p99Ns()))
            .number("p99.9_us", LatencyReport.micros(f.p999Ns()))
            .number("p99.99_us", m.p9999Ns() < 0 ? null : LatencyReport.micros(m.p9999Ns()))
            .number("max_us", LatencyReport.micros(f.maxNs()))
            .number("count", m.count() < 0 ? null : Long.toString(m.count()))
            .number("round_trips_per_s", LatencyReport.rate(f.roundTripsPerSecond()));
    }

    /** {@code ping}'s one object, for its six lines: {@code {"type":"ping", ...figures}}. */
    static String ping(final Measured m)
    {
        return figures(Json.object().put("type", "ping"), m).toString();
    }

    /**
     * {@code ping --timestamps}' object: {@link #ping}'s, with {@code stamped} (the round trips
     * that have every stamp) and {@code <part>_p50_us}, {@code <part>_p99_us} for each of
     * {@link KernelSplit#PARTS}.
     */
    static String ping(final Measured m, final KernelSplit split)
    {
        final Json o = figures(Json.object().put("type", "ping"), m).put("stamped", split.complete());
        final Histogram[] h = split.histograms();
        for (int i = 0; i < h.length; i++)
        {
            o.number(KernelSplit.PARTS[i] + "_p50_us", LatencyReport.micros(h[i].getValueAtPercentile(50)))
                .number(KernelSplit.PARTS[i] + "_p99_us", LatencyReport.micros(h[i].getValueAtPercentile(99)));
        }
        return o.toString();
    }

    /**
     * One row of a {@code pingpong} table: {@code {"type":"row","run":R,"impl":NAME, ...figures,
     * "vs_c_p50":X}}, or for the table of medians {@code {"type":"median","runs":R, ...}}.
     *
     * @param run       the run, from 1; or, when MEDIAN, the number of runs.
     * @param median    whether this is a row of medians.
     */
    static String row(final int run, final boolean median, final String impl, final Measured m,
        final long referenceP50Ns)
    {
        final Json o = Json.object().put("type", median ? "median" : "row").put(median ? "runs" : "run", run)
            .put("impl", impl);
        return figures(o, m).number("vs_c_p50", LatencyReport.ratio(m.figures(), referenceP50Ns)).toString();
    }
}
