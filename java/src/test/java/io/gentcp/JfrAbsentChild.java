package io.gentcp;

/**
 * Run in a JVM without the jdk.jfr module (JfrEventsTest): every call that records an event
 * when JFR is there (listen, connect, a refused connect, accept, an active socket's close by its
 * peer, a passive recv told closed, sends small and big, close, the reaper's close) works;
 * prints "ok" at the end.
 */
public final class JfrAbsentChild
{
    private JfrAbsentChild()
    {
    }

    /**
     * The calls, in order.
     *
     * @param args none
     */
    public static void main(final String[] args)
    {
        try (ListenSocket l = GenTcp.listen(0, Option.active(false), Option.binary()))
        {
            final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, Option.binary());
            final Socket s = GenTcp.accept(l, 5_000);
            final int refusedPort = SourcePort.free();
            try
            {
                GenTcp.connect("127.0.0.1", refusedPort, 5_000);
                throw new AssertionError("connected to a closed port");
            }
            catch (final GenTcpException e)
            {
                if (e.reason() != Reason.ECONNREFUSED)
                {
                    throw e;
                }
            }
            GenTcp.close(s); // the client, active, hears tcp_closed
            if (!(Mailbox.current().receive(5_000) instanceof TcpClosed))
            {
                throw new AssertionError("no tcp_closed");
            }
            GenTcp.close(c);
            passiveSendsAndClosedRecv(l);
            reaped(l);
        }
        System.out.println("ok");
    }

    /** A send through a pooled buffer and one of a big array; a passive recv told closed. */
    private static void passiveSendsAndClosedRecv(final ListenSocket l)
    {
        final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, Option.binary(), Option.active(false));
        final Socket s = GenTcp.accept(l, 5_000);
        final int big = 1 << 20;
        GenTcp.send(s, BytePattern.bytes(0, 1));
        GenTcp.send(s, BytePattern.bytes(1, big)); // onto an empty queue: returns, most of it queued
        if (BytePattern.read(c, 0, big + 1, 30_000) != big + 1)
        {
            throw new AssertionError("bytes lost");
        }
        GenTcp.close(s);
        expectClosed(c);
        GenTcp.close(c);
    }

    /** A socket of a thread that ended, which the reaper closes: its peer's recv is told closed. */
    private static void reaped(final ListenSocket l)
    {
        final Thread ends = new Thread(() -> GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, Option.active(false)));
        ends.start();
        try
        {
            ends.join();
        }
        catch (final InterruptedException e)
        {
            throw new AssertionError(e);
        }
        final Socket peer = GenTcp.accept(l, 5_000);
        expectClosed(peer);
        GenTcp.close(peer);
    }

    private static void expectClosed(final Socket socket)
    {
        try
        {
            GenTcp.recv(socket, 0, 30_000);
            throw new AssertionError("data instead of closed");
        }
        catch (final GenTcpException e)
        {
            if (e.reason() != Reason.CLOSED)
            {
                throw e;
            }
        }
    }
}
