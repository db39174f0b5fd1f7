package io.gentcp.bench.command;

import java.io.PrintStream;
import java.util.Set;

import io.gentcp.Active;
import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;
import io.gentcp.bench.Flags;
import io.gentcp.bench.Placement;
import io.gentcp.bench.roundtrip.EchoServer;

/**
 * {@code echo --port P [--packet T] [--packet-size N] [--workers N] [--active A]}: runs an {@link EchoServer}
 * until killed. The first line on stdout is {@code listening on PORT}. Every packet type whose
 * packets can be sent back as received is accepted (not the HTTP ones).
 */
public final class EchoCommand
{
    public static final Set<String> FLAGS = Set.of("--port", "--packet", "--packet-size", "--workers", "--active");

    private EchoCommand()
    {
    }

    public static void run(final Flags flags, final PrintStream out, final PrintStream err) throws InterruptedException
    {
        final int port = flags.requiredInt("--port", 0, 65535);
        final PacketType packet = flags.bytePacket(PacketType.RAW, "which cannot be echoed");
        final int packetSize = flags.intValue("--packet-size", 0, 0, Integer.MAX_VALUE);
        final int workers = flags.intValue("--workers", 4, 1, 10_000);
        final Active active = flags.active(Active.FALSE);
        final EchoServer server = EchoServer.start(port, packet, workers, IdleStrategy.block(), err, Placement.ANY_CPU,
            packetSize, active);
        out.println("listening on " + server.port());
        out.flush();
        server.join();
    }
}
