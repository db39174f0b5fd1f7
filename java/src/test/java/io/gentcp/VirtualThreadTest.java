package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Waiting gentcp calls on virtual threads park the thread instead of pinning its carrier
 * (internal/Parking.java, parking.c). Runs on Java 21+ (CI: the test-on-jdk25 run); on Java 17
 * every test is skipped, saying why. Virtual threads are made through a method handle so that
 * this compiles with release 17.
 *
 * <p>Nothing here sleeps to win a race: a test that needs a thread parked in gentcp first
 * waits until the thread's state says it is (a parked virtual thread is WAITING or
 * TIMED_WAITING; one blocked in native code would stay RUNNABLE). Time bounds are generous
 * upper limits that turn a hang into a failure.
 */
class VirtualThreadTest
{
    static final MethodHandle START_VIRTUAL = startVirtualHandle();
    static final long BOUND_MS = 30_000;

    private static MethodHandle startVirtualHandle()
    {
        try
        {
            return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                MethodType.methodType(Thread.class, Runnable.class));
        }
        catch (final NoSuchMethodException | IllegalAccessException e)
        {
            return null;
        }
    }

    @BeforeEach
    void needsVirtualThreads()
    {
        assumeVirtualThreads(VirtualThreadTest.class);
    }

    /** How a wait ended in E: its reason, and whether the interrupt status was set ("timeout interrupted"). */
    static String endedBy(final GenTcpException e)
    {
        return e.reason() + (Thread.currentThread().isInterrupted() ? " interrupted" : " not interrupted");
    }

    /** CALL on a virtual thread, interrupted once it is parked: what it returned, or {@link #endedBy}. */
    static Object interruptedWhileParked(final Callable<?> call)
    {
        final AtomicReference<Thread> t = new AtomicReference<>();
        return parkedThen(() ->
        {
            try
            {
                return call.call();
            }
            catch (final GenTcpException e)
            {
                return endedBy(e);
            }
        }, () -> t.get().interrupt(), t).get();
    }

    /** Skips the calling test before Java 21, printing why (the run's log shows each skip). */
    static void assumeVirtualThreads(final Class<?> test)
    {
        final String why = "virtual threads need Java 21+, this is " + System.getProperty("java.version");
        if (START_VIRTUAL == null)
        {
            System.out.println(test.getSimpleName() + " skipped: " + why);
        }
        assumeTrue(START_VIRTUAL != null, why);
    }

    static Thread startVirtual(final Runnable task)
    {
        try
        {
            return (Thread)START_VIRTUAL.invokeExact(task);
        }
        catch (final Throwable e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** Wait until T is parked (WAITING or TIMED_WAITING), which a thread pinned in C never is. */
    static void awaitParked(final Thread t)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        for (;;)
        {
            final Thread.State state = t.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
            {
                return;
            }
            assertTrue(t.isAlive(), "the thread ended instead of parking");
            assertTrue(System.nanoTime() < end, "the thread never parked: " + state);
            Thread.onSpinWait();
        }
    }

    static void join(final Thread t)
    {
        try
        {
            t.join(BOUND_MS);
        }
        catch (final InterruptedException e)
        {
            throw new AssertionError(e);
        }
        if (t.isAlive())
        {
            final StringBuilder stack = new StringBuilder();
            for (final StackTraceElement e : t.getStackTrace())
            {
                stack.append("\n\tat ").append(e);
            }
            throw new AssertionError("a virtual thread did not finish within " + BOUND_MS + " ms: " + t.getState() +
                stack);
        }
    }

    private static byte[] pattern(final int conn, final int round, final int length)
    {
        final byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = (byte)(conn * 31 + round * 7 + i);
        }
        return b;
    }

    /**
     * Far more virtual threads than carriers, each waiting in recv on its own connection: all
     * are served (before parking, the first few pinned every carrier in recv(2) and the rest
     * never ran).
     */
    @Test
    @Timeout(120)
    void manyVirtualThreadsEachBlockedInRecvAllMakeProgress()
    {
        final int conns = 256;
        final int rounds = 4;
        final List<Socket> clients = new ArrayList<>();
        final List<Thread> servers = new ArrayList<>();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (ListenSocket listen = GenTcp.listen(0, active(false), binary(), packet(4)))
        {
            for (int i = 0; i < conns; i++)
            {
                clients.add(GenTcp.connect("127.0.0.1", Inet.port(listen), 5_000, active(false), binary(), packet(4)));
                final Socket server = GenTcp.accept(listen, 5_000);
                servers.add(startVirtual(() ->
                {
                    try
                    {
                        for (int r = 0; r < rounds; r++)
                        {
                            final byte[] request = GenTcp.recv(server, 0, BOUND_MS);
                            GenTcp.send(server, request);
                        }
                    }
                    catch (final Throwable e)
                    {
                        failures.add(e);
                    }
                }));
            }
            for (final Thread t : servers)
            {
                awaitParked(t); // every one of them waits in recv, none holds a carrier
            }
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
            for (int r = 0; r < rounds; r++)
            {
                for (int i = 0; i < conns; i++)
                {
                    GenTcp.send(clients.get(i), pattern(i, r, 100 + i));
                }
                for (int i = 0; i < conns; i++)
                {
                    final long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
                    final byte[] echo;
                    try
                    {
                        echo = GenTcp.recv(clients.get(i), 0, left);
                    }
                    catch (final GenTcpException e)
                    {
                        throw new AssertionError("connection " + i + " of " + conns + ", round " + r +
                            ": no echo (" + e.reason() + "); failures on the server side: " + failures, e);
                    }
                    assertArrayEquals(pattern(i, r, 100 + i), echo, "connection " + i + ", round " + r);
                }
            }
            servers.forEach(VirtualThreadTest::join);
            assertTrue(failures.isEmpty(), () -> "server threads failed: " + failures);
        }
        finally
        {
            clients.forEach(GenTcp::close);
        }
    }

    /**
     * Virtual acceptors (more than the carriers) park in accept: other virtual threads still
     * run meanwhile, and every connection is accepted and served.
     */
    @Test
    @Timeout(120)
    void virtualAcceptorsLeaveTheCarriersFree() throws InterruptedException
    {
        final int acceptors = 2 * Runtime.getRuntime().availableProcessors() + 2;
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();
        final List<Socket> clients = new ArrayList<>();
        try (ListenSocket listen = GenTcp.listen(0, active(false), binary(), packet(2)))
        {
            for (int i = 0; i < acceptors; i++)
            {
                threads.add(startVirtual(() ->
                {
                    try
                    {
                        final Socket s = GenTcp.accept(listen, BOUND_MS);
                        final byte[] request = GenTcp.recv(s, 0, BOUND_MS);
                        GenTcp.send(s, request);
                        GenTcp.recv(s, 0, BOUND_MS); // until the client closes
                    }
                    catch (final GenTcpException e)
                    {
                        if (e.reason() != Reason.CLOSED)
                        {
                            failures.add(e);
                        }
                    }
                    catch (final Throwable e)
                    {
                        failures.add(e);
                    }
                }));
            }
            for (final Thread t : threads)
            {
                awaitParked(t);
            }
            final CountDownLatch ran = new CountDownLatch(1);
            startVirtual(ran::countDown);
            assertTrue(ran.await(BOUND_MS, TimeUnit.MILLISECONDS), "a virtual thread found no carrier");
            for (int i = 0; i < acceptors; i++)
            {
                final Socket c = GenTcp.connect("127.0.0.1", Inet.port(listen), 5_000, active(false), binary(),
                    packet(2));
                clients.add(c);
                GenTcp.send(c, pattern(i, 0, 50));
                assertArrayEquals(pattern(i, 0, 50), GenTcp.<byte[]>recv(c, 0, BOUND_MS), "connection " + i);
            }
            clients.forEach(GenTcp::close);
            threads.forEach(VirtualThreadTest::join);
            assertTrue(failures.isEmpty(), () -> "acceptors failed: " + failures);
        }
        finally
        {
            clients.forEach(GenTcp::close);
        }
    }

    /** Run CALL on a virtual thread, wait until it is parked in it, then do ACTION. */
    private static <T> AtomicReference<Object> parkedThen(final Callable<T> call, final Runnable action,
        final AtomicReference<Thread> thread)
    {
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final Thread t = startVirtual(() ->
        {
            try
            {
                outcome.set(call.call());
            }
            catch (final Throwable e)
            {
                outcome.set(e);
            }
        });
        thread.set(t);
        awaitParked(t);
        action.run();
        join(t);
        return outcome;
    }

    @Test
    void closeWakesAParkedRecvAtOnce()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            final AtomicReference<Thread> t = new AtomicReference<>();
            final long[] closedAt = new long[1];
            final Object outcome = parkedThen(() -> GenTcp.recv(p.server, 0), () ->
            {
                closedAt[0] = System.nanoTime();
                GenTcp.close(p.server);
            }, t).get();
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt[0]);
            assertTrue(outcome instanceof GenTcpException, "recv answered " + outcome);
            assertEquals(Reason.CLOSED, ((GenTcpException)outcome).reason());
            assertTrue(tookMs < 5_000, "the parked recv took " + tookMs + " ms to hear of the close");
        }
    }

    @Test
    void closeWakesAParkedAccept()
    {
        final ListenSocket listen = GenTcp.listen(0, active(false));
        final Object outcome = parkedThen(() -> GenTcp.accept(listen), () -> GenTcp.close(listen),
            new AtomicReference<>()).get();
        assertTrue(outcome instanceof GenTcpException, "accept answered " + outcome);
        assertEquals(Reason.CLOSED, ((GenTcpException)outcome).reason());
    }

    /** The time limit holds on a parked recv, which keeps what it had, and the socket stays usable. */
    @Test
    void timeLimitsHoldAndLoseNothing()
    {
        try (Pair p = Pair.rawClient(PacketType.FOUR))
        {
            // Half a packet arrives first: kept across the timeout, completed afterwards.
            GenTcp.send(p.client, new byte[] {0, 0, 0, 3, 'a'});
            final long[] tookMs = new long[1];
            final Object outcome = parkedOrNot(() ->
            {
                final long start = System.nanoTime();
                try
                {
                    GenTcp.recv(p.server, 0, 300);
                    return "no timeout";
                }
                catch (final GenTcpException e)
                {
                    tookMs[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    return e.reason();
                }
            });
            assertEquals(Reason.TIMEOUT, outcome);
            assertTrue(tookMs[0] >= 300 && tookMs[0] < 10_000, "a 300 ms limit took " + tookMs[0] + " ms");
            GenTcp.send(p.client, new byte[] {'b', 'c'});
            final Object rest = parkedOrNot(() -> GenTcp.<byte[]>recv(p.server, 0, BOUND_MS));
            assertArrayEquals(new byte[] {'a', 'b', 'c'}, (byte[])rest);
        }
    }

    private static Object parkedOrNot(final java.util.concurrent.Callable<?> call)
    {
        final AtomicReference<Object> outcome = new AtomicReference<>();
        join(startVirtual(() ->
        {
            try
            {
                outcome.set(call.call());
            }
            catch (final Throwable e)
            {
                outcome.set(e);
            }
        }));
        return outcome.get();
    }

    /** Interrupt ends a parked wait as a timeout, the status still set, and loses nothing. */
    @Test
    void interruptEndsAParkedRecvAsATimeout() throws InterruptedException
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final AtomicReference<Object> after = new AtomicReference<>();
            final CountDownLatch ended = new CountDownLatch(1);
            final CountDownLatch sent = new CountDownLatch(1);
            final Thread t = startVirtual(() ->
            {
                try
                {
                    GenTcp.recv(p.server, 0);
                    outcome.set("no timeout");
                }
                catch (final GenTcpException e)
                {
                    outcome.set(endedBy(e));
                }
                Thread.interrupted();
                ended.countDown();
                try
                {
                    sent.await();
                    after.set(GenTcp.recv(p.server, 0, BOUND_MS));
                }
                catch (final Throwable e)
                {
                    after.set(e);
                }
            });
            awaitParked(t);
            final long start = System.nanoTime();
            t.interrupt();
            assertTrue(ended.await(BOUND_MS, TimeUnit.MILLISECONDS), "the interrupt did not end the wait");
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("timeout interrupted", outcome.get());
            assertTrue(tookMs < 5_000, "the interrupt took " + tookMs + " ms to end the wait");
            // The socket is still usable and nothing was taken: the next packet arrives whole.
            GenTcp.send(p.client, "after".getBytes());
            sent.countDown();
            join(t);
            assertArrayEquals("after".getBytes(), (byte[])after.get());
        }
    }

    @Test
    void interruptEndsAParkedAcceptAsATimeout() throws InterruptedException
    {
        final ListenSocket listen = GenTcp.listen(0, active(false));
        try
        {
            assertEquals("timeout interrupted", interruptedWhileParked(() -> GenTcp.accept(listen)));
        }
        finally
        {
            GenTcp.close(listen);
        }
    }

    /** While a virtual thread is parked in recv, the socket's receive side is taken: ealready. */
    @Test
    void aParkedRecvKeepsOneRecvAtATime()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            final AtomicReference<Thread> t = new AtomicReference<>();
            final Object outcome = parkedThen(() -> GenTcp.recv(p.server, 0), () ->
            {
                assertReason(Reason.EALREADY, () -> GenTcp.recv(p.server, 0, 0));
                assertReason(Reason.EALREADY, () -> GenTcp.recv(p.server, 0, 100));
                GenTcp.send(p.client, "x".getBytes());
            }, t).get();
            assertArrayEquals("x".getBytes(), (byte[])outcome);
        }
    }

    /** Every form of recv parks, and delivers what came. */
    @Test
    void everyRecvFormParks()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            final AtomicReference<Thread> t = new AtomicReference<>();
            final byte[] big = pattern(1, 2, 200_000); // beyond a pooled buffer: the size-query path
            assertArrayEquals(big,
                (byte[])parkedThen(() -> GenTcp.recv(p.server, 0), () -> GenTcp.send(p.client, big), t).get());

            final ByteBuffer direct = ByteBuffer.allocateDirect(64);
            assertEquals(3, parkedThen(() -> GenTcp.recv(p.server, 0, direct, BOUND_MS),
                () -> GenTcp.send(p.client, "abc".getBytes()), t).get());
            assertEquals(3, direct.position());

            final ByteBuffer heap = ByteBuffer.allocate(64);
            assertEquals(2, parkedThen(() -> GenTcp.recv(p.server, 0, heap),
                () -> GenTcp.send(p.client, "de".getBytes()), t).get());
            assertEquals(2, heap.position());

            final ByteBuffer bigHeap = ByteBuffer.allocate(big.length);
            assertEquals(big.length, parkedThen(() -> GenTcp.recv(p.server, 0, bigHeap, BOUND_MS),
                () -> GenTcp.send(p.client, big), t).get());
            assertArrayEquals(big, bigHeap.array());

            final ByteBuffer batch = ByteBuffer.allocateDirect(64);
            assertEquals(4 + 2, parkedThen(() -> GenTcp.recvBatch(p.server, batch, 8, BOUND_MS),
                () -> GenTcp.send(p.client, "fg".getBytes()), t).get());
            assertEquals(2, batch.getInt(0));
        }
    }

    /** A connect on a virtual thread: made, refused, and parked while the kernel holds it. */
    @Test
    void connectParks() throws InterruptedException
    {
        final ListenSocket open = GenTcp.listen(0, active(false), binary());
        final int port = Inet.port(open);
        // (The socket is the connecting thread's: it is used and closed there.)
        final Object made = parkedOrNot(() ->
        {
            final Socket s = GenTcp.connect("127.0.0.1", port, BOUND_MS, active(false), binary());
            GenTcp.send(s, "hi".getBytes());
            GenTcp.close(s);
            return s;
        });
        assertTrue(made instanceof Socket, "connect answered " + made);
        final Socket accepted = GenTcp.accept(open, BOUND_MS);
        assertArrayEquals("hi".getBytes(), GenTcp.<byte[]>recv(accepted, 2, BOUND_MS));
        GenTcp.close(accepted);
        GenTcp.close(open);
        final Object refused = parkedOrNot(() -> GenTcp.connect("127.0.0.1", port, BOUND_MS));
        assertTrue(refused instanceof GenTcpException, "connect answered " + refused);
        assertEquals(Reason.ECONNREFUSED, ((GenTcpException)refused).reason());

        // Nobody accepts and the backlog is full: the kernel drops further SYNs, and a connect
        // waits (ConnectionTest#aConnectThatTheListenerCannotQueueTimesOut).
        final ListenSocket full = GenTcp.listen(0, backlog(0));
        final List<Socket> queued = new ArrayList<>();
        try
        {
            for (int i = 0; i < 16; i++)
            {
                try
                {
                    queued.add(GenTcp.connect("127.0.0.1", Inet.port(full), 300));
                }
                catch (final GenTcpException e)
                {
                    assertEquals(Reason.TIMEOUT, e.reason());
                    break;
                }
            }
            final long[] tookMs = new long[1];
            final Object limited = parkedOrNot(() ->
            {
                final long start = System.nanoTime();
                try
                {
                    return GenTcp.connect("127.0.0.1", Inet.port(full), 400);
                }
                catch (final GenTcpException e)
                {
                    tookMs[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    return e.reason();
                }
            });
            assertEquals(Reason.TIMEOUT, limited);
            assertTrue(tookMs[0] >= 400 && tookMs[0] < 10_000, "a 400 ms limit took " + tookMs[0] + " ms");

            assertEquals("timeout interrupted",
                interruptedWhileParked(() -> GenTcp.connect("127.0.0.1", Inet.port(full))));
        }
        finally
        {
            queued.forEach(GenTcp::close);
            GenTcp.close(full);
        }
    }

    /**
     * Virtual threads parked in recv (byte[] and a heap ByteBuffer) hold no buffer of the shared
     * direct pool: more of them than the pool has buffers leave every buffer to be borrowed, and
     * each still gets its packet.
     */
    @Test
    void parkedReceiversHoldNoPooledBuffer() throws Exception
    {
        final int n = io.gentcp.internal.DirectMemory.POOL_SIZE + 2;
        final List<Thread> threads = new ArrayList<>();
        final Queue<Object> got = new ConcurrentLinkedQueue<>();
        final List<io.gentcp.internal.DirectMemory.Scratch> lent = new ArrayList<>();
        final Pairs pairs = Pairs.of(n, () -> Pair.of(binary(), packet(4)));
        try
        {
            for (int i = 0; i < n; i++)
            {
                final Pair p = pairs.get(i);
                final boolean heap = i % 2 == 1;
                threads.add(startVirtual(() ->
                {
                    if (heap)
                    {
                        final ByteBuffer dst = ByteBuffer.allocate(64);
                        got.add(GenTcp.recv(p.server, 0, dst, BOUND_MS));
                    }
                    else
                    {
                        got.add(GenTcp.recv(p.server, 0, BOUND_MS));
                    }
                }));
            }
            threads.forEach(VirtualThreadTest::awaitParked);
            for (io.gentcp.internal.DirectMemory.Scratch s = io.gentcp.internal.DirectMemory.borrow(); s != null;
                 s = io.gentcp.internal.DirectMemory.borrow())
            {
                lent.add(s);
            }
            assertEquals(io.gentcp.internal.DirectMemory.POOL_SIZE, lent.size(),
                "buffers the parked receivers left in the pool");
            for (final Pair p : pairs)
            {
                GenTcp.send(p.client, "x".getBytes());
            }
            threads.forEach(VirtualThreadTest::join);
            assertEquals(n, got.size());
        }
        finally
        {
            lent.forEach(io.gentcp.internal.DirectMemory.Scratch::close);
            pairs.close();
        }
    }
}
