package io.gentcp.bench.command;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;

import io.gentcp.Active;
import io.gentcp.GenTcpException;
import io.gentcp.bench.Flags;
import io.gentcp.bench.HgrmFiles;
import io.gentcp.bench.roundtrip.GenTcpActiveRoundTrip;
import io.gentcp.bench.roundtrip.GenTcpRoundTrip;
import io.gentcp.bench.roundtrip.Measured;
import io.gentcp.bench.roundtrip.RoundTripSampler;
import io.gentcp.bench.roundtrip.Workload;

/**
 * {@code ping --host H --port P [--packet T] [--size B] [--count N] [--warmup N] [--idle I] [--active A]}:
 * round trips against any echo server, printed by {@link LatencyReport}, or with {@code --json} as
 * one {@link LatencyJson#ping} object; {@code --hgrm FILE} writes the round trips' percentile
 * distribution to FILE ({@link HgrmFiles}).
 */
public final class PingCommand
{
    public static final Set<String> FLAGS = Set.of("--host", "--port", "--packet", "--size", "--count", "--warmup",
        "--idle", "--active", "--json", "--hgrm");

    private PingCommand()
    {
    }

    public static void run(final Flags flags, final PrintStream out) throws IOException
    {
        final String host = flags.required("--host");
        final int port = flags.requiredInt("--port", 1, 65535);
        final Workload workload = Workload.from(flags);
        final Active active = flags.active(Active.FALSE);
        final boolean json = flags.isSet("--json");
        final HgrmFiles hgrm = HgrmFiles.of(flags, 1);
        final Measured measured;
        if (active == Active.FALSE)
        {
            try (GenTcpRoundTrip client = connect(host, port, workload))
            {
                measured = RoundTripSampler.sample(client, workload.warmup(), workload.count());
            }
        }
        else
        {
            try (GenTcpActiveRoundTrip client = connectActive(host, port, workload, active))
            {
                measured = RoundTripSampler.sample(client, workload.warmup(), workload.count());
            }
        }
        if (hgrm != null)
        {
            HgrmFiles.write(hgrm.single(), measured.histogram());
        }
        if (json)
        {
            out.println(LatencyJson.ping(measured));
            out.flush();
        }
        else
        {
            LatencyReport.print(out, measured.figures());
        }
    }

    private static GenTcpActiveRoundTrip connectActive(final String host, final int port, final Workload workload,
        final Active active) throws IOException
    {
        try
        {
            return GenTcpActiveRoundTrip.connect(host, port, workload.packet(), workload.size(), workload.idle(),
                active);
        }
        catch (final GenTcpException e)
        {
            // the reason alone: this line's shape is the tool's, older than the library's fuller messages
            throw new IOException("connect " + host + " port " + port + ": " + e.reason().atom(), e);
        }
    }

    private static GenTcpRoundTrip connect(final String host, final int port, final Workload workload)
        throws IOException
    {
        try
        {
            return GenTcpRoundTrip.connect(host, port, workload.packet(), workload.size(), workload.idle());
        }
        catch (final GenTcpException e)
        {
            // the reason alone: this line's shape is the tool's, older than the library's fuller messages
            throw new IOException("connect " + host + " port " + port + ": " + e.reason().atom(), e);
        }
    }
}
