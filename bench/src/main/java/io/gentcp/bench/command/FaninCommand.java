package io.gentcp.bench.command;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import io.gentcp.bench.Flags;
import io.gentcp.bench.Placement;
import io.gentcp.bench.UsageException;
import io.gentcp.bench.fanin.FaninServer;
import io.gentcp.bench.fanin.LoadGenerator;
import io.gentcp.bench.fanin.ServerProcess;
import io.gentcp.bench.roundtrip.VirtualThreads;

/**
 * {@code fanin --connections N [--seconds S] [--inflight K] [--rounds R] [--warmup-seconds W]
 * [--cpus S,C] [--servers list]}: one-process servers serving N {@code {packet, 4}} echo
 * connections, side by side. Every chosen server starts once, in a process of its own
 * ({@link ServerProcess}: the Java ones in a child JVM, {@link FaninServer}; {@code c-epoll} is
 * {@code fanin_echo}); then each round runs the C load generator ({@link LoadGenerator},
 * {@code fanin_load}) against every server in turn: W seconds of warm-up, S measured, K
 * requests in flight per connection, every echo checked, and the server process's CPU time
 * over the window. Prints a line per run as it ends, each
 * server's medians, and last the comparison line of gentcp's best mailbox server (by median
 * CPU per round trip) with netty-epoll and c-epoll. Linux only (the C programs use epoll).
 */
public final class FaninCommand
{
    public static final Set<String> FLAGS = Set.of("--connections", "--seconds", "--inflight", "--rounds",
        "--warmup-seconds", "--cpus", "--servers", "--json");
    /** Every server, in the order they run. */
    static final List<String> SERVERS = List.of("gentcp-once", "gentcp-n", "gentcp-n-delay", "gentcp-virtual",
        "netty-epoll", "nio", "c-epoll");
    static final List<String> GENTCP_MAILBOX = List.of("gentcp-once", "gentcp-n", "gentcp-n-delay");
    /** As many connections as a fanin server's listen queue may hold. */
    static final int MAX_CONNECTIONS = FaninServer.MAX_BACKLOG;
    static final int MAX_SECONDS = 3600;
    static final int MAX_INFLIGHT = 1024;
    static final int MAX_ROUNDS = 100;

    private FaninCommand()
    {
    }

    /** The settings of one invocation. */
    record Settings(int connections, int seconds, int inflight, int rounds, int warmupSeconds, Placement placement,
        List<String> servers)
    {
    }

    static Settings settings(final Flags flags)
    {
        final String list = flags.optional("--servers");
        final List<String> servers;
        if (list == null)
        {
            servers = SERVERS;
        }
        else
        {
            final Set<String> chosen = new LinkedHashSet<>();
            for (final String name : list.split(",", -1))
            {
                if (!SERVERS.contains(name.trim()) || !chosen.add(name.trim()))
                {
                    throw new UsageException("fanin: --servers must be distinct names among " +
                        String.join(",", SERVERS) + ", was '" + list + "'");
                }
            }
            servers = SERVERS.stream().filter(chosen::contains).toList();
        }
        return new Settings(
            flags.intValue("--connections", 1000, 1, MAX_CONNECTIONS),
            flags.intValue("--seconds", 5, 1, MAX_SECONDS),
            flags.intValue("--inflight", 1, 1, MAX_INFLIGHT),
            flags.intValue("--rounds", 3, 1, MAX_ROUNDS),
            flags.intValue("--warmup-seconds", 2, 0, MAX_SECONDS),
            Placement.onThisMachine(flags.optional("--cpus")),
            servers);
    }

    public static void run(final Flags flags, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException
    {
        final Settings settings = settings(flags);
        final boolean json = flags.isSet("--json");
        final LoadGenerator.Load load = new LoadGenerator.Load(settings.connections(), settings.inflight(),
            settings.seconds(), settings.warmupSeconds(), settings.placement());
        final Map<String, ServerProcess> running = new LinkedHashMap<>();
        final Map<String, List<FaninResult>> results = new LinkedHashMap<>();
        final List<String> failures = new ArrayList<>();
        try (LoadGenerator generator = LoadGenerator.extract())
        {
            out.println(json ? FaninJson.settings(settings) : settingsLine(settings));
            for (final String name : settings.servers())
            {
                final ServerProcess server = ServerProcess.start(name, settings.connections());
                if (server == null)
                {
                    out.println(json
                        ? FaninJson.skipped(name, VirtualThreads.unavailable("it"))
                        : "skipped server=" + name + ": " + VirtualThreads.unavailable("it"));
                }
                else
                {
                    running.put(name, server);
                    results.put(name, new ArrayList<>());
                    out.println(json
                        ? FaninJson.server(name, server.pid(), server.port())
                        : "server=" + name + " pid=" + server.pid() + " port=" + server.port());
                }
                out.flush();
            }
            for (int round = 1; round <= settings.rounds(); round++)
            {
                for (final ServerProcess server : running.values())
                {
                    if (failures.stream().anyMatch(f -> f.startsWith(server.name() + ":")))
                    {
                        continue; // it failed before: its later rounds would tell nothing new
                    }
                    try
                    {
                        final FaninResult result = parse(generator.run(server, load, err));
                        results.get(server.name()).add(result);
                        out.println(json
                            ? FaninJson.round(round, server.name(), result)
                            : "round=" + round + " server=" + server.name() + " " + result.line());
                    }
                    catch (final IOException e)
                    {
                        failures.add(server.name() + ": round " + round + ": " + e.getMessage());
                        out.println(json
                            ? FaninJson.failed(round, server.name(), e.getMessage())
                            : "round=" + round + " server=" + server.name() + " failed: " + e.getMessage());
                    }
                    out.flush();
                }
            }
            for (final Map.Entry<String, List<FaninResult>> e : results.entrySet())
            {
                if (!e.getValue().isEmpty())
                {
                    out.println(json
                        ? FaninJson.median(e.getKey(), e.getValue())
                        : medianLine(e.getKey(), e.getValue()));
                }
            }
            for (final String line : json
                ? FaninJson.comparison(compare(results), settings.connections())
                : comparison(results, settings.connections()))
            {
                out.println(line);
            }
            out.flush();
        }
        finally
        {
            for (final ServerProcess server : running.values())
            {
                server.close();
            }
        }
        if (!failures.isEmpty())
        {
            throw new IOException(String.join("; ", failures));
        }
    }

    /** {@code fanin connections=N seconds=S inflight=K rounds=R warmup_seconds=W cpus=S,C|any java=V}. */
    private static String settingsLine(final Settings settings)
    {
        return "fanin connections=" + settings.connections() + " seconds=" + settings.seconds() +
            " inflight=" + settings.inflight() + " rounds=" + settings.rounds() + " warmup_seconds=" +
            settings.warmupSeconds() + " cpus=" + (settings.placement().equals(Placement.ANY)
                ? "any"
                : settings.placement().serverCpu() + "," + settings.placement().clientCpu()) + " java=" +
            System.getProperty("java.version");
    }

    /** fanin_load's OUTPUT as a result; a line it cannot read is an IOException, as a failed run is. */
    private static FaninResult parse(final String output) throws IOException
    {
        try
        {
            return FaninResult.parse(output);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** {@code median server=S msg/s=N p50_us=X p99_us=X p99.9_us=X cpu_us/rt=X user_us/rt=X}. */
    static String medianLine(final String server, final List<FaninResult> runs)
    {
        return "median server=" + server + " " + FaninResult.figures(-1, medians(runs));
    }

    /** Each figure's median over RUNS, as a result of -1 connections and -1 round trips. */
    static double[] medians(final List<FaninResult> runs)
    {
        return new double[] {median(runs, FaninResult::msgPerS), median(runs, r -> r.p50Ns()),
            median(runs, r -> r.p99Ns()), median(runs, r -> r.p999Ns()),
            median(runs, FaninResult::cpuMicrosPerRoundTrip), median(runs, FaninResult::userMicrosPerRoundTrip)};
    }

    private static double median(final List<FaninResult> runs, final ToDoubleFunction<FaninResult> f)
    {
        return ThroughputCommand.median(runs.stream().mapToDouble(f).toArray());
    }

    /**
     * The last lines: which gentcp mailbox server has the lowest median CPU per round trip, then
     * {@code fanin: gentcp/netty msg/s = X, cpu/rt gentcp/netty = Y, gentcp/c = Z at N connections}
     * and the same CPU ratios of the user part alone, {@code fanin user part: cpu/rt gentcp/netty
     * = Y, gentcp/c = Z} ({@code n/a} for a ratio whose server did not run).
     */
    static List<String> comparison(final Map<String, List<FaninResult>> results, final int connections)
    {
        final Comparison c = compare(results);
        return List.of(
            "best gentcp mailbox server by median cpu/rt: " + (c.best() == null ? "none ran" : c.best()),
            "fanin: gentcp/netty msg/s = " + c.msgPerSNetty() + ", cpu/rt gentcp/netty = " + c.cpuNetty() +
                ", gentcp/c = " + c.cpuC() + " at " + connections + " connections",
            "fanin user part: cpu/rt gentcp/netty = " + c.userNetty() + ", gentcp/c = " + c.userC());
    }

    /**
     * The figures of the last lines: the best gentcp mailbox server (null if none ran) and its
     * ratios of medians, each with two decimals or {@code n/a}.
     */
    record Comparison(String best, String msgPerSNetty, String cpuNetty, String cpuC, String userNetty, String userC)
    {
    }

    /** The best gentcp mailbox server by median CPU per round trip, and its ratios to netty-epoll and c-epoll. */
    static Comparison compare(final Map<String, List<FaninResult>> results)
    {
        String best = null;
        for (final String name : GENTCP_MAILBOX)
        {
            final List<FaninResult> runs = results.get(name);
            if (runs != null && !runs.isEmpty() && (best == null ||
                median(runs, FaninResult::cpuMicrosPerRoundTrip) <
                median(results.get(best), FaninResult::cpuMicrosPerRoundTrip)))
            {
                best = name;
            }
        }
        final List<FaninResult> gentcp = best == null ? List.of() : results.get(best);
        final List<FaninResult> netty = results.getOrDefault("netty-epoll", List.of());
        final List<FaninResult> c = results.getOrDefault("c-epoll", List.of());
        return new Comparison(best, ratio(gentcp, netty, FaninResult::msgPerS),
            ratio(gentcp, netty, FaninResult::cpuMicrosPerRoundTrip),
            ratio(gentcp, c, FaninResult::cpuMicrosPerRoundTrip),
            ratio(gentcp, netty, FaninResult::userMicrosPerRoundTrip),
            ratio(gentcp, c, FaninResult::userMicrosPerRoundTrip));
    }

    private static String ratio(final List<FaninResult> a, final List<FaninResult> b,
        final ToDoubleFunction<FaninResult> f)
    {
        if (a.isEmpty() || b.isEmpty())
        {
            return "n/a";
        }
        // a short run can measure no CPU tick at all (a user part of 0): no ratio, rather than Infinity
        final double ratio = median(a, f) / median(b, f);
        return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f", ratio) : "n/a";
    }
}
