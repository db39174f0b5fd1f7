package io.gentcp;

import static io.gentcp.Option.active;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** A listen socket and a connected client/server pair on 127.0.0.1, closed together. */
final class Pair implements AutoCloseable
{
    final ListenSocket listen;
    final Socket client;
    final Socket server;

    private Pair(final ListenSocket listen, final Socket client, final Socket server)
    {
        this.listen = listen;
        this.client = client;
        this.server = server;
    }

    /** Both ends passive; OPTIONS go to the listen socket (so the server inherits them) and the client. */
    static Pair of(final Option... options)
    {
        // active(false) first, so that an explicit active option in OPTIONS wins
        final Option[] all = new Option[options.length + 1];
        all[0] = active(false);
        System.arraycopy(options, 0, all, 1, options.length);
        final ListenSocket listen = GenTcp.listen(0, all);
        final Socket client = GenTcp.connect("127.0.0.1", Inet.port(listen), 5_000, all);
        final Socket server = GenTcp.accept(listen, 5_000);
        return new Pair(listen, client, server);
    }

    /** The pair of sockets a test made itself. */
    static Pair of(final ListenSocket listen, final Socket client, final Socket server)
    {
        return new Pair(listen, client, server);
    }

    /**
     * A binary pair whose server end then takes TYPE and SERVER_OPTIONS while the client stays
     * raw, so a test writes every byte the typed end sees.
     */
    static Pair rawClient(final PacketType type, final Option... serverOptions)
    {
        final Pair p = of(Option.binary());
        Inet.setopts(p.server, Option.packet(type));
        Inet.setopts(p.server, serverOptions);
        return p;
    }

    /**
     * Asserts that A and B are the two passive, raw ends of one connection: two bytes sent on A
     * reach B, and one byte sent back on B reaches A.
     */
    static void assertConnected(final Socket a, final Socket b)
    {
        GenTcp.send(a, new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, GenTcp.<byte[]>recv(b, 2, 5_000));
        GenTcp.send(b, new byte[] {3});
        assertArrayEquals(new byte[] {3}, GenTcp.<byte[]>recv(a, 1, 5_000));
    }

    @Override
    public void close()
    {
        GenTcp.close(client);
        GenTcp.close(server);
        GenTcp.close(listen);
    }
}
