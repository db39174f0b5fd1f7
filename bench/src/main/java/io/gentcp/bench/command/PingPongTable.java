package io.gentcp.bench.command;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

import io.gentcp.bench.HgrmFiles;
import io.gentcp.bench.Json;
import io.gentcp.bench.roundtrip.Figures;
import io.gentcp.bench.roundtrip.Measured;

/**
 * Prints one table of {@code pingpong}, as text or ({@code --json}) as one JSON object per row.
 *
 * @param run    the run, from 1; or, for the table of medians, the number of runs.
 * @param median whether this is the table of medians.
 * @param hgrm   where the rows' histograms go ({@code --hgrm}), or null.
 */
record PingPongTable(PrintStream out, boolean json, int run, boolean median, HgrmFiles hgrm)
{
    /** A line of the text output that only titles others: none in JSON. */
    void text(final String line)
    {
        if (!json)
        {
            out.println(line);
            out.flush();
        }
    }

    /** Prints row NAME, writes its histogram if asked, and keeps its figures in ROWS. */
    void row(final Map<String, Figures> rows, final String name, final Measured m, final Figures c)
        throws IOException
    {
        if (hgrm != null && m.histogram() != null)
        {
            HgrmFiles.write(hgrm.forRow(name, run), m.histogram());
        }
        rows.put(name, m.figures());
        out.println(json
            ? LatencyJson.row(run, median, name, m, c.p50Ns())
            : LatencyReport.tableRow(name, m.figures(), c.p50Ns()));
        out.flush();
    }

    /**
     * The {@code --active-floor} line: gentcp's {@code {active, once}} p50 over C waiting in
     * epoll, both ends, and gentcp's client over the C epoll client against the C echo.
     */
    void activeFloor(final Map<String, Figures> rows)
    {
        final double bothEnds = ratio(rows.get(PingPongCommand.ACTIVE), rows.get(PingPongCommand.C_EPOLL));
        final double client = ratio(rows.get(PingPongCommand.ACTIVE_CLIENT), rows.get(PingPongCommand.C_EPOLL_CLIENT));
        if (json)
        {
            out.println(Json.object().put("type", median ? "median_active_floor" : "active_floor")
                .put(median ? "runs" : "run", run)
                .number("both_ends", String.format(Locale.ROOT, "%.3f", bothEnds))
                .number("client_against_c_echo", String.format(Locale.ROOT, "%.3f", client)));
        }
        else
        {
            out.printf(Locale.ROOT, "active floor: gentcp {active,once} / C epoll p50 = %.3f both ends, " +
                "%.3f client against the C echo%n", bothEnds, client);
        }
        out.flush();
    }

    private static double ratio(final Figures f, final Figures reference)
    {
        return (double)f.p50Ns() / Math.max(reference.p50Ns(), 1);
    }
}
