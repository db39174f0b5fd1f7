package io.gentcp.bench.command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

import io.gentcp.bench.roundtrip.Figures;
import io.gentcp.bench.roundtrip.KernelSplit;

/**
 * Prints {@link Figures}: as the lines of {@code ping}, and as the table of {@code pingpong}.
 * Times are in microseconds with one decimal; rates are whole round trips per second.
 */
final class LatencyReport
{
    /** The header of the {@code pingpong} table. */
    static final String TABLE_HEADER = row("impl", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us",
        "rtt/s", "vs C p50");

    private LatencyReport()
    {
    }

    /**
     * The lines {@code ping} prints.
     *
     * @param figures the run's figures.
     * @return {@code p50 X us}, {@code p90 X us}, {@code p99 X us}, {@code p99.9 X us},
     *         {@code max X us} and {@code round trips/s N}.
     */
    static List<String> lines(final Figures figures)
    {
        return List.of(
            "p50 " + micros(figures.p50Ns()) + " us",
            "p90 " + micros(figures.p90Ns()) + " us",
            "p99 " + micros(figures.p99Ns()) + " us",
            "p99.9 " + micros(figures.p999Ns()) + " us",
            "max " + micros(figures.maxNs()) + " us",
            "round trips/s " + rate(figures.roundTripsPerSecond()));
    }

    /**
     * Prints {@link #lines} and flushes.
     *
     * @param out     where to.
     * @param figures the run's figures.
     */
    static void print(final PrintStream out, final Figures figures)
    {
        for (final String line : lines(figures))
        {
            out.println(line);
        }
        out.flush();
    }

    /**
     * The lines {@code ping --timestamps} prints after {@link #lines}.
     *
     * @param split the run's split.
     * @param count the round trips counted.
     * @return {@code timestamps: N of COUNT round trips stamped ...}, a line per part
     *         ({@code send p50 X us p99 Y us ...}), and what one side cannot see.
     */
    static List<String> splitLines(final KernelSplit split, final int count)
    {
        final Histogram[] h = split.histograms();
        final String[] what = {"user's send to the request leaving the stack",
            "request leaving the stack to the peer's acknowledgement",
            "request leaving the stack to the reply in the kernel: the wire both ways and the peer",
            "reply in the kernel to the user's receive returning"};
        final List<String> lines = new ArrayList<>();
        lines.add("timestamps: " + split.complete() + " of " + count +
            " round trips stamped by the client's kernel (software clock)");
        for (int i = 0; i < h.length; i++)
        {
            lines.add(KernelSplit.PARTS[i] + " p50 " + micros(h[i].getValueAtPercentile(50)) + " us p99 " +
                micros(h[i].getValueAtPercentile(99)) + " us (" + what[i] + ")");
        }
        lines.add("the peer's own time is inside reply: one side cannot tell it from the wire's");
        return lines;
    }

    /**
     * Prints {@link #splitLines} and flushes.
     *
     * @param out   where to.
     * @param split the run's split.
     * @param count the round trips counted.
     */
    static void printSplit(final PrintStream out, final KernelSplit split, final int count)
    {
        for (final String line : splitLines(split, count))
        {
            out.println(line);
        }
        out.flush();
    }

    /**
     * One row of the {@code pingpong} table.
     *
     * @param name       the implementation.
     * @param figures    its figures.
     * @param referenceP50Ns the C reference's p50, the denominator of the last column.
     * @return the row, aligned under {@link #TABLE_HEADER}.
     */
    static String tableRow(final String name, final Figures figures, final long referenceP50Ns)
    {
        final String ratio = ratio(figures, referenceP50Ns);
        return row(name, micros(figures.p50Ns()), micros(figures.p90Ns()), micros(figures.p99Ns()),
            micros(figures.p999Ns()), micros(figures.maxNs()), rate(figures.roundTripsPerSecond()),
            ratio == null ? "-" : ratio);
    }

    /** The last column of a row: its p50 over REFERENCE_P50_NS with two decimals, or null when that is 0. */
    static String ratio(final Figures figures, final long referenceP50Ns)
    {
        return referenceP50Ns > 0 ? String.format(Locale.ROOT, "%.2f", (double)figures.p50Ns() / referenceP50Ns) : null;
    }

    /** Nanoseconds as microseconds with one decimal. */
    static String micros(final long nanos)
    {
        return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
    }

    /** A rate as a whole number. */
    static String rate(final double perSecond)
    {
        return Long.toString(Math.round(perSecond));
    }

    private static String row(final String name, final String p50, final String p90, final String p99,
        final String p999, final String max, final String rate, final String ratio)
    {
        return String.format(Locale.ROOT, "%-22s%6s%9s%9s%10s%9s%11s%10s", name, p50, p90, p99, p999, max, rate, ratio);
    }
}
