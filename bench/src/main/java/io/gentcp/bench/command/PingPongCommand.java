package io.gentcp.bench.command;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.gentcp.Active;
import io.gentcp.CpuAffinity;
import io.gentcp.PacketType;
import io.gentcp.bench.Flags;
import io.gentcp.bench.HgrmFiles;
import io.gentcp.bench.Json;
import io.gentcp.bench.Placement;
import io.gentcp.bench.UsageException;
import io.gentcp.bench.reference.CEchoServer;
import io.gentcp.bench.reference.CReference;
import io.gentcp.bench.roundtrip.EchoServer;
import io.gentcp.bench.roundtrip.Figures;
import io.gentcp.bench.roundtrip.GenTcpActiveRoundTrip;
import io.gentcp.bench.roundtrip.GenTcpRoundTrip;
import io.gentcp.bench.roundtrip.GenTcpVirtualEchoServer;
import io.gentcp.bench.roundtrip.JavaNetRoundTrip;
import io.gentcp.bench.roundtrip.JavaNetVirtualEchoServer;
import io.gentcp.bench.roundtrip.Measured;
import io.gentcp.bench.roundtrip.NioEchoServer;
import io.gentcp.bench.roundtrip.NioMode;
import io.gentcp.bench.roundtrip.NioRoundTrip;
import io.gentcp.bench.roundtrip.RoundTrip;
import io.gentcp.bench.roundtrip.RoundTripSampler;
import io.gentcp.bench.roundtrip.VirtualThreads;
import io.gentcp.bench.roundtrip.Workload;

/**
 * {@code pingpong [--packet T] [--size B] [--count N] [--warmup N] [--idle I] [--cpus S,C]
 * [--threads platform|virtual|both]}: the same ping-pong over loopback done several ways, one
 * after the other, C reference first (its p50 is every row's denominator), then on platform
 * threads gentcp (passive, then {@code {active, once}}) and java.nio, each with the same
 * placement of its two ends; and on virtual threads (Java 21+) gentcp and java.net, both ends
 * of each on virtual threads, not pinned. {@code --threads} picks the platform rows (the
 * default), the virtual ones, or both. Each row is printed as its run ends.
 *
 * <p>{@code --runs R} runs the whole table R times (rows interleaved: the machine's drift
 * falls on every row alike) and then prints each row's medians.
 *
 * <p>{@code --active-floor} adds the rows that hold {@code {active, once}} to its floor, a C
 * program waiting in epoll_wait and then reading: C with both ends so, the same C client
 * against the C reference's echo, and gentcp's {@code {active, once}} client against that
 * echo; then one line with gentcp's p50 over the C epoll p50 in both set-ups.
 *
 * <p>{@code --json} prints each row as a JSON object ({@link LatencyJson#row}); {@code --hgrm
 * FILE} writes the percentile distribution of each row sampled in this JVM ({@link HgrmFiles}).
 */
public final class PingPongCommand
{
    public static final Set<String> FLAGS = Set.of("--packet", "--size", "--count", "--warmup", "--idle", "--cpus",
        "--threads", "--active-floor", "--runs", "--json", "--hgrm");

    /** The labels of the {@code {active, once}} rows and of their C floor ({@code --active-floor}). */
    static final String ACTIVE = "gentcp {active,once}";
    static final String C_EPOLL = "C epoll";
    static final String C_EPOLL_CLIENT = "C epoll vs C echo";
    static final String ACTIVE_CLIENT = "gentcp once vs C echo";
    /** The label of gentcp's row on virtual threads. */
    static final String GENTCP_VIRTUAL = "gentcp (virtual)";
    /** The label of java.net's row on virtual threads. */
    static final String JAVA_NET_VIRTUAL = "java.net (virtual)";
    /** The listen backlog of the virtual-thread echo servers (one client at a time). */
    private static final int BACKLOG = 16;

    private PingPongCommand()
    {
    }

    public static void run(final Flags flags, final PrintStream out) throws IOException, InterruptedException
    {
        final Workload workload = Workload.from(flags);
        final Placement placement = Placement.onThisMachine(flags.optional("--cpus"));
        final String threads = flags.optional("--threads") == null ? "platform" : flags.optional("--threads");
        if (!Set.of("platform", "virtual", "both").contains(threads))
        {
            throw new UsageException("pingpong: --threads must be platform, virtual or both, was '" + threads + "'");
        }
        final boolean platformRows = !"virtual".equals(threads);
        final boolean virtualRows = !"platform".equals(threads);
        final boolean activeFloor = flags.isSet("--active-floor");
        if (activeFloor && !platformRows)
        {
            throw new UsageException("pingpong: --active-floor compares platform threads; not with --threads virtual");
        }
        if (!platformRows && !placement.equals(Placement.ANY))
        {
            throw new UsageException("pingpong: --cpus pins platform threads; the virtual rows are not pinned");
        }
        if (virtualRows)
        {
            VirtualThreads.require("--threads " + threads);
        }
        final int runs = flags.intValue("--runs", 1, 1, 100);
        final boolean json = flags.isSet("--json");
        final HgrmFiles hgrm = HgrmFiles.of(flags, runs);
        if (!placement.equals(Placement.ANY))
        {
            out.println(json ? Json.object().put("type", "placement").put("server_cpu", placement.serverCpu())
                .put("client_cpu", placement.clientCpu()) : "placement: " + placement);
        }
        final Map<String, List<Figures>> all = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++)
        {
            final PingPongTable table = new PingPongTable(out, json, run, false, hgrm);
            if (runs > 1)
            {
                table.text("run " + run + " of " + runs + ":");
            }
            table.text(LatencyReport.TABLE_HEADER);
            final Map<String, Figures> rows = new LinkedHashMap<>();
            final Measured c = Measured.without(CReference.run(workload, placement), workload.count());
            table.row(rows, "C reference", c, c.figures());
            if (platformRows)
            {
                table.row(rows, "gentcp", gentcp(workload, placement), c.figures());
                table.row(rows, ACTIVE, gentcpActive(workload, placement), c.figures());
                table.row(rows, NioMode.label(workload.idle()), nio(workload, placement), c.figures());
                if (activeFloor)
                {
                    table.row(rows, C_EPOLL, Measured.without(CReference.run(workload, placement, CReference.Wait.EPOLL,
                        CReference.Wait.EPOLL), workload.count()), c.figures());
                    table.row(rows, C_EPOLL_CLIENT, Measured.without(CReference.run(workload, placement,
                        CReference.Wait.RECV, CReference.Wait.EPOLL), workload.count()), c.figures());
                    table.row(rows, ACTIVE_CLIENT, gentcpActiveAgainstC(workload, placement), c.figures());
                    table.activeFloor(rows);
                }
            }
            if (virtualRows)
            {
                table.row(rows, GENTCP_VIRTUAL, gentcpVirtual(workload), c.figures());
                table.row(rows, JAVA_NET_VIRTUAL, javaNetVirtual(workload), c.figures());
            }
            rows.forEach((name, figures) -> all.computeIfAbsent(name, k -> new ArrayList<>()).add(figures));
        }
        if (runs > 1)
        {
            final PingPongTable table = new PingPongTable(out, json, runs, true, null);
            table.text("median of " + runs + " runs:");
            table.text(LatencyReport.TABLE_HEADER);
            final Map<String, Figures> medians = new LinkedHashMap<>();
            all.forEach((name, list) -> medians.put(name, median(list)));
            final Figures c = medians.get("C reference");
            final Map<String, Figures> printed = new LinkedHashMap<>();
            for (final Map.Entry<String, Figures> median : medians.entrySet())
            {
                table.row(printed, median.getKey(), new Measured(median.getValue(), null, -1), c);
            }
            if (activeFloor)
            {
                table.activeFloor(medians);
            }
            out.flush();
        }
    }

    /** Each figure's median over runs (each figure on its own, so a row need not be one run's). */
    static Figures median(final List<Figures> runs)
    {
        return new Figures(
            medianOf(runs, Figures::p50Ns), medianOf(runs, Figures::p90Ns), medianOf(runs, Figures::p99Ns),
            medianOf(runs, Figures::p999Ns), medianOf(runs, Figures::maxNs),
            runs.stream().mapToDouble(Figures::roundTripsPerSecond).sorted().toArray()[runs.size() / 2]);
    }

    private static long medianOf(final List<Figures> runs, final java.util.function.ToLongFunction<Figures> figure)
    {
        final long[] values = runs.stream().mapToLong(figure).sorted().toArray();
        return values[values.length / 2];
    }

    /**
     * gentcp on virtual threads: a {@link GenTcpVirtualEchoServer} and a {@link GenTcpRoundTrip}
     * connected and run on a virtual thread. Its waits park whatever the workload's idle strategy.
     */
    static Measured gentcpVirtual(final Workload workload) throws IOException, InterruptedException
    {
        try (GenTcpVirtualEchoServer server = GenTcpVirtualEchoServer.start(workload.packet(), workload.size(), BACKLOG,
            System.err))
        {
            return VirtualThreads.call("pingpong-gentcp-client", () ->
            {
                try (GenTcpRoundTrip client = GenTcpRoundTrip.connect("127.0.0.1", server.port(), workload.packet(),
                    workload.size(), workload.idle()))
                {
                    return RoundTripSampler.sample(client, workload.warmup(), workload.count());
                }
            });
        }
    }

    /**
     * java.net on virtual threads: a {@link JavaNetVirtualEchoServer} and a {@link JavaNetRoundTrip} run on a virtual
     * thread.
     */
    static Measured javaNetVirtual(final Workload workload) throws IOException, InterruptedException
    {
        try (JavaNetVirtualEchoServer server = JavaNetVirtualEchoServer.start(workload.packet(), workload.size(),
            BACKLOG, System.err))
        {
            return VirtualThreads.call("pingpong-javanet-client", () ->
            {
                try (JavaNetRoundTrip client =
                    JavaNetRoundTrip.connect(server.port(), workload.packet(), workload.size()))
                {
                    return RoundTripSampler.sample(client, workload.warmup(), workload.count());
                }
            });
        }
    }

    /** gentcp: an {@link EchoServer} with one worker and a client, both with the workload's idle strategy. */
    static Measured gentcp(final Workload workload, final Placement placement) throws IOException
    {
        try (EchoServer server = EchoServer.start(0, workload.packet(), 1, workload.idle(), System.err,
                placement.serverCpu());
            GenTcpRoundTrip client = GenTcpRoundTrip.connect("127.0.0.1", server.port(), workload.packet(),
                workload.size(), workload.idle()))
        {
            return sample(client, workload, placement);
        }
    }

    /** gentcp through mailboxes: the manual's {active, once} server and a client that re-arms before each send. */
    static Measured gentcpActive(final Workload workload, final Placement placement) throws IOException
    {
        try (EchoServer server = EchoServer.start(0, workload.packet(), 1, workload.idle(), System.err,
                placement.serverCpu(), 0, Active.ONCE);
            GenTcpActiveRoundTrip client = GenTcpActiveRoundTrip.connect("127.0.0.1", server.port(), workload.packet(),
                workload.size(), workload.idle(), Active.ONCE))
        {
            return sample(client, workload, placement);
        }
    }

    /** gentcp's {@code {active, once}} client against the C reference's echo end, alone in a process of its own. */
    static Measured gentcpActiveAgainstC(final Workload workload, final Placement placement)
        throws IOException
    {
        try (CEchoServer server = CEchoServer.start(workload, placement);
            GenTcpActiveRoundTrip client = GenTcpActiveRoundTrip.connect("127.0.0.1", server.port(), workload.packet(),
                workload.size(), workload.idle(), Active.ONCE))
        {
            return sample(client, workload, placement);
        }
    }

    /** java.nio: a {@link NioEchoServer} and a {@link NioRoundTrip}, blocking or spinning. */
    static Measured nio(final Workload workload, final Placement placement) throws IOException
    {
        final boolean spinning = NioMode.spinning(workload.idle());
        final PacketType packet = workload.packet();
        try (NioEchoServer server = NioEchoServer.start(packet, workload.size(), spinning, placement.serverCpu());
            NioRoundTrip client = NioRoundTrip.connect(server.port(), packet, workload.size(), spinning))
        {
            return sample(client, workload, placement);
        }
    }

    /** Runs the client on this thread, pinned as the placement says for the length of the run. */
    private static Measured sample(final RoundTrip client, final Workload workload, final Placement placement)
        throws IOException
    {
        if (placement.pinsClient())
        {
            CpuAffinity.pinCurrentThread(placement.clientCpu());
        }
        try
        {
            return RoundTripSampler.sample(client, workload.warmup(), workload.count());
        }
        finally
        {
            if (placement.pinsClient())
            {
                CpuAffinity.unpinCurrentThread();
            }
        }
    }

}
