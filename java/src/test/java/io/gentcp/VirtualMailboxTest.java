package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static io.gentcp.VirtualThreadTest.assumeVirtualThreads;
import static io.gentcp.VirtualThreadTest.BOUND_MS;
import static io.gentcp.VirtualThreadTest.awaitParked;
import static io.gentcp.VirtualThreadTest.join;
import static io.gentcp.VirtualThreadTest.startVirtual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mailbox.receive on a virtual thread parks instead of pinning its carrier in the mailbox's
 * poller wait (internal/Parking.java's mailboxReceive, parking.c): its sockets, a send from
 * another thread, a hand-over, a close, the time limit and an interrupt all end the wait. Runs
 * on Java 21+ (CI: the test-on-jdk25 run); on Java 17 every test is skipped, saying why.
 *
 * <p>As in VirtualThreadTest, a test that needs a receive parked first waits until its thread's
 * state says so (a virtual thread waiting in C would stay RUNNABLE); time bounds only catch hangs.
 */
class VirtualMailboxTest
{
    @BeforeEach
    void needsVirtualThreads()
    {
        assumeVirtualThreads(VirtualMailboxTest.class);
    }

    @AfterEach
    void closeThisThreadsMailbox()
    {
        Mailbox.current().close();
    }

    private static byte[] id(final int i)
    {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static byte[] pattern(final int i)
    {
        final byte[] b = new byte[50 + i];
        for (int k = 0; k < b.length; k++)
        {
            b[k] = (byte)(i * 31 + k);
        }
        return b;
    }

    /**
     * Far more virtual threads than carriers, each with its own mailbox and an {active, once}
     * socket, all waiting in receive: every one gets its message (before parking, the first
     * few pinned every carrier in the poller wait and the others never connected).
     */
    @Test
    @Timeout(120)
    void manyVirtualThreadsEachReceivingFromItsMailboxAllGetTheirMessages()
    {
        final int conns = 200;
        final ListenSocket listen = GenTcp.listen(0, active(false), binary(), packet(4), backlog(conns));
        final Socket[] servers = new Socket[conns];
        final List<Thread> receivers = new ArrayList<>();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final int port = Inet.port(listen);
        try
        {
            for (int i = 0; i < conns; i++)
            {
                final int me = i;
                receivers.add(startVirtual(() ->
                {
                    try
                    {
                        final Socket c = GenTcp.connect("127.0.0.1", port, BOUND_MS, active(Active.ONCE), binary(),
                            packet(4));
                        GenTcp.send(c, id(me)); // tells the server side which one this is
                        final Tcp got = assertInstanceOf(Tcp.class, Mailbox.current().receive(BOUND_MS));
                        assertEquals(c, got.socket());
                        assertArrayEquals(pattern(me), (byte[])got.data(), "receiver " + me);
                        GenTcp.close(c);
                    }
                    catch (final Throwable e)
                    {
                        failures.add(e);
                    }
                    finally
                    {
                        Mailbox.current().close();
                    }
                }));
            }
            for (int i = 0; i < conns; i++)
            {
                final Socket s = GenTcp.accept(listen, BOUND_MS);
                final int who;
                try
                {
                    who = ByteBuffer.wrap(GenTcp.<byte[]>recv(s, 0, BOUND_MS)).getInt();
                }
                catch (final GenTcpException e)
                {
                    GenTcp.close(s);
                    throw new AssertionError(i + " of " + conns + " virtual threads connected and said who they are (" +
                        e.reason() + "): the others never ran; failures: " + failures, e);
                }
                servers[who] = s;
            }
            for (final Thread t : receivers)
            {
                awaitParked(t); // each one waits in receive, none holds a carrier
            }
            for (int i = 0; i < conns; i++)
            {
                GenTcp.send(servers[i], pattern(i));
            }
            receivers.forEach(VirtualThreadTest::join);
            assertTrue(failures.isEmpty(), () -> "receivers failed: " + failures);
        }
        finally
        {
            for (final Socket s : servers)
            {
                if (s != null)
                {
                    GenTcp.close(s);
                }
            }
            GenTcp.close(listen);
        }
    }

    /**
     * A handler's receive on a virtual thread parks like receive() and is woken by a packet:
     * the receiver parks (no buffer held), the packet comes as a view of its bytes, and a
     * second one after parking again.
     */
    @Test
    @Timeout(60)
    void aHandlersReceiveParksAndIsWokenByAPacket() throws Exception
    {
        final ListenSocket listen = GenTcp.listen(0, active(false), binary(), packet(2));
        final Socket client = GenTcp.connect("127.0.0.1", Inet.port(listen), 5_000, active(false), binary(), packet(2));
        final Socket server = GenTcp.accept(listen, 5_000);
        try
        {
            final Queue<String> got = new ConcurrentLinkedQueue<>();
            final CountDownLatch firstHandled = new CountDownLatch(1);
            final MailboxHandler handler = new MailboxHandler()
            {
                @Override
                public void onData(final Socket socket, final ByteBuffer data)
                {
                    final byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    got.add((socket == server ? "" : "other:") +
                        new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
                    firstHandled.countDown();
                }

                @Override
                public void onMessage(final Object message)
                {
                    got.add(message.toString());
                }
            };
            final CountDownLatch handedOver = new CountDownLatch(1);
            final Receiver receiver = new Receiver(mb ->
            {
                try
                {
                    handedOver.await();
                }
                catch (final InterruptedException e)
                {
                    throw new AssertionError(e);
                }
                Inet.setopts(server, active(true));
                final int first = mb.receive(handler, 10, BOUND_MS);
                final int second = mb.receive(handler, 10, BOUND_MS);
                return first + second;
            });
            final Mailbox target = awaitMailbox(receiver);
            GenTcp.controllingProcess(server, target);
            handedOver.countDown();
            receiver.parked();
            assertTrue(!target.holdsBuffer(), "a parked handler receive holds no buffer");
            GenTcp.send(client, "first");
            assertTrue(firstHandled.await(BOUND_MS, TimeUnit.MILLISECONDS));
            receiver.parked(); // in the second receive now: it handed the first, then parked again
            GenTcp.send(client, "second");
            assertEquals(2, receiver.end());
            assertEquals(List.of("first", "second"), new ArrayList<>(got));
        }
        finally
        {
            GenTcp.close(client);
            GenTcp.close(server);
            GenTcp.close(listen);
        }
    }

    private static Mailbox awaitMailbox(final Receiver receiver) throws InterruptedException
    {
        assertTrue(receiver.ready.await(BOUND_MS, TimeUnit.MILLISECONDS));
        return receiver.mailbox.get();
    }

    /** A parked receiver: its mailbox is published before it receives with RECEIVE. */
    private static final class Receiver
    {
        final AtomicReference<Mailbox> mailbox = new AtomicReference<>();
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final CountDownLatch ready = new CountDownLatch(1);
        final Thread thread;

        Receiver(final java.util.function.Function<Mailbox, Object> receive)
        {
            thread = startVirtual(() ->
            {
                final Mailbox mb = Mailbox.current();
                mailbox.set(mb);
                ready.countDown();
                try
                {
                    outcome.set(receive.apply(mb));
                }
                catch (final Throwable e)
                {
                    outcome.set(e);
                }
                finally
                {
                    mb.close();
                }
            });
        }

        Mailbox parked() throws InterruptedException
        {
            assertTrue(ready.await(BOUND_MS, TimeUnit.MILLISECONDS));
            awaitParked(thread);
            return mailbox.get();
        }

        Object end()
        {
            join(thread);
            return outcome.get();
        }
    }

    /**
     * A parked receive holds no direct buffer: each of many virtual threads takes a packet (its
     * mailbox borrows a buffer for it) and parks for the next; none still holds one, and each
     * gets its second packet (before, every idle mailbox kept its 16 KiB).
     */
    @Test
    @Timeout(120)
    void aParkedReceiveHoldsNoBuffer() throws InterruptedException
    {
        final int conns = 100;
        final List<Receiver> receivers = new ArrayList<>();
        final List<CountDownLatch> firstTaken = new ArrayList<>();
        try (Pairs pairs = Pairs.of(conns, () -> Pair.of(binary(), packet(4))))
        {
            for (int i = 0; i < conns; i++)
            {
                final Pair p = pairs.get(i);
                GenTcp.send(p.client, pattern(i));
                Inet.setopts(p.server, active(Active.ONCE));
                final CountDownLatch tookFirst = new CountDownLatch(1);
                firstTaken.add(tookFirst);
                final Receiver r = new Receiver(mb ->
                {
                    final Tcp first = (Tcp)mb.receive(BOUND_MS);
                    Inet.setopts(first.socket(), active(Active.ONCE));
                    tookFirst.countDown();
                    final Tcp second = (Tcp)mb.receive(BOUND_MS);
                    return List.of(first.data(), second.data());
                });
                final Mailbox theirs = r.parked();
                GenTcp.controllingProcess(p.server, theirs);
                receivers.add(r);
            }
            for (int i = 0; i < conns; i++)
            {
                final Receiver r = receivers.get(i);
                assertTrue(firstTaken.get(i).await(BOUND_MS, TimeUnit.MILLISECONDS),
                    "receiver " + i + " got no first packet: " + r.outcome.get());
                awaitParked(r.thread); // in its second receive
                assertTrue(!r.mailbox.get().holdsBuffer(), "receiver " + i + " parked holding its buffer");
            }
            for (int i = 0; i < conns; i++)
            {
                GenTcp.send(pairs.get(i).client, id(i));
            }
            for (int i = 0; i < conns; i++)
            {
                final Object got = receivers.get(i).end();
                assertInstanceOf(List.class, got, "receiver " + i + " answered " + got);
                assertArrayEquals(pattern(i), (byte[])((List<?>)got).get(0), "receiver " + i);
                assertArrayEquals(id(i), (byte[])((List<?>)got).get(1), "receiver " + i);
            }
        }
    }

    @Test
    void aSendFromAnotherThreadWakesAParkedReceive() throws InterruptedException
    {
        final Receiver r = new Receiver(mb -> mb.receive());
        r.parked().send("hello");
        assertEquals("hello", r.end());
    }

    /**
     * Sends racing the receive's try and arm, over and over: a ping-pong of messages between
     * this thread's mailbox and a parked virtual receiver loses none (a lost wake-up would hang
     * one round until the time limit).
     */
    @Test
    @Timeout(120)
    void noWakeUpIsLostInAPingPongOfSends() throws InterruptedException
    {
        final int rounds = 5_000;
        final Mailbox mine = Mailbox.current();
        final Receiver r = new Receiver(mb ->
        {
            for (int i = 0; i < rounds; i++)
            {
                mine.send(mb.receive(BOUND_MS));
            }
            return "done";
        });
        final Mailbox theirs = r.parked();
        for (int i = 0; i < rounds; i++)
        {
            theirs.send(i);
            assertEquals(i, mine.receive(BOUND_MS), "round " + i);
        }
        assertEquals("done", r.end());
    }

    /** A socket handed over to a parked receiver's mailbox, with a packet waiting, wakes it. */
    @Test
    void aHandOverWakesAParkedReceive() throws InterruptedException
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            final Receiver r = new Receiver(mb -> mb.receive(BOUND_MS));
            final Mailbox theirs = r.parked();
            GenTcp.send(p.client, "handed".getBytes());
            Inet.setopts(p.server, active(Active.ONCE)); // this thread's mailbox holds it for now
            GenTcp.controllingProcess(p.server, theirs);
            final Tcp got = assertInstanceOf(Tcp.class, r.end());
            assertEquals(p.server, got.socket());
            assertArrayEquals("handed".getBytes(), (byte[])got.data());
        }
    }

    @Test
    void aCloseFromAnotherThreadEndsAParkedReceiveWithClosed() throws InterruptedException
    {
        final Receiver r = new Receiver(mb -> mb.receive());
        final long start = System.nanoTime();
        r.parked().close();
        final Object outcome = r.end();
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(GenTcpException.class, outcome, "receive answered " + outcome);
        assertEquals(Reason.CLOSED, ((GenTcpException)outcome).reason());
        assertTrue(tookMs < 5_000, "the parked receive took " + tookMs + " ms to hear of the close");
    }

    @Test
    void theTimeLimitHoldsAndTheMailboxStaysUsable()
    {
        final AtomicReference<Object> outcome = new AtomicReference<>();
        join(startVirtual(() ->
        {
            final Mailbox mb = Mailbox.current();
            try
            {
                final long start = System.nanoTime();
                assertReason(Reason.TIMEOUT, () -> mb.receive(300));
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(tookMs >= 300 && tookMs < 10_000, "a 300 ms limit took " + tookMs + " ms");
                mb.send("later");
                outcome.set(mb.receive(BOUND_MS));
            }
            catch (final Throwable e)
            {
                outcome.set(e);
            }
            finally
            {
                mb.close();
            }
        }));
        assertEquals("later", outcome.get());
    }

    /** Interrupt ends a parked receive as a timeout, the status still set; nothing is lost. */
    @Test
    void interruptEndsAParkedReceiveAsATimeout() throws InterruptedException
    {
        final CountDownLatch sent = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        final AtomicReference<Object> first = new AtomicReference<>();
        final Receiver r = new Receiver(mb ->
        {
            try
            {
                mb.receive();
                first.set("no timeout");
            }
            catch (final GenTcpException e)
            {
                first.set(VirtualThreadTest.endedBy(e));
            }
            Thread.interrupted();
            ended.countDown();
            try
            {
                assertTrue(sent.await(BOUND_MS, TimeUnit.MILLISECONDS));
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
            return mb.receive(BOUND_MS);
        });
        final Mailbox mb = r.parked();
        r.thread.interrupt();
        assertTrue(ended.await(BOUND_MS, TimeUnit.MILLISECONDS), "the interrupt did not end the wait");
        assertEquals("timeout interrupted", first.get());
        mb.send("after"); // the mailbox is still usable
        sent.countDown();
        assertEquals("after", r.end());
    }
}
