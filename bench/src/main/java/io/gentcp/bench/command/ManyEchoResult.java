package io.gentcp.bench.command;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code manyecho}'s clients counted in one run, sent by the client JVM to the server's as
 * one line ({@link #wire}, read back by {@link #parse}), with the CPU time the server's JVM
 * spent in the run added there, and printed by {@code manyecho} as {@link #line}.
 *
 * @param clients    clients started.
 * @param done       clients that made every round trip, each echo checked byte for byte.
 * @param timedOut   clients whose connect or read waited past the read timeout (not done).
 * @param failed     clients that failed otherwise: refused, reset, closed, or a wrong echo.
 * @param roundTrips round trips completed and checked, by every client.
 * @param bytes      body bytes echoed and checked.
 * @param nanos      from starting the first client to the end of the last.
 * @param p50Ns      median round trip (0 if none completed).
 * @param p99Ns      99th percentile round trip.
 * @param maxNs      slowest round trip.
 * @param serverCpuNanos the CPU time of the server's JVM over the run (every thread: echo,
 *                   gentcp's or the JDK's poller, JIT, GC), or -1 where unknown (the client JVM's).
 */
record ManyEchoResult(int clients, int done, int timedOut, int failed, long roundTrips, long bytes, long nanos,
    long p50Ns, long p99Ns, long maxNs, long serverCpuNanos)
{
    private static final String WIRE_PREFIX = "result ";

    /** The round trips per second over the run's wall time. */
    double roundTripsPerSecond()
    {
        return roundTrips * 1e9 / Math.max(nanos, 1);
    }

    /** The client JVM's line: {@code result clients=N done=N ... max_ns=N}. */
    String wire()
    {
        return WIRE_PREFIX + "clients=" + clients + " done=" + done + " timed_out=" + timedOut + " failed=" + failed +
            " round_trips=" + roundTrips + " bytes=" + bytes + " nanos=" + nanos + " p50_ns=" + p50Ns +
            " p99_ns=" + p99Ns + " max_ns=" + maxNs;
    }

    /** Whether LINE is a {@link #wire} line. */
    static boolean isWire(final String line)
    {
        return line.startsWith(WIRE_PREFIX);
    }

    /**
     * Reads a {@link #wire} line.
     *
     * @throws IllegalArgumentException if it is not one.
     */
    static ManyEchoResult parse(final String line)
    {
        if (!isWire(line))
        {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        final Map<String, Long> values = new HashMap<>();
        for (final String pair : line.substring(WIRE_PREFIX.length()).trim().split(" "))
        {
            final int eq = pair.indexOf('=');
            if (eq <= 0)
            {
                throw new IllegalArgumentException("not a result line: " + line);
            }
            values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        try
        {
            return new ManyEchoResult(Math.toIntExact(values.get("clients")), Math.toIntExact(values.get("done")),
                Math.toIntExact(values.get("timed_out")), Math.toIntExact(values.get("failed")),
                values.get("round_trips"), values.get("bytes"), values.get("nanos"), values.get("p50_ns"),
                values.get("p99_ns"), values.get("max_ns"), -1);
        }
        catch (final NullPointerException | ArithmeticException e)
        {
            throw new IllegalArgumentException("not a result line: " + line, e);
        }
    }

    /** The same with the server JVM's CPU time over the run. */
    ManyEchoResult withServerCpu(final long cpuNanos)
    {
        return new ManyEchoResult(clients, done, timedOut, failed, roundTrips, bytes, nanos, p50Ns, p99Ns, maxNs,
            cpuNanos);
    }

    /**
     * The line {@code manyecho} prints for SERVER's run: {@code server=S clients=N done=N
     * timed_out=N failed=N round_trips=N bytes=N seconds=S rtt/s=N p50_us=X p99_us=X max_us=X
     * server_cpu_s=X} (the last {@code -} where unknown).
     */
    String line(final String server)
    {
        return "server=" + server + " clients=" + clients + " done=" + done + " timed_out=" + timedOut +
            " failed=" + failed + " round_trips=" + roundTrips + " bytes=" + bytes +
            " seconds=" + seconds(nanos) +
            " rtt/s=" + LatencyReport.rate(roundTripsPerSecond()) + " p50_us=" + LatencyReport.micros(p50Ns) +
            " p99_us=" + LatencyReport.micros(p99Ns) + " max_us=" + LatencyReport.micros(maxNs) +
            " server_cpu_s=" + seconds(serverCpuNanos);
    }

    /** NANOS as seconds with three decimals, or {@code -} if negative (unknown). */
    static String seconds(final long nanos)
    {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }
}
