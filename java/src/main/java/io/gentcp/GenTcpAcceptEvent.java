package io.gentcp;

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
            final int[] peerPort = new int[1];
            address = Jfr.peerOf(accepted, peerPort);
            port = peerPort[0];
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
}
