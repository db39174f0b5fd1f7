package io.gentcp.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;

import io.gentcp.PacketType;

/**
 * {@code pingpong [--packet T] [--size B] [--count N] [--warmup N] [--idle I]}: the same
 * ping-pong over loopback done three ways, one after the other, C reference first (its p50 is
 * every row's denominator), then gentcp, then java.nio. Each row is printed as its run ends.
 */
final class PingPongCommand
{
    static final Set<String> FLAGS = Set.of("--packet", "--size", "--count", "--warmup", "--idle");

    private PingPongCommand()
    {
    }

    static void run(final Flags flags, final PrintStream out) throws IOException, InterruptedException
    {
        final Workload workload = Workload.from(flags);
        out.println(LatencyReport.TABLE_HEADER);
        out.flush();
        final Figures c = CReference.run(workload);
        row(out, "C reference", c, c);
        row(out, "gentcp", gentcp(workload), c);
        row(out, NioMode.label(workload.idle()), nio(workload), c);
    }

    /** gentcp: an {@link EchoServer} with one worker and a client, both with the workload's idle strategy. */
    static Figures gentcp(final Workload workload) throws IOException
    {
        try (EchoServer server = EchoServer.start(0, workload.packet(), 1, workload.idle(), System.err);
            GenTcpRoundTrip client = GenTcpRoundTrip.connect("127.0.0.1", server.port(), workload.packet(),
                workload.size(), workload.idle()))
        {
            return RoundTripSampler.run(client, workload.warmup(), workload.count());
        }
    }

    /** java.nio: a {@link NioEchoServer} and a {@link NioRoundTrip}, blocking or spinning. */
    static Figures nio(final Workload workload) throws IOException
    {
        final boolean spinning = NioMode.spinning(workload.idle());
        final PacketType packet = workload.packet();
        try (NioEchoServer server = NioEchoServer.start(packet, workload.size(), spinning);
            NioRoundTrip client = NioRoundTrip.connect(server.port(), packet, workload.size(), spinning))
        {
            return RoundTripSampler.run(client, workload.warmup(), workload.count());
        }
    }

    private static void row(final PrintStream out, final String name, final Figures figures, final Figures c)
    {
        out.println(LatencyReport.tableRow(name, figures, c.p50Ns()));
        out.flush();
    }
}
