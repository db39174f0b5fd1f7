package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.deliver;
import static io.gentcp.Option.header;
import static io.gentcp.Option.list;
import static io.gentcp.Option.once;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mailbox.receive(MailboxHandler, limit, timeout): the allocation-free way to take a mailbox's messages. */
@Timeout(60)
class MailboxHandlerTest
{
    @AfterEach
    void closeThisThreadsMailbox()
    {
        Mailbox.current().close();
    }

    /** What a handler was given, in order: "data:<socket>:<text>" or the message itself. */
    private static class Recorder implements MailboxHandler
    {
        final List<Object> got = new ArrayList<>();
        final List<Socket> sockets = new ArrayList<>();

        @Override
        public void onData(final Socket socket, final ByteBuffer data)
        {
            assertTrue(data.isReadOnly());
            assertEquals(ByteOrder.BIG_ENDIAN, data.order());
            final byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            got.add(new String(bytes, StandardCharsets.ISO_8859_1));
            sockets.add(socket);
        }

        @Override
        public void onMessage(final Object message)
        {
            got.add(message);
        }
    }

    /** A handler that runs ON_DATA for each packet and records the other messages. */
    private static MailboxHandler onData(final BiConsumer<Socket, ByteBuffer> onData)
    {
        return new Recorder()
        {
            @Override
            public void onData(final Socket socket, final ByteBuffer data)
            {
                onData.accept(socket, data);
            }
        };
    }

    /**
     * Has this thread's mailbox hand one message to a handler whose onData is ON_DATA; returns
     * what ON_DATA returned, for each time it ran.
     */
    private static List<String> handleOne(final BiFunction<Socket, ByteBuffer, String> onData)
    {
        final List<String> returned = new ArrayList<>();
        assertEquals(1,
            Mailbox.current().receive(onData((socket, data) -> returned.add(onData.apply(socket, data))), 1, 5_000));
        return returned;
    }

    /** Receives with RECORDER until it holds COUNT messages (each call bounded). */
    private static void receiveUntil(final Recorder recorder, final int count)
    {
        for (int i = 0; i < 100 && recorder.got.size() < count; i++)
        {
            Mailbox.current().receive(recorder, count - recorder.got.size(), 5_000);
        }
        assertEquals(count, recorder.got.size(), recorder.got.toString());
    }

    @Test
    void packetsComeAsReadOnlyDirectViewsOfTheirBytesInOrder()
    {
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            final List<String> sent = List.of("one", "", "three", "x".repeat(1000));
            for (final String s : sent)
            {
                GenTcp.send(p.client, s);
            }
            Inet.setopts(p.server, active(true));
            final List<Boolean> direct = new ArrayList<>();
            final Recorder recorder = new Recorder()
            {
                @Override
                public void onData(final Socket socket, final ByteBuffer data)
                {
                    direct.add(data.isDirect());
                    assertThrows(ReadOnlyBufferException.class, () -> data.put(data.position(), (byte)1));
                    super.onData(socket, data);
                }
            };
            receiveUntil(recorder, sent.size());
            assertEquals(sent, recorder.got);
            recorder.sockets.forEach(s -> assertSame(p.server, s));
            assertFalse(direct.contains(false), direct.toString());
        }
    }

    /** The {packet, 2} packet CLIENT receives within TIMEOUT_MS, as text. */
    private static String nextPacket(final Socket client, final long timeoutMs)
    {
        return new String(GenTcp.<byte[]>recv(client, 0, timeoutMs), StandardCharsets.ISO_8859_1);
    }

    /** A binary {packet, 2} pair whose server end is {delay_send, true} and active, a packet on its way to it. */
    private static Pair delaySendPairWithAPing()
    {
        final Pair p = Pair.of(binary(), packet(2));
        Inet.setopts(p.server, Option.delaySend(true), active(true));
        GenTcp.send(p.client, "ping");
        return p;
    }

    @Test
    void aHandlersSendsWithDelaySendLeaveWhenItsReceiveReturnsOthersAtOnce()
    {
        try (Pair p = delaySendPairWithAPing())
        {
            final List<String> gathering = handleOne((socket, data) ->
            {
                GenTcp.send(socket, "a");
                GenTcp.send(socket, ByteBuffer.allocateDirect(1).put(0, (byte)'b'));
                // gathered: both still queued (getstat waits for nothing, so it writes nothing)
                return "pending " + Inet.getstat(socket).sendPend();
            });
            assertEquals(List.of("pending 6"), gathering); // two packets of 1 byte and a 2-byte header
            assertEquals(0, Inet.getstat(p.server).sendPend());
            assertEquals("a", nextPacket(p.client, 5_000));
            assertEquals("b", nextPacket(p.client, 5_000));

            // Without delay_send a handler's send leaves at once, as any send does.
            Inet.setopts(p.server, Option.delaySend(false));
            GenTcp.send(p.client, "ping");
            final List<String> direct = handleOne((socket, data) ->
            {
                GenTcp.send(socket, "c");
                return nextPacket(p.client, 5_000);
            });
            assertEquals(List.of("c"), direct);
            // and a record receive never gathers
            Inet.setopts(p.server, Option.delaySend(true));
            GenTcp.send(p.client, "ping");
            assertInstanceOf(Tcp.class, Mailbox.current().receive(5_000));
            GenTcp.send(p.server, "d");
            assertEquals("d", nextPacket(p.client, 5_000));
        }
    }

    /**
     * A handler that sends and then waits for the answer with a gentcp call is not waiting on its own unsent request.
     */
    @Test
    void aHandlerThatWaitsForAnAnswerHasItsGatheredRequestWrittenFirst()
    {
        try (Pair p = delaySendPairWithAPing())
        {
            final List<String> answers = handleOne((socket, data) ->
            {
                GenTcp.send(socket, "question");
                // a recv (here of the peer's end, on this thread) writes it before it waits:
                // without that, a 5 s time-out
                return nextPacket(p.client, 5_000);
            });
            assertEquals(List.of("question"), answers);
        }
    }

    /** A handler that throws still has what it sent written: the receive's end flushes. */
    @Test
    void aThrowingHandlersGatheredSendsStillLeave()
    {
        try (Pair p = delaySendPairWithAPing())
        {
            final MailboxHandler throwing = onData((socket, data) ->
            {
                GenTcp.send(socket, "sent before");
                throw new IllegalStateException("handler failed");
            });
            assertThrows(IllegalStateException.class, () -> Mailbox.current().receive(throwing, 1, 5_000));
            assertEquals("sent before", nextPacket(p.client, 5_000));
        }
    }

    @Test
    void atMostLimitMessagesAreHandedOutAndTheRestWaitInOrder()
    {
        try (Pair p = Pair.of(binary(), packet(1)))
        {
            for (int i = 0; i < 5; i++)
            {
                GenTcp.send(p.client, "m" + i);
            }
            GenTcp.send(p.client, "last");
            Inet.setopts(p.server, active(true));
            final Recorder recorder = new Recorder();
            final Mailbox mailbox = Mailbox.current();
            // the first call may see fewer than 6 (one read), never more than its limit
            int total = 0;
            for (int i = 0; i < 100 && total < 2; i++)
            {
                final int n = mailbox.receive(recorder, 2 - total, 5_000);
                assertTrue(n >= 1 && n <= 2 - total, "handled " + n);
                total += n;
            }
            assertEquals(List.of("m0", "m1"), recorder.got);
            // a record receive takes what the handler left, first and in order
            final Tcp third = assertInstanceOf(Tcp.class, mailbox.receive(5_000));
            assertEquals("m2", new String((byte[])third.data(), StandardCharsets.ISO_8859_1));
            receiveUntil(recorder, 5);
            assertEquals(List.of("m0", "m1", "m3", "m4", "last"), recorder.got);
        }
    }

    @Test
    void otherMessagesComeAsRecordsInTheirPlace() throws Exception
    {
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            final Mailbox mailbox = Mailbox.current();
            GenTcp.send(p.client, "a");
            GenTcp.send(p.client, "b");
            Inet.setopts(p.server, active(2));
            final Recorder recorder = new Recorder();
            receiveUntil(recorder, 3);
            assertEquals("a", recorder.got.get(0));
            assertEquals("b", recorder.got.get(1));
            assertEquals(new TcpPassive(p.server), recorder.got.get(2));
            // a message from another thread, then the close of the peer
            CompletableFuture.runAsync(() -> mailbox.send("hello")).get(5, TimeUnit.SECONDS);
            receiveUntil(recorder, 4);
            assertEquals("hello", recorder.got.get(3));
            Inet.setopts(p.server, active(once()));
            GenTcp.close(p.client);
            receiveUntil(recorder, 5);
            assertEquals(new TcpClosed(p.server), recorder.got.get(4));
        }
    }

    @Test
    void theBytesAreThePacketsWhateverTheMode()
    {
        try (Pair list = Pair.of(list(), packet(2)); Pair headed = Pair.of(binary(), packet(2), header(2));
            Pair port = Pair.of(binary(), packet(2), deliver(Option.Deliver.PORT)))
        {
            GenTcp.send(list.client, "in list mode");
            GenTcp.send(headed.client, "with a header");
            GenTcp.send(port.client, "as a port delivers");
            final Recorder recorder = new Recorder();
            Inet.setopts(list.server, active(once()));
            receiveUntil(recorder, 1);
            Inet.setopts(headed.server, active(once()));
            receiveUntil(recorder, 2);
            Inet.setopts(port.server, active(once()));
            receiveUntil(recorder, 3);
            assertEquals(List.of("in list mode", "with a header", "as a port delivers"), recorder.got);
            assertEquals(List.of(list.server, headed.server, port.server), recorder.sockets);
        }
    }

    @Test
    void aPacketBiggerThanTheBufferComesWhole()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            final byte[] big = new byte[100_000];
            for (int i = 0; i < big.length; i++)
            {
                big[i] = (byte)(i * 7);
            }
            GenTcp.send(p.client, big);
            GenTcp.send(p.client, "after");
            Inet.setopts(p.server, active(true));
            final List<byte[]> packets = new ArrayList<>();
            final MailboxHandler handler = new MailboxHandler()
            {
                @Override
                public void onData(final Socket socket, final ByteBuffer data)
                {
                    final byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    packets.add(bytes);
                }

                @Override
                public void onMessage(final Object message)
                {
                    throw new AssertionError("unexpected " + message);
                }
            };
            for (int i = 0; i < 100 && packets.size() < 2; i++)
            {
                Mailbox.current().receive(handler, 10, 5_000);
            }
            assertEquals(2, packets.size());
            assertTrue(Arrays.equals(big, packets.get(0)));
            assertEquals("after", new String(packets.get(1), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aSocketHandedOverFromAHandlerTakesItsUndeliveredMessagesAlong() throws Exception
    {
        // nodelay: each send is in the server's kernel buffer when it returns, so that one C
        // pass reads all four and the handler is given the first with three still undelivered
        try (Pair p = Pair.of(binary(), packet(1), Option.nodelay(true)))
        {
            for (int i = 0; i < 4; i++)
            {
                GenTcp.send(p.client, "p" + i);
            }
            final CompletableFuture<Mailbox> newOwner = new CompletableFuture<>();
            final CompletableFuture<List<String>> theirs = new CompletableFuture<>();
            final CountDownLatch handedOver = new CountDownLatch(1);
            final Thread other = new Thread(() ->
            {
                newOwner.complete(Mailbox.current());
                try
                {
                    handedOver.await();
                    final List<String> got = new ArrayList<>();
                    for (int i = 0; i < 3; i++)
                    {
                        got.add(new String((byte[])((Tcp)Mailbox.current().receive(5_000)).data(),
                            StandardCharsets.ISO_8859_1));
                    }
                    theirs.complete(got);
                }
                catch (final Throwable e)
                {
                    theirs.completeExceptionally(e);
                }
                finally
                {
                    Mailbox.current().close();
                }
            });
            other.start();
            final Mailbox target = newOwner.get(5, TimeUnit.SECONDS);
            final Recorder recorder = new Recorder()
            {
                @Override
                public void onData(final Socket socket, final ByteBuffer data)
                {
                    super.onData(socket, data);
                    GenTcp.controllingProcess(socket, target); // after its first packet
                    handedOver.countDown();
                }
            };
            Inet.setopts(p.server, active(true));
            assertEquals(1, Mailbox.current().receive(recorder, 10, 5_000));
            assertEquals(List.of("p0"), recorder.got);
            assertEquals(List.of("p1", "p2", "p3"), theirs.get(10, TimeUnit.SECONDS));
            other.join(5_000);
        }
    }

    /** A handler that closes its mailbox is given nothing more: the rest of that receive's messages are dropped. */
    @Test
    void aHandlerThatClosesTheMailboxIsGivenNothingMore()
    {
        try (Pair p = Pair.of(binary(), packet(1), Option.nodelay(true)))
        {
            for (int i = 0; i < 3; i++)
            {
                GenTcp.send(p.client, "m" + i);
            }
            final Mailbox mailbox = Mailbox.current();
            final Recorder closer = new Recorder()
            {
                @Override
                public void onData(final Socket socket, final ByteBuffer data)
                {
                    super.onData(socket, data);
                    mailbox.close();
                }
            };
            Inet.setopts(p.server, active(true));
            assertEquals(1, mailbox.receive(closer, 10, 5_000));
            assertEquals(List.of("m0"), closer.got);
            assertReason(Reason.CLOSED, () -> mailbox.receive(closer, 10, 0));
            assertEquals(List.of("m0"), closer.got);
        }
    }

    @Test
    void nothingThereIsZeroAndBadArgumentsAreRefused() throws Exception
    {
        final Mailbox mailbox = Mailbox.current();
        final Recorder recorder = new Recorder();
        assertEquals(0, mailbox.receive(recorder, 1, 0));
        assertEquals(0, mailbox.receive(recorder, 1, 20));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(null, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(recorder, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(recorder, 1, -2));
        final Throwable elsewhere = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                mailbox.receive(recorder, 1, 0);
                return null;
            }
            catch (final Throwable e)
            {
                return e;
            }
        }).get(5, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, elsewhere);
        mailbox.close();
        assertReason(Reason.CLOSED, () -> mailbox.receive(recorder, 1, 0));
    }

    /**
     * Steady traffic allocates nothing on the receiving thread: 5,000 packets after a warm-up,
     * each echoed from its view and re-armed, as a server does (what JMH's gc profiler shows
     * for MailboxFanInBenchmark's handler variant, checked here with the thread's own counter).
     */
    @Test
    void steadyTrafficAllocatesNothingOnTheReceivingThread() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(),
            "this JVM does not count a thread's allocations");
        try (Pair p = Pair.of(binary(), packet(2), Option.nodelay(true)))
        {
            final Option[] rearm = {active(once())};
            final int[] handled = {0};
            final MailboxHandler echo = new MailboxHandler()
            {
                @Override
                public void onData(final Socket socket, final ByteBuffer data)
                {
                    GenTcp.send(socket, data);
                    Inet.setopts(socket, rearm);
                    handled[0]++;
                }

                @Override
                public void onMessage(final Object message)
                {
                    throw new AssertionError("unexpected " + message);
                }
            };
            final ByteBuffer request = ByteBuffer.allocateDirect(32);
            final ByteBuffer reply = ByteBuffer.allocateDirect(64);
            Inet.setopts(p.server, rearm);
            final Mailbox mailbox = Mailbox.current();
            long before = 0;
            for (int i = 0; i < 25_000; i++)
            {
                if (i == 20_000)
                {
                    before = threads.getCurrentThreadAllocatedBytes();
                }
                request.clear();
                GenTcp.send(p.client, request);
                assertEquals(1, mailbox.receive(echo, 1, 5_000));
                reply.clear();
                assertEquals(32, GenTcp.recv(p.client, 0, reply));
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(25_000, handled[0]);
            assertTrue(allocated < 5_000, allocated + " bytes allocated over 5,000 round trips");
        }
    }
}
