package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.list;
import static io.gentcp.Option.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The programs BigPacketTest runs in a JVM of their own, whose limits (direct memory, heap)
 * the test sets. Prints "ok" and exits 0 when every check holds; otherwise the exception.
 */
public final class BigPacketChild
{
    private static final int MIB = 1024 * 1024;

    private BigPacketChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        switch (args[0])
        {
            case "round-trip" -> roundTrip(Integer.parseInt(args[1]) * MIB);
            case "no-heap" -> noHeap(Integer.parseInt(args[1]) * MIB);
            case "no-direct" -> noDirect();
            case "mailbox-no-direct" -> mailboxNoDirect();
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("ok");
        System.exit(0);
    }

    /** A packet of SIZE bytes each way as byte[], String and heap ByteBuffer. */
    private static void roundTrip(final int size) throws Exception
    {
        final byte[] data = new byte[size];
        for (int i = 0; i < size; i++)
        {
            data[i] = (byte)(i * 31 + (i >>> 13));
        }
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            // Sent from another thread: the kernel and the send queue hold only part of it.
            final CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> GenTcp.send(p.client, data));
            final byte[] got = GenTcp.recv(p.server, 0, 60_000);
            sent.get(60, TimeUnit.SECONDS);
            check(Arrays.equals(data, got), "byte[] packet differs");

            final CompletableFuture<Void> again = CompletableFuture.runAsync(() ->
                GenTcp.send(p.client, ByteBuffer.wrap(data)));
            final ByteBuffer heap = ByteBuffer.allocate(size + 10);
            heap.position(3);
            check(GenTcp.recv(p.server, 0, heap, 60_000) == size, "heap ByteBuffer size");
            again.get(60, TimeUnit.SECONDS);
            check(heap.position() == size + 3, "heap ByteBuffer position");
            check(Arrays.equals(data, 0, size, heap.array(), 3, size + 3), "heap ByteBuffer packet differs");
        }
        final String text = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
        try (Pair p = Pair.of(list(), packet(4)))
        {
            final CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> GenTcp.send(p.client, text));
            final String got = GenTcp.recv(p.server, 0, 60_000);
            sent.get(60, TimeUnit.SECONDS);
            check(text.equals(got), "String packet differs");
        }
    }

    /**
     * Run with less direct memory than one pooled buffer takes: every heap call still works,
     * through the arrays themselves, and no OutOfMemoryError comes out of gentcp.
     */
    private static void noDirect() throws Exception
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            for (int i = 0; i < 100; i++)
            {
                final byte[] data = ("packet " + i).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                GenTcp.send(p.client, data);
                check(Arrays.equals(data, GenTcp.recv(p.server, 0, 10_000)), "byte[] packet " + i + " differs");
                GenTcp.send(p.client, ByteBuffer.wrap(data));
                final ByteBuffer heap = ByteBuffer.allocate(64);
                check(GenTcp.recv(p.server, 0, heap, 10_000) == data.length, "heap ByteBuffer packet " + i);
            }
            Inet.setopts(p.server, list());
            GenTcp.send(p.client, "text");
            check("text".equals(GenTcp.recv(p.server, 0, 10_000)), "String packet differs");
        }
    }

    /**
     * With the direct memory used up, a mailbox that needs a buffer answers enomem and takes
     * nothing: the message is still in C for a later receive.
     */
    private static void mailboxNoDirect() throws Exception
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            // What the JVM itself takes differs between JDKs: take the rest, a KiB at a time.
            final java.util.List<ByteBuffer> filler = new java.util.ArrayList<>();
            try
            {
                for (int i = 0; i < 100_000; i++)
                {
                    filler.add(ByteBuffer.allocateDirect(1024));
                }
            }
            catch (final OutOfMemoryError expected)
            {
                // the direct memory is used up: a mailbox buffer cannot be had
            }
            Inet.setopts(p.server, active(Option.once()));
            GenTcp.send(p.client, "hello");
            try
            {
                Mailbox.current().receive(10_000);
                check(false, "receive took a message without a buffer");
            }
            catch (final GenTcpException e)
            {
                check(e.reason() == Reason.ENOMEM, "receive answered " + e.reason() + ", not enomem");
            }
            filler.clear();
        }
    }

    /**
     * A packet of SIZE bytes that this JVM's heap cannot hold: enomem, then the socket is
     * closed (enotconn here, closed for the peer). The peer writes it raw, a MiB at a time.
     */
    private static void noHeap(final int size) throws Exception
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            Inet.setopts(p.client, packet(0), active(false));
            final CompletableFuture<Void> sent = CompletableFuture.runAsync(() ->
            {
                GenTcp.send(p.client,
                    new byte[] {(byte)(size >>> 24), (byte)(size >>> 16), (byte)(size >>> 8), (byte)size});
                final byte[] piece = new byte[MIB];
                for (int i = 0; i < size / MIB; i++)
                {
                    GenTcp.send(p.client, piece);
                }
            });
            final GenTcpException e = expect(() -> GenTcp.recv(p.server, 0, 60_000));
            check(e.reason() == Reason.ENOMEM, "recv answered " + e.reason() + ", not enomem");
            sent.get(60, TimeUnit.SECONDS);
            check(expect(() -> GenTcp.recv(p.server, 0, 5_000)).reason() == Reason.ENOTCONN, "then enotconn");
            check(expect(() -> GenTcp.recv(p.client, 0, 5_000)).reason() == Reason.CLOSED, "the peer sees closed");
        }
    }

    private static GenTcpException expect(final Runnable call)
    {
        try
        {
            call.run();
        }
        catch (final GenTcpException e)
        {
            return e;
        }
        throw new AssertionError("no GenTcpException");
    }

    private static void check(final boolean ok, final String what)
    {
        if (!ok)
        {
            throw new AssertionError(what);
        }
    }
}
