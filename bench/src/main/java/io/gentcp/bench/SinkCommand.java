package io.gentcp.bench;

import java.io.PrintStream;
import java.util.Set;

import io.gentcp.PacketType;

/**
 * {@code sink --port P [--packet T] [--nodelay]}: runs a {@link SinkServer} until killed. The first line on
 * stdout is {@code listening on PORT}; then one {@link Transfer#line()} per connection, printed
 * when its peer closes.
 */
final class SinkCommand
{
    static final Set<String> FLAGS = Set.of("--port", "--packet", "--nodelay");

    private SinkCommand()
    {
    }

    static void run(final Flags flags, final PrintStream out, final PrintStream err) throws InterruptedException
    {
        final int port = flags.requiredInt("--port", 0, 65535);
        final PacketType packet = flags.packet(PacketType.RAW);
        if (packet.isHttp())
        {
            throw new UsageException("sink: --packet " + packet + " delivers parsed HTTP, not bytes to count");
        }
        final SinkServer server = SinkServer.start(port, packet, Tuning.of(flags), transfer ->
        {
            synchronized (out)
            {
                out.println(transfer.line());
                out.flush();
            }
        }, err);
        out.println("listening on " + server.port());
        out.flush();
        server.join();
    }
}
