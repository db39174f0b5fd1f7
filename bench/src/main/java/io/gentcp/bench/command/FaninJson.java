package io.gentcp.bench.command;

import java.util.List;
import java.util.Locale;

import io.gentcp.bench.Json;
import io.gentcp.bench.Placement;

/**
 * {@code fanin --json}: one JSON object for each line fanin prints, with the same figures
 * formatted alike ({@code null} where the text says NaN or n/a). Latencies come from fanin_load's
 * own log-linear histogram, which reports p50, p99 and p99.9 only; {@code count} is the round
 * trips the run measured.
 */
final class FaninJson
{
    private FaninJson()
    {
    }

    /** The first line: the settings. */
    static String settings(final FaninCommand.Settings settings)
    {
        final Placement p = settings.placement();
        return Json.object().put("type", "settings").put("connections", settings.connections())
            .put("seconds", settings.seconds()).put("inflight", settings.inflight()).put("rounds", settings.rounds())
            .put("warmup_seconds", settings.warmupSeconds())
            .put("cpus", p.equals(Placement.ANY) ? "any" : p.serverCpu() + "," + p.clientCpu())
            .put("java", System.getProperty("java.version")).toString();
    }

    /** A server started: {@code server=S pid=N port=N}. */
    static String server(final String name, final long pid, final int port)
    {
        return Json.object().put("type", "server").put("server", name).put("pid", pid).put("port", port).toString();
    }

    /** A server this JDK cannot run. */
    static String skipped(final String name, final String why)
    {
        return Json.object().put("type", "skipped").put("server", name).put("reason", why).toString();
    }

    /** One run: {@code round=R server=S connections=N msg/s=N ...}. */
    static String round(final int round, final String server, final FaninResult r)
    {
        final Json o = Json.object().put("type", "round").put("round", round).put("server", server)
            .put("connections", r.connections());
        return figures(o, new double[] {r.msgPerS(), r.p50Ns(), r.p99Ns(), r.p999Ns(), r.cpuMicrosPerRoundTrip(),
            r.userMicrosPerRoundTrip()}).put("count", r.msgs()).toString();
    }

    /** A run that failed. */
    static String failed(final int round, final String server, final String why)
    {
        return Json.object().put("type", "failed").put("round", round).put("server", server).put("reason", why)
            .toString();
    }

    /** A server's medians over its runs. */
    static String median(final String server, final List<FaninResult> runs)
    {
        final Json o = Json.object().put("type", "median").put("server", server).put("runs", runs.size());
        return figures(o, FaninCommand.medians(runs)).toString();
    }

    /** The last three lines, as three objects. */
    static List<String> comparison(final FaninCommand.Comparison c, final int connections)
    {
        return List.of(
            Json.object().put("type", "best").put("server", c.best()).toString(),
            Json.object().put("type", "comparison").number("gentcp_netty_msg_per_s", ratio(c.msgPerSNetty()))
                .number("gentcp_netty_cpu_us_per_rt", ratio(c.cpuNetty()))
                .number("gentcp_c_cpu_us_per_rt", ratio(c.cpuC())).put("connections", connections).toString(),
            Json.object().put("type", "user_part").number("gentcp_netty_user_us_per_rt", ratio(c.userNetty()))
                .number("gentcp_c_user_us_per_rt", ratio(c.userC())).toString());
    }

    private static String ratio(final String text)
    {
        return "n/a".equals(text) ? null : text;
    }

    /** {@code msg_per_s p50_us p99_us p99.9_us cpu_us_per_rt user_us_per_rt}, formatted as the text line. */
    private static Json figures(final Json o, final double[] f)
    {
        return o.number("msg_per_s", LatencyReport.rate(f[0]))
            .number("p50_us", LatencyReport.micros(Math.round(f[1])))
            .number("p99_us", LatencyReport.micros(Math.round(f[2])))
            .number("p99.9_us", LatencyReport.micros(Math.round(f[3])))
            .number("cpu_us_per_rt", twoDecimals(f[4]))
            .number("user_us_per_rt", twoDecimals(f[5]));
    }

    private static String twoDecimals(final double value)
    {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : null;
    }
}
