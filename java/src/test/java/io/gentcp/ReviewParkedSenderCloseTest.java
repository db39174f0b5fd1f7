package io.gentcp;

import static io.gentcp.Option.binary;
import static io.gentcp.Option.highWatermark;
import static io.gentcp.Option.linger;
import static io.gentcp.Option.lowWatermark;
import static io.gentcp.Option.recbuf;
import static io.gentcp.Option.sndbuf;
import static io.gentcp.VirtualThreadTest.awaitParked;
import static io.gentcp.VirtualThreadTest.join;
import static io.gentcp.VirtualThreadTest.startVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Review of issue 14: a close tells every sender parked at the high watermark at once, as it
 * tells every sleeping one (the wake fd). A second virtual sender waits for its turn at the
 * socket's lock (Parking.awaitLow), not in the page table: the close's kick wakes only the
 * first; the second then arms and parks without looking again, and sleeps until the linger
 * ends (30 s here), though C has its wait ended (closed) all along.
 */
class ReviewParkedSenderCloseTest
{
    private static final int CHUNK = 16 * 1024;

    @BeforeEach
    void needsVirtualThreads()
    {
        VirtualThreadTest.assumeVirtualThreads(ReviewParkedSenderCloseTest.class);
    }

    private static void sendUntilError(final Socket socket, final AtomicReference<Object> outcome)
    {
        final byte[] b = new byte[CHUNK];
        try
        {
            for (int i = 0; i < 100_000; i++)
            {
                GenTcp.send(socket, b);
            }
            outcome.set("no error");
        }
        catch (final Throwable e)
        {
            outcome.set(e instanceof GenTcpException ? ((GenTcpException)e).reason() : e);
        }
    }

    @Test
    @Timeout(120)
    void aCloseWakesEveryParkedSenderAtOnce() throws InterruptedException
    {
        try (Pair p = Pair.of(binary(), sndbuf(4096), recbuf(4096), highWatermark(4 * CHUNK), lowWatermark(CHUNK),
            linger(true, 30)))
        {
            final AtomicReference<Object> first = new AtomicReference<>();
            final AtomicReference<Object> second = new AtomicReference<>();
            final Thread a = startVirtual(() -> sendUntilError(p.client, first));
            awaitParked(a); // parked in C's wait for the low mark, in the page table
            final Thread b = startVirtual(() -> sendUntilError(p.client, second));
            awaitParked(b); // its packet queued, waiting for its turn at Socket.senders
            final Thread closer = startVirtual(() -> GenTcp.close(p.client)); // lingers: nobody reads
            a.join(10_000);
            b.join(10_000); // a platform sender answers closed at once (woken through the wake fd)
            final boolean bStillParked = b.isAlive();
            // Let the close end so that the pair can close: the peer reads.
            final Thread reader = startVirtual(() ->
            {
                try
                {
                    for (;;)
                    {
                        GenTcp.recv(p.server, 0, 30_000);
                    }
                }
                catch (final GenTcpException e)
                {
                    // closed
                }
            });
            join(b);
            join(closer);
            join(reader);
            assertEquals(Reason.CLOSED, first.get());
            assertFalse(bStillParked, "the second parked sender was still parked 10 s after the close (its answer: "
                + second.get() + ")");
            assertEquals(Reason.CLOSED, second.get());
        }
    }
}
