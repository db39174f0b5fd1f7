package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.internal.DirectMemory;

/**
 * Big packets as byte[] and String cost no direct memory of their size, and the direct
 * memory that the heap-data calls use stays bounded however many threads make them (issue 13,
 * item 5). A packet that cannot be given memory is enomem and closes the connection.
 */
@Timeout(120)
class BigPacketTest
{
    /** 48 MiB packets each way, as byte[], String and heap ByteBuffer, under 16 MiB of direct memory. */
    @Test
    void bigPacketsNeedNoDirectMemoryOfTheirSize() throws Exception
    {
        final String out = runChild("-XX:MaxDirectMemorySize=16m", "-Xmx1g", "round-trip", "48");
        assertTrue(out.endsWith("ok\n"), out);
    }

    /** A packet the heap cannot hold: enomem, the socket closed (enotconn), the peer sees closed. */
    @Test
    void aPacketTheHeapCannotHoldIsEnomemAndCloses() throws Exception
    {
        final String out = runChild("-Xmx48m", "-XX:MaxDirectMemorySize=16m", "no-heap", "96");
        assertTrue(out.endsWith("ok\n"), out);
    }

    /** With less direct memory than one pooled buffer, the heap calls go through the arrays. */
    @Test
    void heapCallsWorkWithoutDirectMemoryForThePool() throws Exception
    {
        final String out = runChild("-XX:MaxDirectMemorySize=32k", "no-direct");
        assertTrue(out.endsWith("ok\n"), out);
    }

    /** With the direct memory used up, a mailbox receive answers enomem, not OutOfMemoryError. */
    @Test
    void aMailboxWithoutDirectMemoryAnswersEnomem() throws Exception
    {
        final String out = runChild("-XX:MaxDirectMemorySize=256k", "mailbox-no-direct");
        assertTrue(out.endsWith("ok\n"), out);
    }

    /**
     * A {packet, 4} header claiming 2^31 - 5 bytes (what the framing allows, packet_size 0, but
     * more than a Java array holds) is enomem as soon as it arrives; the socket is closed.
     */
    @Test
    void aClaimBeyondTheArrayLimitIsEnomemAtOnce()
    {
        try (Pair p = Pair.rawClient(PacketType.of(4)))
        {
            GenTcp.send(p.client, new byte[] {0x7f, (byte)0xff, (byte)0xff, (byte)0xfb});
            assertReason(Reason.ENOMEM, () -> GenTcp.recv(p.server, 0, 10_000));
            assertReason(Reason.ENOTCONN, () -> GenTcp.recv(p.server, 0, 1_000));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, 10_000));
        }
    }

    /** Active, the same claim: TcpError(enomem) then TcpClosed at once; the peer sees closed. */
    @Test
    void anActiveSocketHearsAClaimBeyondTheArrayLimitAsEnomem()
    {
        try (Pair p = Pair.rawClient(PacketType.of(4)))
        {
            GenTcp.send(p.client, new byte[] {0x7f, (byte)0xff, (byte)0xff, (byte)0xfb});
            Inet.setopts(p.server, active(true));
            final Object first = Mailbox.current().receive(10_000);
            assertTrue(first instanceof TcpError e && e.socket() == p.server && e.reason() == Reason.ENOMEM,
                       String.valueOf(first));
            final Object second = Mailbox.current().receive(10_000);
            assertTrue(second instanceof TcpClosed c && c.socket() == p.server, String.valueOf(second));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, 10_000));
            assertReason(Reason.CLOSED, () -> GenTcp.send(p.server, "x")); // exit_on_close: done
        }
        finally
        {
            Mailbox.current().close();
        }
    }

    /**
     * A passive enomem, then {active, once}: TcpClosed, as OTP gives after a passive emsgsize
     * (ErrorSequencingTest); with exit_on_close the socket is then done.
     */
    @Test
    void passiveEnomemThenActiveDeliversTcpClosed()
    {
        try (Pair p = Pair.rawClient(PacketType.of(4)))
        {
            GenTcp.send(p.client, new byte[] {0x7f, (byte)0xff, (byte)0xff, (byte)0xfb});
            assertReason(Reason.ENOMEM, () -> GenTcp.recv(p.server, 0, 10_000));
            assertReason(Reason.ENOTCONN, () -> GenTcp.send(p.server, "x"));
            Inet.setopts(p.server, active(Active.ONCE));
            final Object m = Mailbox.current().receive(10_000);
            assertTrue(m instanceof TcpClosed c && c.socket() == p.server, String.valueOf(m));
            assertReason(Reason.CLOSED, () -> GenTcp.send(p.server, "x"));
        }
        finally
        {
            Mailbox.current().close();
        }
    }

    /** 3 GB claimed with packet_size 0 is over OTP's limit (the whole packet must fit an int): emsgsize. */
    @Test
    void aClaimBeyondTheFramingLimitIsEmsgsize()
    {
        try (Pair p = Pair.rawClient(PacketType.of(4)))
        {
            GenTcp.send(p.client, new byte[] {(byte)0xc0, 0, 0, 0});
            assertReason(Reason.EMSGSIZE, () -> GenTcp.recv(p.server, 0, 10_000));
            assertReason(Reason.ENOTCONN, () -> GenTcp.recv(p.server, 0, 1_000));
        }
    }

    /**
     * With every pooled buffer lent out (threads waiting in recv hold them), small packets
     * take the big packets' path: a size query, then the packet straight into its array.
     */
    @Test
    void everyCallWorksWhileThePoolIsLentOut()
    {
        final List<DirectMemory.Scratch> lent = new ArrayList<>();
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            for (DirectMemory.Scratch s = DirectMemory.borrow(); s != null; s = DirectMemory.borrow())
            {
                lent.add(s);
            }
            assertEquals(DirectMemory.POOL_SIZE, lent.size());
            GenTcp.send(p.client, bytes("hello"));
            GenTcp.send(p.client, new byte[0]);
            GenTcp.send(p.client, "world");
            GenTcp.send(p.client, java.nio.ByteBuffer.wrap(bytes("heap")));
            GenTcp.send(p.client, java.nio.ByteBuffer.wrap(bytes("read-only")).asReadOnlyBuffer());
            assertArrayEquals(bytes("hello"), GenTcp.recv(p.server, 0, 5_000));
            assertArrayEquals(new byte[0], GenTcp.recv(p.server, 0, 5_000));
            Inet.setopts(p.server, Option.list());
            assertEquals("world", GenTcp.recv(p.server, 0, 5_000));
            Inet.setopts(p.server, binary());
            // A heap buffer too small is told the size; nothing is taken.
            final java.nio.ByteBuffer small = java.nio.ByteBuffer.allocate(2);
            assertEquals(-4, GenTcp.recv(p.server, 0, small, 5_000));
            final java.nio.ByteBuffer heap = java.nio.ByteBuffer.allocate(10);
            assertEquals(4, GenTcp.recv(p.server, 0, heap, 5_000));
            assertArrayEquals(bytes("heap"), java.util.Arrays.copyOf(heap.array(), heap.position()));
            assertArrayEquals(bytes("read-only"), GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.TIMEOUT, () -> GenTcp.recv(p.server, 0, 50));
            // Raw: what is there, or exactly N bytes.
            Inet.setopts(p.server, packet(0));
            Inet.setopts(p.client, packet(0));
            GenTcp.send(p.client, bytes("abcdef"));
            assertArrayEquals(bytes("abc"), GenTcp.recv(p.server, 3, 5_000));
            assertArrayEquals(bytes("def"), GenTcp.recv(p.server, 0, 5_000));
            // HTTP arrives parsed.
            Inet.setopts(p.server, packet(PacketType.HTTP_BIN));
            GenTcp.send(p.client, bytes("GET / HTTP/1.1\r\n"));
            assertTrue(GenTcp.recv(p.server, 0, 5_000) instanceof HttpRequest);
            assertEquals(lent.size(), DirectMemory.POOL_SIZE);
        }
        finally
        {
            lent.forEach(DirectMemory.Scratch::close);
        }
    }

    /**
     * Heap buffers of every shape go out whole and exactly, on both heap paths (a pooled buffer,
     * and the array itself for a packet bigger than a pooled one): a read-only buffer, which
     * shows no array (jffi cannot take it), a slice whose array starts before it, and a buffer
     * whose position is not 0. Its position ends at its limit; a read-only buffer's bytes stay.
     */
    @Test
    void heapBuffersOfEveryShapeAreSentWhole()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            for (final int size : new int[] {100, DirectMemory.CHUNK * 2 + 3})
            {
                final byte[] data = new byte[size + 20];
                for (int i = 0; i < data.length; i++)
                {
                    data[i] = (byte)(i * 7);
                }
                final byte[] expected = java.util.Arrays.copyOfRange(data, 10, 10 + size);
                final java.nio.ByteBuffer readOnly = java.nio.ByteBuffer.wrap(data, 10, size).asReadOnlyBuffer();
                final java.nio.ByteBuffer slice = java.nio.ByteBuffer.wrap(data, 10, size + 5).slice().limit(size);
                final java.nio.ByteBuffer positioned = java.nio.ByteBuffer.wrap(data).position(10).limit(10 + size);
                for (final java.nio.ByteBuffer packet : List.of(readOnly, slice, positioned))
                {
                    GenTcp.send(p.client, packet);
                    assertEquals(packet.limit(), packet.position());
                    assertArrayEquals(expected, GenTcp.recv(p.server, 0, 5_000), size + " bytes from " + packet);
                }
            }
        }
    }

    /**
     * A heap buffer bigger than a pooled one takes the packet straight into its array, which
     * jffi pins for that call (GetPrimitiveArrayCritical), not a copy out of C memory: the
     * bytes past the packet keep what they held (a copy-back would overwrite them all).
     */
    @Test
    void aBigHeapBufferGetsOnlyThePacketsBytes()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            final java.nio.ByteBuffer heap = java.nio.ByteBuffer.allocate(DirectMemory.CHUNK * 4);
            java.util.Arrays.fill(heap.array(), (byte)0x55);
            heap.position(7);
            GenTcp.send(p.client, bytes("abc"));
            assertEquals(3, GenTcp.recv(p.server, 0, heap, 5_000));
            assertEquals(10, heap.position());
            assertArrayEquals(bytes("abc"), java.util.Arrays.copyOfRange(heap.array(), 7, 10));
            for (int i = 0; i < heap.capacity(); i++)
            {
                if (i < 7 || i >= 10)
                {
                    assertEquals((byte)0x55, heap.array()[i], "byte " + i);
                }
            }
        }
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Many threads, each with a send and a recv of a small packet done and still alive: the
     * direct memory in use grows by at most the shared pool, not by a buffer per thread.
     */
    @Test
    void directMemoryDoesNotGrowWithThreads() throws Exception
    {
        final int threads = 200;
        final Pairs pairs = Pairs.of(threads, () -> Pair.of(binary(), packet(4)));
        final List<Thread> started = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(threads);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try
        {
            System.gc();
            final long before = directUsed();
            for (int i = 0; i < threads; i++)
            {
                final Pair p = pairs.get(i);
                final byte[] data = ("packet " + i).getBytes(StandardCharsets.ISO_8859_1);
                final Thread t = new Thread(() ->
                {
                    try
                    {
                        GenTcp.send(p.client, data);
                        assertArrayEquals(data, GenTcp.<byte[]>recv(p.server, 0, 10_000));
                        GenTcp.send(p.client, "text");
                        assertEquals("text",
                            new String(GenTcp.<byte[]>recv(p.server, 0, 10_000), StandardCharsets.ISO_8859_1));
                    }
                    catch (final Throwable e)
                    {
                        failure.compareAndSet(null, e);
                    }
                    done.countDown();
                    try
                    {
                        release.await(60, TimeUnit.SECONDS); // alive, with whatever it keeps, while measured
                    }
                    catch (final InterruptedException e)
                    {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                started.add(t);
            }
            assertTrue(done.await(60, TimeUnit.SECONDS));
            final long grown = directUsed() - before;
            release.countDown();
            if (failure.get() != null)
            {
                throw new AssertionError(failure.get());
            }
            final long bound = (long)DirectMemory.POOL_SIZE * DirectMemory.CHUNK + 1024 * 1024;
            assertTrue(grown <= bound, "direct memory grew by " + grown + " bytes with " + threads +
                " threads; the bound is " + bound);
        }
        finally
        {
            release.countDown();
            for (final Thread t : started)
            {
                t.join(10_000);
            }
            pairs.close();
        }
    }

    private static long directUsed()
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

    /** Runs BigPacketChild in a JVM of its own with JVM_ARGS and ARGS; its output (stdout and stderr). */
    private static String runChild(final String... args) throws Exception
    {
        int i = 0;
        while (args[i].startsWith("-"))
        {
            i++;
        }
        final List<String> command = ChildJvm.command(java.util.Arrays.asList(args).subList(0, i), BigPacketChild.class,
            java.util.Arrays.asList(args).subList(i, args.length));
        final File log = File.createTempFile("gentcp-bigpacket", ".log");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
            final boolean ended = process.waitFor(90, TimeUnit.SECONDS);
            if (!ended)
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            final String text = java.nio.file.Files.readString(log.toPath(), StandardCharsets.UTF_8);
            assertTrue(ended, "the child did not end: " + text);
            assertEquals(0, process.exitValue(), text);
            return text;
        }
        finally
        {
            log.delete();
        }
    }
}
