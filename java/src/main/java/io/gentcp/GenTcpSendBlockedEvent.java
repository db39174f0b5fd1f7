package io.gentcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
import jdk.jfr.Timespan;

/**
 * JFR event {@code io.gentcp.SendBlocked}: a send found the socket's send queue at its
 * {@code high_watermark} and waited for it to drain to its {@code low_watermark} (on a
 * platform thread in C, on a virtual thread parked in Java). C counts each such wait in
 * gt_getstat's counters beyond OTP's; the send reads them before and after itself, only while
 * the event is enabled, and commits an event when the count moved. Its duration is the send's,
 * nearly all of it the wait; {@code waited} is the wait as C timed it. Off unless a recording
 * enables it (README, "JFR events").
 */
@Name("io.gentcp.SendBlocked")
@Category("io.gentcp")
@Label("Send Blocked")
@Description("A send waited for the send queue to drain from its high watermark to its low one")
@Enabled(false)
@StackTrace(false)
final class GenTcpSendBlockedEvent extends jdk.jfr.Event
{
    /** Whether a recording wants it: the send path's one check, before any event is made. */
    static final EventType TYPE = EventType.getEventType(GenTcpSendBlockedEvent.class);

    @Label("Socket")
    @Description("The sending socket, #Port<G.N>")
    String socket;

    @Label("Address")
    @Description("The peer's IP address or local name")
    String address;

    @Label("Port")
    @Description("The peer's port (0 for a local socket)")
    int port;

    @Label("Queued")
    @Description("Bytes in the send queue when the wait began (the send's packet included)")
    @DataAmount
    long queuedBytes;

    @Label("High Watermark")
    @Description("The socket's high_watermark: the queue size at which a send waits")
    @DataAmount
    long highWatermark;

    @Label("Low Watermark")
    @Description("The socket's low_watermark: the queue size the wait ends at")
    @DataAmount
    long lowWatermark;

    @Label("Waited")
    @Description("How long the send waited, as C timed it")
    @Timespan(Timespan.NANOSECONDS)
    long waited;

    @Label("Reason")
    @Description("Empty when the queue drained; else why the send ended first (timeout, closed...)")
    String reason;

    /** The socket's waits counted before the send, or -1 when C had no counters (closed). */
    private transient long waitsBefore;
    private transient long waitedBefore;

    /** An event for a send on SENDER about to start: C's counters read, the clock started. */
    static GenTcpSendBlockedEvent before(final Socket sender)
    {
        final GenTcpSendBlockedEvent event = new GenTcpSendBlockedEvent();
        final long[] counters = counters(sender);
        event.waitsBefore = counters == null ? -1 : counters[0];
        event.waitedBefore = counters == null ? 0 : counters[1];
        event.begin();
        return event;
    }

    /** The send on SENDER ended with gt_send's answer RC: committed if it waited (and the recording wants it). */
    void after(final Socket sender, final long rc)
    {
        end();
        if (waitsBefore < 0)
        {
            return;
        }
        final long[] counters = counters(sender);
        if (counters == null || counters[0] == waitsBefore || !shouldCommit())
        {
            return;
        }
        socket = sender.toString();
        final int[] peerPort = new int[1];
        address = Jfr.peerOf(sender, peerPort);
        port = peerPort[0];
        waited = Math.max(0, counters[1] - waitedBefore);
        queuedBytes = counters[2];
        highWatermark = option(sender, OptionName.HIGH_WATERMARK);
        lowWatermark = option(sender, OptionName.LOW_WATERMARK);
        reason = rc >= 0 ? "" : Errors.reason(rc).atom();
        commit();
    }

    /**
     * SOCKET's counters of the waits for the low mark, from gt_getstat: the waits, the
     * nanoseconds waited, the bytes queued when the last wait began; null once it is closed.
     */
    static long[] counters(final Socket socket)
    {
        final int bytes = Native.STAT_COUNT * Long.BYTES;
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(bytes))
        {
            if (Native.lib().gt_getstat(socket.handle, scratch.address, bytes) < 0)
            {
                return null;
            }
            final ByteBuffer b = scratch.buffer.duplicate().order(ByteOrder.nativeOrder());
            return new long[] {b.getLong(Native.STAT_SEND_WAITS * Long.BYTES),
                b.getLong(Native.STAT_SEND_WAIT_NS * Long.BYTES), b.getLong(Native.STAT_SEND_WAIT_QUEUED * Long.BYTES)};
        }
    }

    /** SOCKET's option NAME as C has it now, or -1 when it cannot say (closed). */
    private static long option(final Socket socket, final OptionName name)
    {
        final long value = Native.lib().gt_getopt(socket.handle, OptionTable.id(name));
        return value < 0 ? -1 : value;
    }
}
