package io.gentcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.gentcp.internal.DirectMemory;
import io.gentcp.internal.Native;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code io.gentcp.Close}: a socket closed, by whom, with the bytes it received and
 * sent (gt_getstat's recv_oct and send_oct, read only when the event is enabled). Its duration
 * is the close's (a linger wait included) for the application's close. Off unless a recording
 * enables it (README, "JFR events").
 */
@Name("io.gentcp.Close")
@Category("io.gentcp")
@Label("Close")
@Description("A socket closed: who closed it, the bytes in and out, the reason")
@Enabled(false)
@StackTrace(false)
final class GenTcpCloseEvent extends jdk.jfr.Event
{
    /** closedBy: {@link GenTcp#close} (or the socket's own close()). */
    static final String BY_APPLICATION = "application";
    /** closedBy: the peer, as an active socket's {@code tcp_closed} message says. */
    static final String BY_PEER = "peer";

    @Label("Socket")
    @Description("The socket, #Port<G.N>")
    String socket;

    @Label("Closed By")
    @Description("application (gen_tcp:close) or peer (tcp_closed)")
    String closedBy;

    @Label("Bytes In")
    @Description("Bytes received (recv_oct), -1 when no longer known")
    @DataAmount
    long bytesIn;

    @Label("Bytes Out")
    @Description("Bytes sent, length headers included (send_oct), -1 when no longer known")
    @DataAmount
    long bytesOut;

    @Label("Reason")
    @Description("closed, or the error that closed it")
    String reason;

    /**
     * Fills socket, bytesIn and bytesOut from OF's counters as they are now; false (the counts
     * -1) when C has none: the socket is closed.
     */
    boolean countersOf(final InetSocket of)
    {
        socket = of.toString();
        bytesIn = -1;
        bytesOut = -1;
        final int bytes = Native.STAT_COUNT * Long.BYTES;
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(bytes))
        {
            if (Native.lib().gt_getstat(of.handle, scratch.address, bytes) < 0)
            {
                return false;
            }
            final ByteBuffer b = scratch.buffer.duplicate().order(ByteOrder.nativeOrder());
            bytesIn = b.getLong(Native.STAT_RECV_OCT * Long.BYTES);
            bytesOut = b.getLong(Native.STAT_SEND_OCT * Long.BYTES);
            return true;
        }
    }

    /** Commits the close, by BY for REASON, when the recording wants it (the counters filled before). */
    void closed(final String by, final Reason why)
    {
        if (shouldCommit())
        {
            closedBy = by;
            reason = why.atom();
            commit();
        }
    }

    /** Records that the peer closed SOCKET, as its tcp_closed message says: nothing when not enabled. */
    static void byPeer(final InetSocket socket)
    {
        final GenTcpCloseEvent event = new GenTcpCloseEvent();
        if (event.isEnabled())
        {
            event.countersOf(socket);
            event.closed(BY_PEER, Reason.CLOSED);
        }
    }
}
