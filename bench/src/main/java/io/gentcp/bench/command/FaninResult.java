package io.gentcp.bench.command;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one fanin_load run measured, from its one line
 * {@code msgs=.. seconds=.. msg_per_s=.. p50_ns=.. p99_ns=.. p999_ns=.. server_cpu_ns=.. server_user_ns=..
 * server_sys_ns=.. connections=.. errors=0}.
 *
 * @param msgs        round trips that ended in the measured window.
 * @param msgPerS     msgs over the window's seconds.
 * @param p50Ns       latency percentiles in nanoseconds.
 * @param p99Ns       ...
 * @param p999Ns      ...
 * @param serverCpuNs the server process's user + system CPU time over the window.
 * @param serverUserNs its user part: what the server's own code costs (the system part is the
 *                    kernel's work for its system calls, much of it the same whoever makes them).
 * @param connections how many connections the load kept busy.
 */
record FaninResult(long msgs, double msgPerS, long p50Ns, long p99Ns, long p999Ns, long serverCpuNs, long serverUserNs,
    int connections)
{
    private static final List<String> KEYS = List.of("msgs", "seconds", "msg_per_s", "p50_ns", "p99_ns", "p999_ns",
        "server_cpu_ns", "server_user_ns", "server_sys_ns", "connections", "errors");

    /**
     * Parses fanin_load's line.
     *
     * @throws IllegalArgumentException naming what is wrong with it.
     */
    static FaninResult parse(final String line)
    {
        final Map<String, String> fields = new HashMap<>();
        for (final String part : line.trim().split(" "))
        {
            final int eq = part.indexOf('=');
            if (eq <= 0 || fields.put(part.substring(0, eq), part.substring(eq + 1)) != null)
            {
                throw new IllegalArgumentException("fanin_load: cannot read its line: '" + line + "'");
            }
        }
        if (!fields.keySet().equals(new java.util.HashSet<>(KEYS)) || !"0".equals(fields.get("errors")))
        {
            throw new IllegalArgumentException("fanin_load: unexpected line: '" + line + "'");
        }
        try
        {
            return new FaninResult(Long.parseLong(fields.get("msgs")), Double.parseDouble(fields.get("msg_per_s")),
                Long.parseLong(fields.get("p50_ns")), Long.parseLong(fields.get("p99_ns")),
                Long.parseLong(fields.get("p999_ns")), Long.parseLong(fields.get("server_cpu_ns")),
                Long.parseLong(fields.get("server_user_ns")),
                Integer.parseInt(fields.get("connections")));
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("fanin_load: a field is not a number: '" + line + "'", e);
        }
    }

    /** The server's CPU time per round trip in microseconds. */
    double cpuMicrosPerRoundTrip()
    {
        return msgs == 0 ? Double.NaN : serverCpuNs / (double)msgs / 1000.0;
    }

    /** The user part of {@link #cpuMicrosPerRoundTrip}. */
    double userMicrosPerRoundTrip()
    {
        return msgs == 0 ? Double.NaN : serverUserNs / (double)msgs / 1000.0;
    }

    /**
     * {@code connections=N msg/s=N p50_us=X p99_us=X p99.9_us=X cpu_us/rt=X user_us/rt=X}, after
     * the round and server.
     */
    String line()
    {
        return figures(connections, msgPerS, p50Ns, p99Ns, p999Ns, cpuMicrosPerRoundTrip(), userMicrosPerRoundTrip());
    }

    /** The figures of a server's medians ({@link FaninCommand#medians}), as fanin prints them. */
    static String figures(final int connections, final double[] medians)
    {
        return figures(connections, medians[0], medians[1], medians[2], medians[3], medians[4], medians[5]);
    }

    /** The figures of one run or of a server's medians, as fanin prints them. */
    static String figures(final int connections, final double msgPerS, final double p50Ns, final double p99Ns,
        final double p999Ns, final double cpuMicrosPerRoundTrip, final double userMicrosPerRoundTrip)
    {
        return (connections >= 0 ? "connections=" + connections + " " : "") + "msg/s=" + LatencyReport.rate(msgPerS) +
            " p50_us=" + LatencyReport.micros(Math.round(p50Ns)) + " p99_us=" +
            LatencyReport.micros(Math.round(p99Ns)) + " p99.9_us=" + LatencyReport.micros(Math.round(p999Ns)) +
            " cpu_us/rt=" + String.format(Locale.ROOT, "%.2f", cpuMicrosPerRoundTrip) +
            " user_us/rt=" + String.format(Locale.ROOT, "%.2f", userMicrosPerRoundTrip);
    }
}
