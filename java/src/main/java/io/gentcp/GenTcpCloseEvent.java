package io.gentcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

import io.gentcp.internal.DirectMemory;
import io.gentcp.internal.Native;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code io.gentcp.Close}: a socket closed, by whom, with the bytes it received and
 * sent (gt_getstat's recv_oct and send_oct, read only when the event is enabled). Its duration
 * is the close's (a linger wait included) for the application's close and the reaper's. The
 * peer's close is recorded once per socket: at an active socket's {@code tcp_closed}, or at the
 * first passive {@code recv} that answers {@code closed} for it. Off unless a recording
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
    /** closedBy: the peer, as an active socket's {@code tcp_closed} message or a passive recv's closed says. */
    static final String BY_PEER = "peer";
    /** closedBy: the {@link MailboxReaper}, closing the mailbox that owned it: its owner thread had ended. */
    static final String BY_REAPER = "reaper";

    /** Whether a recording wants it: asked before the reaper looks for a mailbox's sockets. */
    static final EventType TYPE = EventType.getEventType(GenTcpCloseEvent.class);

    /**
     * The sockets whose close by the peer is recorded already (a recv of a socket without
     * exit_on_close answers closed each time): filled only while the event is enabled, and
     * held weakly, so a socket the application drops leaves it.
     */
    private static final Set<InetSocket> CLOSED_BY_PEER = Collections.synchronizedSet(
        Collections.newSetFromMap(new WeakHashMap<>()));

    @Label("Socket")
    @Description("The socket, #Port<G.N>")
    String socket;

    @Label("Closed By")
    @Description("application (gen_tcp:close), peer (tcp_closed, or a passive recv's closed) or reaper (its owner " +
        "thread ended)")
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
        if (event.isEnabled() && CLOSED_BY_PEER.add(socket))
        {
            event.countersOf(socket);
            event.closed(BY_PEER, Reason.CLOSED);
        }
    }

    /**
     * A passive recv of SOCKET answered closed: the peer's close, recorded the first time;
     * nothing when not enabled, or when C has no counters of it: then it was closed here
     * (by the application or the reaper, who record their own close).
     */
    static void byPeerToRecv(final Socket socket)
    {
        final GenTcpCloseEvent event = new GenTcpCloseEvent();
        // a repeated closed (no exit_on_close) pays no getstat
        if (event.isEnabled() && !CLOSED_BY_PEER.contains(socket) && event.countersOf(socket) &&
            CLOSED_BY_PEER.add(socket))
        {
            event.closed(BY_PEER, Reason.CLOSED);
        }
    }

    /**
     * The events of the sockets MAILBOX owns, which the reaper is about to close with it,
     * their counters read and their clocks started; null when the event is not enabled.
     */
    static List<GenTcpCloseEvent> beforeReaping(final Mailbox mailbox)
    {
        if (!TYPE.isEnabled())
        {
            return null;
        }
        final List<GenTcpCloseEvent> events = new ArrayList<>();
        for (final InetSocket socket : SocketTable.ownedBy(mailbox))
        {
            final GenTcpCloseEvent event = new GenTcpCloseEvent();
            if (event.countersOf(socket)) // else closed already
            {
                event.begin();
                events.add(event);
            }
        }
        return events;
    }

    /** The reaper has closed the sockets of EVENTS (from {@link #beforeReaping}): commits them. */
    static void reaped(final List<GenTcpCloseEvent> events)
    {
        for (final GenTcpCloseEvent event : events)
        {
            event.end();
            event.closed(BY_REAPER, Reason.CLOSED);
        }
    }
}
