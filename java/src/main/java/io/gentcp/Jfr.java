package io.gentcp;

import java.net.InetSocketAddress;

/**
 * Whether JFR is there to record gentcp's events: a runtime image may leave the jdk.jfr module
 * out (jlink), and then no event class may be touched, since each extends jdk.jfr.Event. Every
 * place that records an event asks this first; the events themselves say whether they are
 * enabled. Also what several events record alike (a socket's peer), which touches no event.
 */
final class Jfr
{
    /** True when jdk.jfr is in this runtime. */
    static final boolean PRESENT = present();

    private Jfr()
    {
    }

    /**
     * SOCKET's peer as an event records it: its IP address or local name, its port in PORT[0]
     * (0 for a local name), or the reason it has none (gone already: the peer reset it).
     */
    static String peerOf(final Socket socket, final int[] port)
    {
        final Object peer;
        try
        {
            peer = Addresses.name(socket.handle, true);
        }
        catch (final GenTcpException e)
        {
            return e.reason().atom();
        }
        if (peer instanceof InetSocketAddress ip)
        {
            port[0] = ip.getPort();
            return ip.getAddress().getHostAddress();
        }
        return String.valueOf(peer);
    }

    private static boolean present()
    {
        try
        {
            Class.forName("jdk.jfr.Event", false, Jfr.class.getClassLoader());
            return true;
        }
        catch (final ClassNotFoundException | LinkageError | SecurityException e)
        {
            return false;
        }
    }
}
