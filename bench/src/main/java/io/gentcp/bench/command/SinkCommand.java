package io.gentcp.bench.command;

import java.io.PrintStream;
import java.util.Set;

import io.gentcp.PacketType;
import io.gentcp.bench.Flags;
import io.gentcp.bench.Json;
import io.gentcp.bench.transfer.SinkServer;
import io.gentcp.bench.transfer.Transfer;
import io.gentcp.bench.transfer.Tuning;

/**
 * {@code sink --port P [--packet T] [--nodelay]}: runs a {@link SinkServer} until killed. The first line on
 * stdout is {@code listening on PORT}; then one {@link Transfer#line()} per connection, printed
 * when its peer closes. With {@code --json}: {@code {"type":"listening","port":PORT}}, then
 * {@link Transfer#json} of type {@code transfer} for each connection.
 */
public final class SinkCommand
{
    public static final Set<String> FLAGS = Set.of("--port", "--packet", "--nodelay", "--json");

    private SinkCommand()
    {
    }

    public static void run(final Flags flags, final PrintStream out, final PrintStream err) throws InterruptedException
    {
        final int port = flags.requiredInt("--port", 0, 65535);
        final PacketType packet = flags.bytePacket(PacketType.RAW, "not bytes to count");
        final boolean json = flags.isSet("--json");
        final SinkServer server = SinkServer.start(port, packet, Tuning.of(flags), transfer ->
        {
            synchronized (out)
            {
                out.println(json ? transfer.json("transfer") : transfer.line());
                out.flush();
            }
        }, err);
        out.println(json
            ? Json.object().put("type", "listening").put("port", server.port()).toString()
            : "listening on " + server.port());
        out.flush();
        server.join();
    }
}
