package io.gentcp.bench;

import java.io.PrintStream;
import java.util.Set;

import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;

/**
 * {@code echo --port P [--packet T] [--workers N]}: runs an {@link EchoServer} until killed.
 * The first line on stdout is {@code listening on PORT}.
 */
final class EchoCommand
{
    static final Set<String> FLAGS = Set.of("--port", "--packet", "--workers");

    private EchoCommand()
    {
    }

    static void run(final Flags flags, final PrintStream out, final PrintStream err) throws InterruptedException
    {
        final int port = flags.requiredInt("--port", 0, 65535);
        final PacketType packet = flags.packet(PacketType.RAW);
        final int workers = flags.intValue("--workers", 4, 1, 10_000);
        final EchoServer server = EchoServer.start(port, packet, workers, IdleStrategy.block(), err);
        out.println("listening on " + server.port());
        out.flush();
        server.join();
    }
}
