package io.gentcp;

import java.net.InetAddress;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code io.gentcp.Connect}: one connect attempt to one address (a host name with
 * several addresses makes one per address tried), its duration the time it took, its reason
 * empty when it connected. Off unless a recording enables it (README, "JFR events").
 */
@Name("io.gentcp.Connect")
@Category("io.gentcp")
@Label("Connect")
@Description("gen_tcp:connect to one address: the peer, the time taken, the socket or the reason it failed")
@Enabled(false)
@StackTrace(false)
final class GenTcpConnectEvent extends jdk.jfr.Event
{
    /** Whether a recording wants it: checked before one is made (a connect's paths defeat escape analysis). */
    static final EventType TYPE = EventType.getEventType(GenTcpConnectEvent.class);

    @Label("Address")
    @Description("The peer's IP address or local name")
    String address;

    @Label("Port")
    @Description("The peer's port (0 for a local socket)")
    int port;

    @Label("Socket")
    @Description("The connected socket, #Port<G.N>; empty when the connect failed")
    String socket;

    @Label("Reason")
    @Description("Why the connect failed (econnrefused, timeout...); empty when it connected")
    String reason;

    /** Commits the connect to ADDRESS and PORT that made SOCKET. */
    void connected(final Object to, final int toPort, final Socket connected)
    {
        if (shouldCommit())
        {
            address = to instanceof InetAddress ip ? ip.getHostAddress() : String.valueOf(to);
            port = toPort;
            socket = connected.toString();
            reason = "";
            commit();
        }
    }

    /** Commits the connect to ADDRESS and PORT that failed with E. */
    void failed(final Object to, final int toPort, final GenTcpException e)
    {
        if (shouldCommit())
        {
            address = to instanceof InetAddress ip ? ip.getHostAddress() : String.valueOf(to);
            port = toPort;
            socket = "";
            reason = e.reason().atom();
            commit();
        }
    }
}
