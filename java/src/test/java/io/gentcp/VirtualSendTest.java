package io.gentcp;

import static io.gentcp.Option.binary;
import static io.gentcp.Option.highWatermark;
import static io.gentcp.Option.inetBackend;
import static io.gentcp.Option.linger;
import static io.gentcp.Option.lowWatermark;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.recbuf;
import static io.gentcp.Option.sendTimeout;
import static io.gentcp.Option.sendTimeoutClose;
import static io.gentcp.Option.sndbuf;
import static io.gentcp.VirtualThreadTest.BOUND_MS;
import static io.gentcp.VirtualThreadTest.awaitParked;
import static io.gentcp.VirtualThreadTest.join;
import static io.gentcp.VirtualThreadTest.startVirtual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A send that must wait (a queue at its high watermark, the socket backend's wait for the
 * kernel) and a close that lingers park a virtual thread instead of pinning its carrier, with
 * a platform thread's answers and bytes on the wire (internal/Parking.java, gentcp.h's
 * gt_send_parked and gt_close_parked). Runs on Java 21+; on Java 17 every test is skipped,
 * saying why.
 *
 * <p>Every connection's client writes into small kernel buffers that a server which reads
 * nothing fills at once. A test that needs a thread parked waits until its state says so (a
 * virtual thread blocked in C would stay RUNNABLE); time bounds only catch hangs.
 */
class VirtualSendTest
{
    private static final int CHUNK = 16 * 1024;

    @BeforeEach
    void needsVirtualThreads()
    {
        VirtualThreadTest.assumeVirtualThreads(VirtualSendTest.class);
    }

    /** A raw binary pair whose client's way to the server is small, with OPTIONS on both ends. */
    private static Pair tight(final Option... options)
    {
        final Option[] all = new Option[options.length + 5];
        all[0] = binary();
        all[1] = sndbuf(4096);
        all[2] = recbuf(4096);
        all[3] = highWatermark(4 * CHUNK);
        all[4] = lowWatermark(CHUNK);
        System.arraycopy(options, 0, all, 5, options.length);
        return Pair.of(all);
    }

    /**
     * A passive binary {packet, 4} pair of {inet_backend, socket} (the first option, as it must be), 4 KiB kernel
     * buffers.
     */
    private static Pair socketBackendPair()
    {
        final Option[] options = {inetBackend(Option.Backend.SOCKET), Option.active(false), binary(), sndbuf(4096),
            recbuf(4096), packet(4)};
        final ListenSocket listen = GenTcp.listen(0, options);
        final Socket client = GenTcp.connect("127.0.0.1", Inet.port(listen), 5_000, options);
        return Pair.of(listen, client, GenTcp.accept(listen, 5_000));
    }

    /**
     * Send CHUNKs of the pattern on SOCKET until TOTAL bytes are sent or a send fails; SENT
     * counts the bytes of every packet the sends accepted (a timed-out one stays queued: it
     * counts too). Returns the failure, or null.
     */
    private static GenTcpException sendPattern(final Socket socket, final long total, final AtomicLong sent)
    {
        while (sent.get() < total)
        {
            final byte[] b = BytePattern.bytes(sent.get(), CHUNK);
            try
            {
                GenTcp.send(socket, b);
            }
            catch (final GenTcpException e)
            {
                if (e.reason() == Reason.TIMEOUT && e.rest() == null)
                {
                    sent.addAndGet(CHUNK);
                }
                return e;
            }
            sent.addAndGet(CHUNK);
        }
        return null;
    }

    /** Read from SOCKET until UNTIL bytes of the pattern have come, checking each one, and no more. */
    private static void readPattern(final Socket socket, final long until)
    {
        assertEquals(until, BytePattern.read(socket, 0, until, BOUND_MS));
    }

    /** What CALL returns or throws, on a new virtual thread, once it ended. */
    private static Object onVirtual(final Callable<?> call)
    {
        final AtomicReference<Object> outcome = new AtomicReference<>();
        join(startVirtual(() -> outcome.set(outcome(call))));
        return outcome.get();
    }

    private static Object onPlatform(final Callable<?> call)
    {
        return outcome(call);
    }

    private static Object outcome(final Callable<?> call)
    {
        try
        {
            return call.call();
        }
        catch (final Throwable e)
        {
            return e;
        }
    }

    /**
     * More virtual threads than carriers each send to a peer that reads nothing: each parks at
     * its high watermark, and another virtual thread still finds a carrier. Then the peers
     * read, and every send completes with every byte in order.
     */
    @Test
    @Timeout(120)
    void sendersAtTheHighWatermarkParkAndLeaveTheCarriersFree() throws InterruptedException
    {
        final int senders = 2 * Runtime.getRuntime().availableProcessors() + 2;
        final long total = 32L * CHUNK;
        final List<Thread> threads = new ArrayList<>();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (Pairs pairs = Pairs.of(senders, VirtualSendTest::tight))
        {
            for (final Pair p : pairs)
            {
                threads.add(startVirtual(() ->
                {
                    final GenTcpException e = sendPattern(p.client, total, new AtomicLong());
                    if (e != null)
                    {
                        failures.add(e);
                    }
                }));
            }
            for (final Thread t : threads)
            {
                awaitParked(t);
                assertTrue(t.isAlive(), "a sender finished while nobody read");
            }
            final CountDownLatch ran = new CountDownLatch(1);
            startVirtual(ran::countDown);
            assertTrue(ran.await(BOUND_MS, TimeUnit.MILLISECONDS), "a virtual thread found no carrier");
            for (final Pair p : pairs)
            {
                readPattern(p.server, total);
            }
            threads.forEach(VirtualThreadTest::join);
            assertTrue(failures.isEmpty(), () -> "senders failed: " + failures);
        }
    }

    /** What a send answers at send_timeout, and what follows, on one kind of thread. */
    private static String timeoutStory(final boolean virtual, final boolean close)
    {
        try (Pair p = tight(sendTimeout(200), sendTimeoutClose(close)))
        {
            final AtomicLong sent = new AtomicLong();
            final Callable<String> story = () ->
            {
                final long start = System.nanoTime();
                final GenTcpException e = sendPattern(p.client, Long.MAX_VALUE, sent);
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(tookMs >= 200 && tookMs < 10_000, "a 200 ms send_timeout took " + tookMs + " ms");
                String then;
                try
                {
                    GenTcp.send(p.client, BytePattern.bytes(sent.get(), 1));
                    then = "ok";
                    sent.incrementAndGet();
                }
                catch (final GenTcpException next)
                {
                    then = next.reason().toString();
                    if (next.reason() == Reason.TIMEOUT)
                    {
                        sent.incrementAndGet(); // queued all the same
                    }
                }
                return e.reason() + ", then " + then;
            };
            final Object outcome = virtual ? onVirtual(story) : onPlatform(story);
            if (!close)
            {
                readPattern(p.server, sent.get()); // nothing was dropped
            }
            return outcome.toString();
        }
    }

    @Test
    @Timeout(60)
    void sendTimeoutAnswersAsOnAPlatformThread()
    {
        for (final boolean close : new boolean[] {false, true})
        {
            final String platform = timeoutStory(false, close);
            final String virtual = timeoutStory(true, close);
            assertEquals(platform, virtual, "send_timeout_close " + close);
            assertTrue(platform.startsWith("timeout, then "), platform);
        }
    }

    /**
     * {inet_backend, socket}: one packet larger than the way to the peer times out on a
     * virtual thread as on a platform thread, {timeout, RestData} holding exactly the bytes
     * the peer did not get (its length header included).
     */
    @Test
    @Timeout(60)
    void socketBackendRestDataIsExact()
    {
        for (final boolean virtual : new boolean[] {false, true})
        {
            final Option[] options = {inetBackend(Option.Backend.SOCKET), Option.active(false), binary(), sndbuf(4096),
                recbuf(4096), sendTimeout(200), packet(4)};
            final ListenSocket listen = GenTcp.listen(0, options);
            final Socket client = GenTcp.connect("127.0.0.1", Inet.port(listen), 5_000, options);
            try (Pair p = Pair.of(listen, client, GenTcp.accept(listen, 5_000)))
            {
                Inet.setopts(p.server, packet(PacketType.RAW));
                final byte[] data = BytePattern.bytes(0, 1 << 20);
                final Object outcome = virtual ? onVirtual(() -> sendOne(p.client, data))
                    : onPlatform(() -> sendOne(p.client, data));
                assertTrue(outcome instanceof GenTcpException, (virtual ? "virtual: " : "platform: ") + outcome);
                assertRestIsExact((GenTcpException)outcome, data, p.server);
            }
        }
    }

    /**
     * E, a {packet, 4} send of DATA that timed out, holds in {timeout, RestData} exactly the
     * bytes of the packet (header included) that SERVER, raw, does not get.
     */
    private static void assertRestIsExact(final GenTcpException e, final byte[] data, final Socket server)
    {
        assertEquals(Reason.TIMEOUT, e.reason());
        final byte[] rest = e.rest();
        final byte[] wire = new byte[4 + data.length];
        wire[1] = 0x10; // 1 << 20, big-endian
        System.arraycopy(data, 0, wire, 4, data.length);
        final int delivered = wire.length - rest.length;
        assertTrue(delivered > 0 && rest.length > 0, "delivered " + delivered);
        assertArrayEquals(java.util.Arrays.copyOfRange(wire, delivered, wire.length), rest);
        int got = 0;
        while (got < delivered)
        {
            final byte[] b = GenTcp.recv(server, 0, BOUND_MS);
            assertArrayEquals(java.util.Arrays.copyOfRange(wire, got, got + b.length), b);
            got += b.length;
        }
        assertEquals(delivered, got);
        assertNoMoreBytes(server, 200, Reason.TIMEOUT, "more than the sender counted"); // none within 200 ms
    }

    /**
     * {inet_backend, socket}, no send_timeout: an interrupt ends a parked send part way out as
     * a timeout, the status left set, and RestData is exactly what the peer did not get.
     */
    @Test
    @Timeout(60)
    void socketBackendInterruptKeepsRestDataExact()
    {
        try (Pair p = socketBackendPair())
        {
            Inet.setopts(p.server, packet(PacketType.RAW));
            final byte[] data = BytePattern.bytes(0, 1 << 20);
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final AtomicReference<Boolean> interrupted = new AtomicReference<>();
            final Thread t = startVirtual(() ->
            {
                outcome.set(outcome(() -> sendOne(p.client, data)));
                interrupted.set(Thread.currentThread().isInterrupted());
            });
            awaitParked(t);
            t.interrupt();
            join(t);
            assertTrue(outcome.get() instanceof GenTcpException, "the send answered " + outcome.get());
            assertEquals(Boolean.TRUE, interrupted.get());
            assertRestIsExact((GenTcpException)outcome.get(), data, p.server);
        }
    }

    /**
     * {inet_backend, socket}: two virtual threads send a packet larger than the way to the peer
     * at once; the second waits (parked) for the first's sending side, so each packet arrives
     * whole and neither cuts into the other.
     */
    @Test
    @Timeout(60)
    void socketBackendPacketsOfParkedSendersDoNotInterleave()
    {
        try (Pair p = socketBackendPair())
        {
            final int length = 1 << 18;
            final List<Thread> senders = new ArrayList<>();
            final Queue<Object> outcomes = new ConcurrentLinkedQueue<>();
            for (final byte fill : new byte[] {'A', 'B'})
            {
                final byte[] data = new byte[length];
                java.util.Arrays.fill(data, fill);
                final Thread t = startVirtual(() -> outcomes.add(outcome(() -> sendOne(p.client, data))));
                senders.add(t);
                awaitParked(t);
            }
            final List<Byte> seen = new ArrayList<>();
            for (int i = 0; i < 2; i++)
            {
                final byte[] b = GenTcp.recv(p.server, 0, BOUND_MS);
                assertEquals(length, b.length);
                for (final byte x : b)
                {
                    if (x != b[0])
                    {
                        throw new AssertionError("packet " + i + " mixes " + (char)b[0] + " and " + (char)x);
                    }
                }
                seen.add(b[0]);
            }
            assertTrue(seen.contains((byte)'A') && seen.contains((byte)'B'), "packets " + seen);
            senders.forEach(VirtualThreadTest::join);
            assertEquals(List.of("sent", "sent"), new ArrayList<>(outcomes));
        }
    }

    private static String sendOne(final Socket socket, final byte[] data)
    {
        GenTcp.send(socket, data);
        return "sent";
    }

    /** No more bytes come to SOCKET: a recv within TIMEOUT_MS answers REASON; AFTER says after what. */
    private static void assertNoMoreBytes(final Socket socket, final long timeoutMs, final Reason reason,
        final String after)
    {
        try
        {
            final byte[] more = GenTcp.recv(socket, 0, timeoutMs);
            throw new AssertionError(more.length + " bytes " + after);
        }
        catch (final GenTcpException e)
        {
            assertEquals(reason, e.reason());
        }
    }

    /** An interrupt ends a parked send as a timeout, the status still set, and drops nothing. */
    @Test
    @Timeout(60)
    void interruptEndsAParkedSendAsATimeout()
    {
        try (Pair p = tight(sendTimeoutClose(true)))
        {
            final AtomicLong sent = new AtomicLong();
            final AtomicReference<String> outcome = new AtomicReference<>();
            final Thread t = startVirtual(() ->
            {
                final GenTcpException e = sendPattern(p.client, Long.MAX_VALUE, sent);
                outcome.set(VirtualThreadTest.endedBy(e));
            });
            awaitParked(t);
            t.interrupt();
            join(t);
            assertEquals("timeout interrupted", outcome.get());
            // No send_timeout_close reset: every byte arrives, and the socket still works.
            readPattern(p.server, sent.get());
            GenTcp.send(p.client, new byte[] {42});
            assertArrayEquals(new byte[] {42}, GenTcp.<byte[]>recv(p.server, 0, BOUND_MS));
        }
    }

    /**
     * A close that lingers on a virtual thread parks too, and tells a virtual thread parked in
     * a send of the same socket at once ({@code closed}, though the peer reads nothing); then
     * the peer reads, the close drains the queue, and the peer gets every byte, then the end.
     */
    @Test
    @Timeout(60)
    void aLingeringCloseParksWakesTheParkedSenderAndDrains() throws InterruptedException
    {
        try (Pair p = tight(linger(true, 30)))
        {
            final AtomicLong sent = new AtomicLong();
            final AtomicReference<Object> sendOutcome = new AtomicReference<>();
            final Thread sender = startVirtual(() -> sendOutcome.set(sendPattern(p.client, Long.MAX_VALUE, sent)));
            awaitParked(sender);
            final CountDownLatch closed = new CountDownLatch(1);
            final Thread closer = startVirtual(() ->
            {
                GenTcp.close(p.client);
                closed.countDown();
            });
            join(sender); // woken by the close, though the peer reads nothing
            final Object answer = sendOutcome.get();
            assertTrue(answer instanceof GenTcpException && ((GenTcpException)answer).reason() == Reason.CLOSED,
                "the parked send answered " + answer);
            assertEquals(1, closed.getCount(), "the close returned with data still queued");
            awaitParked(closer);
            final CountDownLatch ran = new CountDownLatch(1);
            startVirtual(ran::countDown);
            assertTrue(ran.await(BOUND_MS, TimeUnit.MILLISECONDS), "a virtual thread found no carrier");
            readPattern(p.server, sent.get() + CHUNK); // the packet the close interrupted was queued
            join(closer);
            assertNoMoreBytes(p.server, BOUND_MS, Reason.CLOSED, "after the queue");
        }
    }

    /**
     * A virtual thread parked in recv and another parked in send on the same socket are both
     * served: data for the reader wakes it though the sender armed last, and room for the
     * sender wakes it though the reader armed last.
     */
    @Test
    @Timeout(60)
    void aParkedReaderAndAParkedSenderShareASocket()
    {
        try (Pair p = tight())
        {
            final long total = 16L * CHUNK;
            final AtomicReference<Object> received = new AtomicReference<>();
            final AtomicReference<Object> sendOutcome = new AtomicReference<>();
            final Thread reader = startVirtual(() ->
                received.set(outcome(() -> GenTcp.<byte[]>recv(p.client, 0, BOUND_MS))));
            awaitParked(reader);
            final Thread sender = startVirtual(() -> sendOutcome.set(sendPattern(p.client, total, new AtomicLong())));
            awaitParked(sender);
            GenTcp.send(p.server, "for the reader".getBytes());
            join(reader);
            assertArrayEquals("for the reader".getBytes(), (byte[])received.get());
            assertTrue(sender.isAlive(), "the sender finished while nobody read");
            final Thread again = startVirtual(() ->
                received.set(outcome(() -> GenTcp.<byte[]>recv(p.client, 0, BOUND_MS))));
            awaitParked(again);
            readPattern(p.server, total);
            join(sender);
            assertEquals(null, sendOutcome.get());
            GenTcp.send(p.server, "again".getBytes());
            join(again);
            assertArrayEquals("again".getBytes(), (byte[])received.get());
        }
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

    /**
     * A close tells every sender parked at the high watermark at once, as it tells every
     * sleeping one (the wake fd): the second waited for its turn at the socket's lock, in no
     * page entry, when the close's kick came (found by review: it slept until the linger
     * ended, 30 s here).
     */
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
            assertFalse(bStillParked, "the second parked sender was still parked 10 s after the close (its answer: " +
                second.get() + ")");
            assertEquals(Reason.CLOSED, second.get());
        }
    }
}
