package io.gentcp;

import java.net.InetSocketAddress;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code io.gentcp.Accept}: one accept, its duration the wait for the connection,
 * its reason empty when one came. Off unless a recording enables it (README, "JFR events").
 */
@Name("io.gentcp.Accept")
@Category("io.gentcp")
@Label("Accept")
@Description("gen_tcp:accept: the listen socket, the peer, the time waited, or the reason it failed")
@Enabled(false)
@StackTrace(false)
final class GenTcpAcceptEvent extends jdk.jfr.Event
{
    @Label("Listen Socket")
    @Description("The listen socket accepted on, #Port<G.N>")
    String listenSocket;

    @Label("Socket")
    @Description("The accepted socket, #Port<G.N>; empty when the accept failed")
    String socket;

    @Label("Address")
    @Description("The peer's IP address or local name; empty when the accept failed")
    String address;

    @Label("Port")
    @Description("The peer's port (0 for a local socket or a failed accept)")
    int port;

    @Label("Reason")
    @Description("Why the accept failed (timeout, closed...); empty when a connection came")
    String reason;

    /** Commits the accept of SOCKET on LISTEN, its peer's address read only then. */
    void accepted(final ListenSocket listen, final Socket accepted)
    {
        if (shouldCommit())
        {
            listenSocket = listen.toString();
            socket = accepted.toString();
            reason = "";
            final Object peer = peerOf(accepted);
            if (peer instanceof InetSocketAddress ip)
            {
                address = ip.getAddress().getHostAddress();
                port = ip.getPort();
            }
            else
            {
                address = String.valueOf(peer);
            }
            commit();
        }
    }

    /** Commits the accept on LISTEN that failed with E. */
    void failed(final ListenSocket listen, final GenTcpException e)
    {
        if (shouldCommit())
        {
            listenSocket = listen.toString();
            socket = "";
            address = "";
            reason = e.reason().atom();
            commit();
        }
    }

    /** SOCKET's peer, or the reason it has none (gone already: the peer reset it). */
    private static Object peerOf(final Socket socket)
    {
        try
        {
            return Addresses.name(socket.handle, true);
        }
        catch (final GenTcpException e)
        {
            return e.reason().atom();
        }
    }
}
