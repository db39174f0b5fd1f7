package io.gentcp;

/**
 * Run in a JVM without the jdk.jfr module (JfrEventsTest): every call that records an event
 * when JFR is there (listen, connect, a refused connect, accept, an active socket's close by its
 * peer, close) works; prints "ok" at the end.
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
        }
        System.out.println("ok");
    }
}
