package io.gentcp.bench.roundtrip;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Inet;
import io.gentcp.Reason;
import io.gentcp.Socket;
import io.gentcp.TxTimestamp;

/**
 * {@code ping --timestamps}: each round trip split on the client's side by the kernel's stamps
 * ({timestamping, [rx_software, tx_software, tx_ack]}): when the request's last byte left the
 * client's stack, when the peer acknowledged it, when the reply came into the client's kernel.
 * With the two times the client reads itself (before its send, after its receive) that makes
 * four parts: send (user to stack), ack (stack to the peer's acknowledgement), reply (stack to
 * the reply in the kernel: the wire both ways and the peer), receive (kernel to user). What the
 * peer spends is inside "reply" and cannot be told apart from one side.
 *
 * <p>Times are the kernel's CLOCK_REALTIME (Instant.now reads the same clock). The transmit
 * stamps name the offset of a send's last byte, counted from the connection: the round trip of
 * sequence S (all round trips, warm-up included, the same size) ends at offset
 * {@code (S + 1) * wireBytes - 1}. A stamp may come after its round trip: each read takes
 * what came, and {@link #finish} the last. The offsets are widened from the kernel's 32 bits by
 * C, so runs past 4 GiB match too.
 */
public final class KernelSplit
{
    /** The parts, in the order printed. */
    public static final String[] PARTS = {"send", "ack", "reply", "receive"};

    private final int warmup;
    private final int wireBytes;
    // the counted round trips' times, at sequence - warmup
    private final long[] userSend;
    private final long[] leftStack;
    private final long[] acked;
    private final long[] replyIn;
    private final long[] userReceived;

    /**
     * @param warmup    the round trips run first and not counted.
     * @param count     the counted ones.
     * @param wireBytes each request's bytes on the wire (its body and packet header).
     */
    public KernelSplit(final int warmup, final int count, final int wireBytes)
    {
        this.warmup = warmup;
        this.wireBytes = wireBytes;
        this.userSend = new long[count];
        this.leftStack = new long[count];
        this.acked = new long[count];
        this.replyIn = new long[count];
        this.userReceived = new long[count];
    }

    /** The kernel's clock, as the stamps read it: nanoseconds since the epoch. */
    static long realtimeNanos()
    {
        final Instant now = Instant.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    /** Round trip SEQUENCE's send is about to start. */
    void beforeSend(final int sequence)
    {
        if (sequence >= warmup)
        {
            userSend[sequence - warmup] = realtimeNanos();
        }
    }

    /** Round trip SEQUENCE's reply is in SOCKET's caller's hands: its receive stamp is read, and the stamps so far. */
    void afterReceive(final Socket socket, final int sequence)
    {
        if (sequence >= warmup)
        {
            userReceived[sequence - warmup] = realtimeNanos();
            replyIn[sequence - warmup] = Inet.receiveTimestamp(socket).software();
        }
        take(socket); // the warm-up's too, or they would fill the socket's ring
    }

    /** The transmit stamps that came, each of a counted round trip put with it. */
    private void take(final Socket socket)
    {
        for (final TxTimestamp t : Inet.txTimestamps(socket))
        {
            final long end = t.offset() + 1;
            final long counted = end / wireBytes - 1 - warmup; // the round trip it ends, among the counted
            if (end % wireBytes != 0 || counted < 0 || counted >= userSend.length)
            {
                continue; // not a request's last byte, a warm-up's, or a LOST record's count
            }
            if (t.kind() == TxTimestamp.Kind.SOFTWARE)
            {
                leftStack[(int)counted] = t.nanos();
            }
            else if (t.kind() == TxTimestamp.Kind.ACK)
            {
                acked[(int)counted] = t.nanos();
            }
        }
    }

    /**
     * After the last round trip: the stamps still to come (the last acknowledgement), read
     * between waits of 10 ms in SOCKET's timed receive, at most about a second.
     */
    public void finish(final Socket socket)
    {
        final int last = userSend.length - 1;
        for (int i = 0; i < 100 && last >= 0 && acked[last] == 0; i++)
        {
            take(socket);
            if (acked[last] == 0)
            {
                try
                {
                    GenTcp.recv(socket, 0, 10);
                }
                catch (final GenTcpException e)
                {
                    if (e.reason() != Reason.TIMEOUT)
                    {
                        throw e;
                    }
                }
            }
        }
    }

    /** The counted round trips that have all five times. */
    public int complete()
    {
        int n = 0;
        for (int s = 0; s < userSend.length; s++)
        {
            n += whole(s) ? 1 : 0;
        }
        return n;
    }

    private boolean whole(final int s)
    {
        return userSend[s] != 0 && leftStack[s] != 0 && acked[s] != 0 && replyIn[s] != 0 && userReceived[s] != 0;
    }

    /** The histograms of the parts, in {@link #PARTS}' order, over the complete round trips (ns; below 0 as 0). */
    public Histogram[] histograms()
    {
        final Histogram[] h = new Histogram[PARTS.length];
        for (int i = 0; i < h.length; i++)
        {
            h[i] = new Histogram(RoundTripSampler.HIGHEST_NS, 3);
        }
        for (int s = 0; s < userSend.length; s++)
        {
            if (whole(s))
            {
                record(h[0], leftStack[s] - userSend[s]);
                record(h[1], acked[s] - leftStack[s]);
                record(h[2], replyIn[s] - leftStack[s]);
                record(h[3], userReceived[s] - replyIn[s]);
            }
        }
        return h;
    }

    private static void record(final Histogram h, final long ns)
    {
        h.recordValue(Math.min(Math.max(ns, 0), RoundTripSampler.HIGHEST_NS));
    }
}
