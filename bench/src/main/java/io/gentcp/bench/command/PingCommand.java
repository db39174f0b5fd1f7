package io.gentcp.bench.command;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;

import io.gentcp.Active;
import io.gentcp.GenTcpException;
import io.gentcp.bench.Flags;
import io.gentcp.bench.HgrmFiles;
import io.gentcp.bench.UsageException;
import io.gentcp.bench.roundtrip.GenTcpActiveRoundTrip;
import io.gentcp.bench.roundtrip.GenTcpRoundTrip;
import io.gentcp.bench.roundtrip.KernelSplit;
import io.gentcp.bench.roundtrip.Measured;
import io.gentcp.bench.roundtrip.RoundTripSampler;
import io.gentcp.bench.roundtrip.Workload;

/**
 * {@code ping --host H --port P [--packet T] [--size B] [--count N] [--warmup N] [--idle I] [--active A]}:
 * round trips against any echo server, printed by {@link LatencyReport}, or with {@code --json} as
 * one {@link LatencyJson#ping} object; {@code --hgrm FILE} writes the round trips' percentile
 * distribution to FILE ({@link HgrmFiles}); {@code --timestamps} splits each round trip by the
 * kernel's timestamps ({@link KernelSplit}) and prints the parts after the figures.
 */
public final class PingCommand
{
    public static final Set<String> FLAGS = Set.of("--host", "--port", "--packet", "--size", "--count", "--warmup",
        "--idle", "--active", "--json", "--hgrm", "--timestamps");

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
        final KernelSplit split = flags.isSet("--timestamps") ? new KernelSplit(workload.warmup(), workload.count(),
            workload.size() + workload.packet().headerLength()) : null;
        if (split != null && active != Active.FALSE)
        {
            throw new UsageException("ping: --timestamps times the passive client: not with --active");
        }
        final Measured measured;
        if (active == Active.FALSE)
        {
            try (GenTcpRoundTrip client = connect(host, port, workload, split))
            {
                measured = RoundTripSampler.sample(client, workload.warmup(), workload.count());
                if (split != null)
                {
                    split.finish(client.socket());
                }
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
            out.println(split == null ? LatencyJson.ping(measured) : LatencyJson.ping(measured, split));
            out.flush();
        }
        else
        {
            LatencyReport.print(out, measured.figures());
            if (split != null)
            {
                LatencyReport.printSplit(out, split, workload.count());
            }
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

    private static GenTcpRoundTrip connect(final String host, final int port, final Workload workload,
        final KernelSplit split) throws IOException
    {
        try
        {
            return GenTcpRoundTrip.connect(host, port, workload.packet(), workload.size(), workload.idle(), split);
        }
        catch (final GenTcpException e)
        {
            // the reason alone: this line's shape is the tool's, older than the library's fuller messages
            throw new IOException("connect " + host + " port " + port + ": " + e.reason().atom(), e);
        }
    }
}
