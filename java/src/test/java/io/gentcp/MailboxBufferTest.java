package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.linger;
import static io.gentcp.Option.once;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.showEconnreset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.internal.MailboxBuffers;
import io.gentcp.internal.Native;

/**
 * Issue 13: the room the mailbox keeps for the control messages that follow data (#2), and what
 * a mailbox costs in descriptors and direct memory (#5).
 */
@Timeout(120)
class MailboxBufferTest
{
    /** The mailbox's receive buffer before issue 13: the size #2 was seen with. */
    private static final int OLD_BUFFER = 256 * 1024;

    @AfterEach
    void closeThisThreadsMailbox()
    {
        Mailbox.current().close();
    }

    private static Object next()
    {
        return Mailbox.current().receive(5_000);
    }

    /** Packet sizes whose message leaves less room than a header in a buffer of CAPACITY bytes. */
    private static List<Integer> nearlyFilling(final int capacity)
    {
        final List<Integer> sizes = new ArrayList<>();
        for (int room = 0; room < Native.MSG_HEADER; room += 4)
        {
            sizes.add(capacity - Native.MSG_HEADER - room);
        }
        return sizes;
    }

    private static byte[] pattern(final int n)
    {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++)
        {
            b[i] = (byte)(i % 251);
        }
        return b;
    }

    @Test
    void tcpPassiveFollowsAPacketThatNearlyFillsTheBuffer()
    {
        final List<Integer> sizes = new ArrayList<>(List.of(262_100, 200_000));
        sizes.addAll(nearlyFilling(OLD_BUFFER));
        sizes.addAll(nearlyFilling(MailboxBuffers.SIZE));
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            for (final int size : sizes)
            {
                final byte[] data = pattern(size);
                GenTcp.send(p.client, data);
                Inet.setopts(p.server, active(1));
                final Tcp tcp = assertInstanceOf(Tcp.class, next(), "size " + size);
                assertArrayEquals(data, (byte[])tcp.data(), "size " + size);
                assertEquals(new TcpPassive(p.server), next(), "size " + size);
            }
        }
    }

    @Test
    void tcpClosedFollowsAPacketThatNearlyFillsTheBuffer()
    {
        for (final boolean reset : new boolean[] {false, true})
        {
            for (final int size : nearlyFilling(MailboxBuffers.SIZE))
            {
                try (Pair p = Pair.of(binary(), packet(4), showEconnreset(true)))
                {
                    final byte[] data = pattern(size);
                    GenTcp.send(p.client, "a");
                    GenTcp.send(p.client, data);
                    if (reset)
                    {
                        Inet.setopts(p.client, linger(true, 0));
                    }
                    GenTcp.close(p.client);
                    Inet.setopts(p.server, active(once()));
                    assertArrayEquals("a".getBytes(), (byte[])assertInstanceOf(Tcp.class, next()).data());
                    Inet.setopts(p.server, active(true));
                    assertArrayEquals(data, (byte[])assertInstanceOf(Tcp.class, next()).data(), "size " + size);
                    if (reset)
                    {
                        assertEquals(new TcpError(p.server, Reason.ECONNRESET), next(), "size " + size);
                    }
                    assertEquals(new TcpClosed(p.server), next(), "size " + size);
                }
            }
        }
    }

    @Test
    void aBigPacketIsReceivedWithoutADirectBufferOfItsSize()
    {
        final byte[] data = pattern(16 << 20);
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            GenTcp.send(p.client, data);
            final long before = directMemoryUsed();
            Inet.setopts(p.server, active(once()));
            assertArrayEquals(data, (byte[])assertInstanceOf(Tcp.class, next()).data());
            final long grown = directMemoryUsed() - before;
            assertTrue(grown < 1 << 20, "direct memory grew by " + grown + " bytes");
        }
    }

    @Test
    void anHttpHeaderBiggerThanTheBufferComesWhole()
    {
        final String value = "v".repeat(3 * MailboxBuffers.SIZE);
        try (Pair p = Pair.rawClient(PacketType.HTTPH_BIN, Option.packetSize(1 << 20)))
        {
            GenTcp.send(p.client, "X-Big: " + value + "\r\nHost: h\r\n\r\n");
            Inet.setopts(p.server, active(true));
            final HttpHeader big = assertInstanceOf(HttpHeader.class, assertInstanceOf(Http.class, next()).packet());
            assertArrayEquals(value.getBytes(), (byte[])big.value());
            final HttpHeader host = assertInstanceOf(HttpHeader.class, assertInstanceOf(Http.class, next()).packet());
            assertArrayEquals("h".getBytes(), (byte[])host.value());
            assertInstanceOf(HttpEoh.class, assertInstanceOf(Http.class, next()).packet());
        }
    }

    @Test
    void mailboxesOpenNoDescriptorAndKeepNoDirectMemoryUntilTheyNeedThem() throws Exception
    {
        final int threads = 200;
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final CountDownLatch ready = new CountDownLatch(threads);
        final CountDownLatch done = new CountDownLatch(1);
        final List<Thread> started = new ArrayList<>();
        final long fdsBefore = openDescriptors();
        final long directBefore = directMemoryUsed();
        try
        {
            for (int i = 0; i < threads; i++)
            {
                final Thread t = new Thread(() ->
                {
                    try (Mailbox m = Mailbox.current())
                    {
                        assertReason(Reason.TIMEOUT, () -> m.receive(0));
                        m.send("to myself");
                        assertEquals("to myself", m.receive(0));
                        ready.countDown();
                        done.await(60, TimeUnit.SECONDS);
                    }
                    catch (final Throwable e)
                    {
                        failures.add(e);
                        ready.countDown();
                    }
                });
                t.start();
                started.add(t);
            }
            assertTrue(ready.await(60, TimeUnit.SECONDS));
            assertTrue(failures.isEmpty(), () -> "failed: " + failures);
            final long fds = openDescriptors() - fdsBefore;
            final long direct = directMemoryUsed() - directBefore;
            assertTrue(fds < 20, threads + " mailboxes opened " + fds + " descriptors");
            assertTrue(direct < 1 << 20, threads + " mailboxes hold " + direct + " bytes of direct memory");
        }
        finally
        {
            done.countDown();
            for (final Thread t : started)
            {
                t.join(10_000);
            }
        }
    }

    @Test
    void aThreadWithPassiveSocketsOpensNoPoller() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0, active(false));
        final long before = openDescriptors();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final long[] during = new long[1];
        final Thread t = new Thread(() ->
        {
            try (Mailbox m = Mailbox.current())
            {
                final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, active(false));
                final Socket s = GenTcp.accept(l, 5_000);
                GenTcp.send(c, "x");
                assertEquals("x", GenTcp.recv(s, 0, 5_000));
                during[0] = openDescriptors();
            }
            catch (final Throwable e)
            {
                failures.add(e);
            }
        });
        t.start();
        t.join(30_000);
        GenTcp.close(l);
        assertTrue(failures.isEmpty(), () -> "failed: " + failures);
        // at most: a mailbox that an earlier test left to the reaper may close meanwhile
        assertTrue(during[0] - before <= 2, "the two sockets, and no poller: " + (during[0] - before) + " descriptors");
    }

    private static long openDescriptors()
    {
        final String[] fds = new File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }

    private static long directMemoryUsed()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if (pool.getName().equals("direct"))
            {
                return pool.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool");
    }
}
