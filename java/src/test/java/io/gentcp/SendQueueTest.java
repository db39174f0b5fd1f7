package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.buffer;
import static io.gentcp.Option.exitOnClose;
import static io.gentcp.Option.highWatermark;
import static io.gentcp.Option.linger;
import static io.gentcp.Option.lowWatermark;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.recbuf;
import static io.gentcp.Option.sendTimeout;
import static io.gentcp.Option.sendTimeoutClose;
import static io.gentcp.Option.showEconnreset;
import static io.gentcp.Option.sndbuf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inet backend's send queue (reference 2.3, 2.6; OTP cases of 3.4 and 3.7): sends return
 * with what the kernel did not take queued, the watermarks and send_timeout, postponed
 * shutdown(write), close with linger, and errors of queued data.
 */
@Timeout(120)
class SendQueueTest
{
    private static final long LONG_MS = 10_000;

    /** A passive binary pair with 4 KiB kernel buffers on both ends, plus OPTIONS. */
    private static Pair small(final Option... options)
    {
        final Option[] all = new Option[options.length + 3];
        all[0] = binary();
        all[1] = sndbuf(4096);
        all[2] = recbuf(4096);
        System.arraycopy(options, 0, all, 3, options.length);
        return Pair.of(all);
    }

    /** Reads N raw bytes and checks they continue the pattern from AT; returns the new position. */
    private static long readPattern(final Socket s, final long at, final long n)
    {
        return BytePattern.read(s, at, n, LONG_MS);
    }

    private static long pend(final Socket s)
    {
        return Inet.getstat(s).sendPend();
    }

    /** Polls (bounded) until CONDITION holds. */
    private static void await(final String what, final java.util.function.BooleanSupplier condition)
    {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > end)
            {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void aSendTheKernelCannotTakeReturnsAtOnceWithTheRestQueued()
    {
        try (Pair p = small(highWatermark(1 << 30)))
        {
            final byte[] data = BytePattern.bytes(0, 1 << 20);
            final long t0 = System.nanoTime();
            GenTcp.send(p.client, data);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
            final long pending = pend(p.client);
            assertTrue(pending > 0 && pending <= data.length, "send_pend " + pending);
            assertEquals(data.length, readPattern(p.server, 0, data.length));
            assertEquals(0, pend(p.client));
        }
    }

    /** NEW watermarks (86): the send that reaches high blocks until the peer has drained it to low. */
    @Test
    void aSendReachingTheHighMarkWaitsForTheLowMark() throws Exception
    {
        try (Pair p = small(highWatermark(100_000), lowWatermark(50_000)))
        {
            final AtomicBoolean secondReturned = new AtomicBoolean();
            final CompletableFuture<Void> sender = CompletableFuture.runAsync(() ->
            {
                GenTcp.send(p.client, BytePattern.bytes(0, 65536));
                GenTcp.send(p.client, BytePattern.bytes(65536, 65536));
                secondReturned.set(true);
            });
            await("the queue at the high mark", () -> pend(p.client) >= 100_000);
            assertFalse(secondReturned.get());
            assertEquals(2 * 65536, readPattern(p.server, 0, 2 * 65536));
            sender.get(LONG_MS, TimeUnit.MILLISECONDS);
            assertTrue(secondReturned.get());
        }
    }

    /** Sends made by {@link #sendUntilError}, the failed one included; its error; the last one's time. */
    private record Sends(int count, GenTcpException error, long lastNanos)
    {
    }

    /** Sends PACKET on SOCKET, at most MAX times, until a send fails (error null if none did). */
    private static Sends sendUntilError(final Socket socket, final byte[] packet, final int max)
    {
        int count = 0;
        long took = 0;
        GenTcpException error = null;
        while (count < max && error == null)
        {
            final long t0 = System.nanoTime();
            try
            {
                GenTcp.send(socket, packet);
            }
            catch (final GenTcpException e)
            {
                error = e;
            }
            took = System.nanoTime() - t0;
            count++;
        }
        return new Sends(count, error, took);
    }

    /** send_timeout_basic_wo_autoclose (79) and send_timeout_check_length (80). */
    @Test
    void sendTimeoutWithoutAutocloseKeepsTheDataQueued()
    {
        try (Pair p = small(packet(4), sndbuf(16384), sendTimeout(300)))
        {
            final byte[] kb = new byte[1024];
            final Sends first = sendUntilError(p.client, kb, 10_000); // a timed-out packet stays queued
            assertEquals(Reason.TIMEOUT, first.error().reason());
            final long took = first.lastNanos();
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(250) && took < TimeUnit.SECONDS.toNanos(3),
                "took " + took);
            // While the queue stays full, later sends time out too. (The kernel may still open a
            // little room by collapsing the buffers it holds, so a few may pass first.)
            final Sends later = sendUntilError(p.client, kb, 100);
            assertNotNull(later.error(), "a later send timed out");
            assertEquals(Reason.TIMEOUT, later.error().reason());
            for (int i = 0; i < first.count() + later.count(); i++)
            {
                assertEquals(1024, GenTcp.<byte[]>recv(p.server, 0, LONG_MS).length);
            }
            GenTcp.send(p.client, kb); // the socket works on
            assertEquals(1024, GenTcp.<byte[]>recv(p.server, 0, LONG_MS).length);
        }
    }

    /** send_timeout_para (81): two senders on one full socket both end (timeout), neither hangs. */
    @Test
    void twoBlockedSendersBothTimeOut() throws Exception
    {
        try (Pair p = small(sendTimeout(300)))
        {
            final CompletableFuture<?>[] senders = new CompletableFuture<?>[2];
            for (int t = 0; t < senders.length; t++)
            {
                senders[t] = CompletableFuture.supplyAsync(() ->
                    assertThrows(GenTcpException.class, () ->
                    {
                        for (int i = 0; i < 100_000; i++)
                        {
                            GenTcp.send(p.client, new byte[4096]);
                        }
                    }).reason());
            }
            for (final CompletableFuture<?> sender : senders)
            {
                assertEquals(Reason.TIMEOUT, sender.get(LONG_MS, TimeUnit.MILLISECONDS));
            }
            Inet.setopts(p.client, linger(true, 0)); // close without waiting for the stalled queue
        }
    }

    /** send_timeout_basic_w_autoclose (79): the timed-out socket is reset; later calls enotconn. */
    @Test
    void sendTimeoutCloseResetsTheConnection()
    {
        try (Pair p = small(packet(4), sendTimeout(200), sendTimeoutClose(true), showEconnreset(true)))
        {
            final byte[] kb = new byte[1024];
            assertEquals(Reason.TIMEOUT, sendUntilError(p.client, kb, 10_000).error().reason());
            assertReason(Reason.ENOTCONN, () -> GenTcp.send(p.client, kb));
            assertReason(Reason.ENOTCONN, () -> GenTcp.recv(p.client, 0, 100));
            final GenTcpException peer = assertThrows(GenTcpException.class, () ->
            {
                for (int i = 0; i < 100_000; i++)
                {
                    GenTcp.recv(p.server, 0, LONG_MS);
                }
            });
            assertEquals(Reason.ECONNRESET, peer.reason()); // documented: the peer sees a reset
        }
    }

    /** send_timeout_resume (83): send_timeout 0, retried with empty sends: every byte arrives, in order. */
    @Test
    void sendTimeoutZeroResumes() throws Exception
    {
        try (Pair p = Pair.of(binary(), sendTimeout(0), highWatermark(8192), lowWatermark(4096), sndbuf(8192),
            recbuf(8192), buffer(16384)))
        {
            final int total = 2 << 20;
            // The reader takes 64 KiB each time the sender has timed out, so timeouts recur.
            final java.util.concurrent.Semaphore turns = new java.util.concurrent.Semaphore(0);
            final CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() ->
            {
                long pos = 0;
                while (pos < total)
                {
                    turns.acquireUninterruptibly();
                    pos = readPattern(p.server, pos, Math.min(65536, total - pos));
                }
                return pos;
            });
            int timeouts = 0;
            long at = 0;
            final SplittableRandom random = new SplittableRandom(83);
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (at < total)
            {
                final int n = (int)Math.min(total - at, random.nextInt(1, 4000));
                try
                {
                    GenTcp.send(p.client, BytePattern.bytes(at, n));
                    at += n;
                }
                catch (final GenTcpException e)
                {
                    assertEquals(Reason.TIMEOUT, e.reason());
                    at += n; // queued all the same
                    timeouts++;
                    turns.release();
                    while (true) // poll with empty sends until the queue is below high
                    {
                        assertTrue(System.nanoTime() < end, "the queue never drained");
                        try
                        {
                            GenTcp.send(p.client, new byte[0]);
                            break;
                        }
                        catch (final GenTcpException again)
                        {
                            assertEquals(Reason.TIMEOUT, again.reason());
                            LockSupport.parkNanos(200_000);
                        }
                    }
                }
            }
            turns.release(total / 65536 + 1);
            assertEquals(total, reader.get(60, TimeUnit.SECONDS));
            assertTrue(timeouts > 1, "timeouts " + timeouts);
        }
    }

    /** shutdown_async (44) and shutdown_pending (49): shutdown(write) waits for the queue, returns at once. */
    @Test
    void shutdownWriteWithDataQueuedReturnsAtOnceAndHappensAfterTheDrain()
    {
        try (Pair p = small(highWatermark(1 << 30), exitOnClose(false)))
        {
            final int n = (512 << 10) + 17;
            GenTcp.send(p.client, BytePattern.bytes(0, n));
            assertTrue(pend(p.client) > 0);
            final long t0 = System.nanoTime();
            GenTcp.shutdown(p.client, GenTcp.How.WRITE);
            assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(500));
            assertEquals(n, readPattern(p.server, 0, n));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, LONG_MS));
            GenTcp.send(p.server, "" + n); // the half-closed peer answers with the count
            assertEquals(Integer.toString(n), new String(GenTcp.<byte[]>recv(p.client, 0, LONG_MS)));
            assertReason(Reason.CLOSED, () -> GenTcp.send(p.client, new byte[1])); // our own shutdown
        }
    }

    /** linger_zero (53): a non-empty queue, {linger, {true, 0}}, close: at once, and the peer sees a reset. */
    @Test
    void lingerZeroDiscardsTheQueueAndResets()
    {
        try (Pair p = small(highWatermark(1 << 30), showEconnreset(true)))
        {
            Inet.setopts(p.client, linger(true, 0));
            GenTcp.send(p.client, BytePattern.bytes(0, 1 << 20));
            assertTrue(pend(p.client) > 0);
            final long t0 = System.nanoTime();
            GenTcp.close(p.client);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
            final GenTcpException e = assertThrows(GenTcpException.class, () ->
            {
                for (int i = 0; i < 100_000; i++)
                {
                    GenTcp.recv(p.server, 0, LONG_MS);
                }
            });
            assertEquals(Reason.ECONNRESET, e.reason());
            assertReason(Reason.EINVAL, () -> Inet.getstat(p.client)); // the local socket is gone
        }
    }

    /** NEW close with pending output (88): default linger and a peer that does not read: about 5 s. */
    @Test
    void closeWithAStalledQueueGivesUpAfterFiveSecondsWithoutProgress()
    {
        try (Pair p = small(highWatermark(1 << 30)))
        {
            GenTcp.send(p.client, BytePattern.bytes(0, 1 << 20));
            assertTrue(pend(p.client) > 0);
            final long t0 = System.nanoTime();
            GenTcp.close(p.client);
            final long took = System.nanoTime() - t0;
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(4500) && took < TimeUnit.SECONDS.toNanos(15),
                "took " + took);
            // cut: reset, never a clean end
            assertThrows(GenTcpException.class, () -> readPattern(p.server, 0, 1 << 20));
        }
    }

    /** close_with_pending_output (27): a reader that drains gets every byte before close returns. */
    @Test
    void closeWaitsForAReaderToTakeTheQueue() throws Exception
    {
        try (Pair p = small(highWatermark(1 << 30)))
        {
            final int n = 1 << 20;
            GenTcp.send(p.client, BytePattern.bytes(0, n));
            final CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> readPattern(p.server, 0, n));
            GenTcp.close(p.client);
            assertEquals(n, reader.get(LONG_MS, TimeUnit.MILLISECONDS));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, LONG_MS));
        }
    }

    /** The client queues 1 MiB the server never reads; the server sends "Whatever" and resets. */
    private static void peerResetsWithDataQueued(final Pair p)
    {
        GenTcp.send(p.client, BytePattern.bytes(0, 1 << 20));
        assertTrue(pend(p.client) > 0);
        GenTcp.send(p.server, "Whatever");
        Inet.setopts(p.server, linger(true, 0));
        GenTcp.close(p.server);
    }

    /** econnreset_after_async_send_passive (52). */
    @Test
    void econnresetAfterAsyncSend()
    {
        try (Pair p = small(highWatermark(1 << 30), showEconnreset(true)))
        {
            peerResetsWithDataQueued(p);
            assertEquals("Whatever", new String(GenTcp.<byte[]>recv(p.client, 0, LONG_MS)));
            assertReason(Reason.ECONNRESET, () -> GenTcp.recv(p.client, 0, LONG_MS));
            final GenTcpException e = assertThrows(GenTcpException.class, () -> GenTcp.send(p.client, new byte[1]));
            assertTrue(Set.of(Reason.ECONNRESET, Reason.ENOTCONN, Reason.CLOSED).contains(e.reason()),
                e.reason().toString());
        }
    }

    /** partial_recv_and_close_3 (54): 512 KB queued, the peer reads 1 byte and closes: recv says closed. */
    @Test
    void partialRecvAndClose()
    {
        try (Pair p = small(highWatermark(1 << 30)))
        {
            GenTcp.send(p.client, BytePattern.bytes(0, 512 << 10));
            assertEquals(1, GenTcp.<byte[]>recv(p.server, 1, LONG_MS).length);
            GenTcp.close(p.server);
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, LONG_MS));
        }
    }

    /**
     * busy_disconnect_passive (55) and fill_sendq (78): a sender blocked at the high mark gets closed when the peer
     * goes.
     */
    @Test
    void aSenderBlockedOnAFullQueueGetsClosedWhenThePeerCloses() throws Exception
    {
        for (int round = 0; round < 5; round++)
        {
            try (Pair p = small())
            {
                final CompletableFuture<GenTcpException> writer = CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        for (int i = 0; i < 100_000; i++)
                        {
                            GenTcp.send(p.server, new byte[4096]);
                        }
                        return null;
                    }
                    catch (final GenTcpException e)
                    {
                        return e;
                    }
                });
                await("the writer at the high mark", () -> pend(p.server) >= 8192);
                final CompletableFuture<GenTcpException> reader = CompletableFuture.supplyAsync(() ->
                    assertThrows(GenTcpException.class, () -> GenTcp.recv(p.server, 0)));
                GenTcp.close(p.client);
                assertEquals(Reason.CLOSED, writer.get(LONG_MS, TimeUnit.MILLISECONDS).reason());
                assertEquals(Reason.CLOSED, reader.get(LONG_MS, TimeUnit.MILLISECONDS).reason());
            }
        }
    }

    /** What a call that ran until it failed saw: the error and when it came (System.nanoTime()). */
    private record Stopped(GenTcpException error, long atNanos)
    {
        static Stopped after(final Runnable call)
        {
            try
            {
                call.run();
                return new Stopped(null, System.nanoTime());
            }
            catch (final GenTcpException e)
            {
                return new Stopped(e, System.nanoTime());
            }
        }

        /** Asserts it failed with closed within 2 s of START_NANOS (long before the linger's 5 s). */
        void closedSoonAfter(final long startNanos, final String who)
        {
            assertNotNull(error, who + " never failed");
            assertEquals(Reason.CLOSED, error.reason(), who);
            final long took = atNanos - startNanos;
            assertTrue(took < TimeUnit.SECONDS.toNanos(2),
                who + " returned " + took / 1_000_000 + " ms after close began");
        }
    }

    /**
     * close wakes a sender blocked at the high mark and a reader blocked in recv at once,
     * whatever the linger (default, or {linger, {true, 5}}): the linger wait is the closer's
     * alone, and it still lingers, since the peer never reads.
     */
    @ParameterizedTest
    @ValueSource(ints = {-1, 5})
    void closeWakesASenderAndAReaderAtOnceWhileTheCloserLingers(final int lingerSeconds) throws Exception
    {
        // a thread each: both block, and the common pool may run one task at a time
        final ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Pair p = lingerSeconds < 0 ? small() : small(linger(true, lingerSeconds)))
        {
            final CompletableFuture<Stopped> writer = CompletableFuture.supplyAsync(() -> Stopped.after(() ->
            {
                for (int i = 0; i < 100_000; i++)
                {
                    GenTcp.send(p.client, new byte[4096]);
                }
            }), threads);
            // the send that brought the queue to the high mark (8192) waits for the low mark
            await("the writer at the high mark", () -> pend(p.client) >= 8192);
            final CompletableFuture<Stopped> reader = CompletableFuture.supplyAsync(() -> Stopped.after(() ->
                CloseTest.recvRetryingEalready(p.client, GenTcp.INFINITY)), threads);
            CloseTest.awaitInsideRecv(p.client);
            final long closeStart = System.nanoTime();
            GenTcp.close(p.client);
            final long closeTook = System.nanoTime() - closeStart;
            writer.get(LONG_MS, TimeUnit.MILLISECONDS).closedSoonAfter(closeStart, "the blocked sender");
            reader.get(LONG_MS, TimeUnit.MILLISECONDS).closedSoonAfter(closeStart, "the blocked reader");
            assertTrue(closeTook >= TimeUnit.MILLISECONDS.toNanos(4500) && closeTook < TimeUnit.SECONDS.toNanos(15),
                "close took " + closeTook / 1_000_000 + " ms");
        }
        finally
        {
            threads.shutdown();
        }
    }

    /** busy_disconnect_active (55): the blocked writer gets closed and the owner tcp_closed. */
    @Test
    void anActiveSocketWhoseBlockedWriterLosesThePeerGetsTcpClosed() throws Exception
    {
        try (Pair p = small())
        {
            Inet.setopts(p.server, active(true)); // this thread's mailbox owns it
            final CompletableFuture<GenTcpException> writer = CompletableFuture.supplyAsync(() ->
                assertThrows(GenTcpException.class, () ->
                {
                    for (int i = 0; i < 100_000; i++)
                    {
                        GenTcp.send(p.server, new byte[4096]);
                    }
                }));
            await("the writer at the high mark", () -> pend(p.server) >= 8192);
            GenTcp.close(p.client);
            assertEquals(Reason.CLOSED, writer.get(LONG_MS, TimeUnit.MILLISECONDS).reason());
            assertEquals(new TcpClosed(p.server), Mailbox.current().receive(LONG_MS));
        }
        finally
        {
            Mailbox.current().close();
        }
    }

    /** econnreset_after_async_send_active (52): the data, then tcp_error econnreset, then tcp_closed. */
    @Test
    void econnresetAfterAsyncSendActive()
    {
        try (Pair p = small(highWatermark(1 << 30), showEconnreset(true)))
        {
            peerResetsWithDataQueued(p);
            Inet.setopts(p.client, active(true));
            final Tcp data = (Tcp)Mailbox.current().receive(LONG_MS);
            assertEquals("Whatever", new String((byte[])data.data()));
            assertEquals(new TcpError(p.client, Reason.ECONNRESET), Mailbox.current().receive(LONG_MS));
            assertEquals(new TcpClosed(p.client), Mailbox.current().receive(LONG_MS));
        }
        finally
        {
            Mailbox.current().close();
        }
    }

    /** busy_send (77): a server sends 42-byte messages until one blocks; the client gets every one, then closed. */
    @Test
    void busySend()
    {
        try (Pair p = small(packet(4), sendTimeout(500)))
        {
            int sent = 0;
            boolean blocked = false;
            final byte[] msg = new byte[42];
            for (int i = 0; i < 1_000_000 && !blocked; i++)
            {
                msg[0] = (byte)i;
                try
                {
                    GenTcp.send(p.server, msg);
                }
                catch (final GenTcpException e)
                {
                    assertEquals(Reason.TIMEOUT, e.reason());
                    blocked = true;
                }
                sent++;
            }
            assertTrue(blocked);
            final CompletableFuture<Void> closer = CompletableFuture.runAsync(() -> GenTcp.close(p.server));
            for (int i = 0; i < sent; i++)
            {
                final byte[] got = GenTcp.recv(p.client, 0, LONG_MS);
                assertEquals(42, got.length);
                assertEquals((byte)i, got[0]);
            }
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, LONG_MS));
            closer.join();
        }
    }

    /** otp_13939: exit_on_close=false and a peer that went away: a 10 MB send never hangs. */
    @Test
    void aGonePeerNeverMakesATenMegabyteSendHang()
    {
        try (Pair p = Pair.of(binary(), exitOnClose(false)))
        {
            GenTcp.close(p.client);
            final byte[] big = new byte[10 << 20];
            final long t0 = System.nanoTime();
            // the first goes to an empty queue: ok at once, as OTP's (the rest stays queued)
            GenTcp.send(p.server, big);
            final GenTcpException e = assertThrows(GenTcpException.class, () -> GenTcp.send(p.server, big));
            assertTrue(e.reason() == Reason.CLOSED || e.reason() == Reason.ECONNRESET || e.reason() == Reason.ENOTCONN,
                "the second send fails: " + e.reason());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        }
    }

    /** zombie_sockets (58): handlers that send 100 KB to clients that left close for good. */
    @Test
    void zombieSockets()
    {
        final ListenSocket l = GenTcp.listen(0, binary(), active(false));
        try
        {
            for (int i = 0; i < 10; i++)
            {
                final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, binary(), active(false));
                final Socket s = GenTcp.accept(l, 5_000);
                GenTcp.close(c);
                try
                {
                    GenTcp.send(s, new byte[100 << 10]);
                }
                catch (final GenTcpException e)
                {
                    assertEquals(Reason.CLOSED, e.reason());
                }
                final GenTcpException e = assertThrows(GenTcpException.class, () -> GenTcp.recv(s, 4, LONG_MS));
                assertTrue(Set.of(Reason.CLOSED, Reason.ENOTCONN).contains(e.reason()), e.reason().toString());
                final long t0 = System.nanoTime();
                GenTcp.close(s);
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
                assertReason(Reason.EINVAL, () -> Inet.getstat(s)); // gone
            }
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    /** A slow reader (at most buffer = 1460 bytes a recv) and random send sizes: 100 MB, no byte lost or reordered. */
    @Test
    void aSlowReaderGetsEveryByteInOrder() throws Exception
    {
        final long total = 100L << 20;
        try (Pair p = small(highWatermark(256 << 10), lowWatermark(64 << 10)))
        {
            final CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() ->
            {
                long pos = 0;
                final SplittableRandom pace = new SplittableRandom(7);
                while (pos < total)
                {
                    final byte[] got = GenTcp.recv(p.server, 0, LONG_MS);
                    BytePattern.check(got, pos);
                    pos += got.length;
                    if (pace.nextInt(64) == 0)
                    {
                        Thread.yield(); // slower than the sender now and then
                    }
                }
                return pos;
            });
            final SplittableRandom random = new SplittableRandom(100);
            long at = 0;
            while (at < total)
            {
                final int n = (int)Math.min(total - at, random.nextInt(1, 200_000));
                GenTcp.send(p.client, BytePattern.bytes(at, n));
                at += n;
            }
            assertEquals(total, reader.get(90, TimeUnit.SECONDS));
            assertEquals(0, pend(p.client));
            final SocketStats stats = Inet.getstat(p.client);
            assertEquals(total, stats.sendOct());
        }
    }

    /** Gathered packets: {packet, 4} header and body never split by another sender's packet (delay_send too). */
    @Test
    void concurrentPacketSendersNeverInterleave() throws Exception
    {
        for (final boolean delay : new boolean[] {false, true})
        {
            try (Pair p = small(packet(4), Option.delaySend(delay)))
            {
                final int per = 2000;
                final CompletableFuture<?>[] senders = new CompletableFuture<?>[3];
                for (int t = 0; t < senders.length; t++)
                {
                    final int id = t + 1;
                    senders[t] = CompletableFuture.runAsync(() ->
                    {
                        for (int i = 0; i < per; i++)
                        {
                            final byte[] b = new byte[4 + (i * 7919 + id) % 3000];
                            java.util.Arrays.fill(b, (byte)id);
                            b[0] = (byte)(i >> 8);
                            b[1] = (byte)i;
                            GenTcp.send(p.client, b);
                        }
                    });
                }
                final int[] next = new int[senders.length + 1];
                for (int k = 0; k < per * senders.length; k++)
                {
                    final byte[] got = GenTcp.recv(p.server, 0, LONG_MS);
                    final int id = got[got.length - 1];
                    final int seq = (got[0] & 0xff) << 8 | (got[1] & 0xff);
                    assertEquals(next[id] & 0xffff, seq);
                    assertEquals(4 + (next[id] * 7919 + id) % 3000, got.length);
                    final byte[] body = java.util.Arrays.copyOfRange(got, 2, got.length);
                    final byte[] expected = new byte[body.length];
                    java.util.Arrays.fill(expected, (byte)id);
                    assertArrayEquals(expected, body);
                    next[id]++;
                }
                CompletableFuture.allOf(senders).get(LONG_MS, TimeUnit.MILLISECONDS);
            }
        }
    }
}
