package io.gentcp.bench.command;

import java.io.PrintStream;
import java.util.Set;

import io.gentcp.GenTcp;
import io.gentcp.PacketType;
import io.gentcp.Socket;
import io.gentcp.bench.Flags;
import io.gentcp.bench.UsageException;
import io.gentcp.bench.roundtrip.Workload;
import io.gentcp.bench.transfer.Blast;
import io.gentcp.bench.transfer.Transfer;
import io.gentcp.bench.transfer.Tuning;

/**
 * {@code blast --host H --port P [--packet T] [--size B] [--bytes N] [--delay-send] [--nodelay]
 * [--high-watermark B]}:
 * connects with the {@link Tuning} options, runs {@link Blast#send} and prints its
 * {@link Transfer#line()} (with {@code --json}, {@link Transfer#json} of type {@code transfer}).
 */
public final class BlastCommand
{
    public static final Set<String> FLAGS = Set.of("--host", "--port", "--packet", "--size", "--bytes", "--delay-send",
        "--nodelay", "--high-watermark", "--json");
    /** The largest --bytes: 1 PiB, far beyond any run, small enough for every count to stay exact. */
    static final long MAX_BYTES = 1L << 50;

    private BlastCommand()
    {
    }

    public static void run(final Flags flags, final PrintStream out)
    {
        final String host = flags.required("--host");
        final int port = flags.requiredInt("--port", 1, 65535);
        final PacketType packet = flags.packet(PacketType.RAW);
        if (packet != PacketType.RAW && packet.headerLength() == 0)
        {
            throw new UsageException("blast: --packet must be 0, 1, 2, 4 or raw, was " + packet);
        }
        final int size = flags.intValue("--size", 64 * 1024, 1, Workload.maxSize(packet));
        final long bytes = flags.longValue("--bytes", 1L << 30, 0, MAX_BYTES);
        final Socket socket = GenTcp.connect(host, port, Tuning.of(flags).options(packet));
        try
        {
            final Transfer sent = Blast.send(socket, size, bytes);
            out.println(flags.isSet("--json") ? sent.json("transfer") : sent.line());
            out.flush();
        }
        finally
        {
            GenTcp.close(socket);
        }
    }
}
