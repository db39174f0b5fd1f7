package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.idle;
import static io.gentcp.Option.once;
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
 * On a virtual thread the spinning idle strategies park like {@code block} (spinning would hold
 * the carrier), in a passive recv and in Mailbox.receive, and CpuAffinity refuses. Runs on Java
 * 21+ (CI: the test-on-jdk25 run); on Java 17 every test is skipped, saying why.
 *
 * <p>The proof that nothing spins: as many waiters as the scheduler has carriers, each with a
 * strategy that would spin for a minute or for ever, all reach the parked state (a thread
 * spinning in C stays RUNNABLE), and one more virtual thread still runs; had each held its
 * carrier, it never could. Time bounds only catch hangs.
 */
@Timeout(120)
class VirtualIdleTest
{
    /** A spin far longer than any bound here: a try that spun would never come back in time. */
    private static final IdleStrategy MINUTE_SPIN = IdleStrategy.spin(60_000_000);

    @BeforeEach
    void needsVirtualThreads()
    {
        assumeVirtualThreads(VirtualIdleTest.class);
    }

    @AfterEach
    void closeThisThreadsMailbox()
    {
        Mailbox.current().close();
    }

    /** The number of carriers the default scheduler runs virtual threads on. */
    private static int carriers()
    {
        return Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
    }

    /** Waits until every waiter parked, then shows a new virtual thread gets a carrier. */
    private static void everyWaiterParksAndAnotherThreadRuns(final List<Thread> waiters) throws InterruptedException
    {
        for (final Thread t : waiters)
        {
            awaitParked(t);
        }
        final CountDownLatch ran = new CountDownLatch(1);
        startVirtual(ran::countDown);
        assertTrue(ran.await(BOUND_MS, TimeUnit.MILLISECONDS), "no carrier was free for another virtual thread");
    }

    @Test
    void aRecvWithASpinningStrategyParks() throws InterruptedException
    {
        final int n = carriers() * 2;
        final List<Thread> waiters = new ArrayList<>();
        final Queue<Object> got = new ConcurrentLinkedQueue<>();
        try (Pairs pairs = Pairs.of(n, () -> Pair.of(binary(), packet(4))))
        {
            for (int i = 0; i < n; i++)
            {
                final Pair p = pairs.get(i);
                // half wait for ever with busy polling, half with a minute's spin and a time limit
                final boolean busy = i % 2 == 0;
                Inet.setopts(p.server, idle(busy ? IdleStrategy.busyPoll() : MINUTE_SPIN));
                waiters.add(startVirtual(() ->
                    got.add(GenTcp.recv(p.server, 0, busy ? GenTcp.INFINITY : 10 * BOUND_MS))));
            }
            everyWaiterParksAndAnotherThreadRuns(waiters);
            for (int i = 0; i < n; i++)
            {
                GenTcp.send(pairs.get(i).client, new byte[] {(byte)i});
            }
            waiters.forEach(VirtualThreadTest::join);
            assertEquals(n, got.size(), "every recv got its packet: " + got);
            // the strategy still holds where it applies: a platform thread's recv
            final Pair p = pairs.get(0);
            GenTcp.send(p.client, new byte[] {42});
            assertArrayEquals(new byte[] {42}, GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void aMailboxReceiveWithASpinningStrategyParks() throws InterruptedException
    {
        final int n = carriers() * 2;
        final ListenSocket listen = GenTcp.listen(0, binary(), packet(4), active(false));
        final List<Socket> peers = new ArrayList<>();
        final List<Thread> waiters = new ArrayList<>();
        final Queue<Object> got = new ConcurrentLinkedQueue<>();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final CountDownLatch connected = new CountDownLatch(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                final boolean busy = i % 2 == 0;
                waiters.add(startVirtual(() ->
                {
                    try (Mailbox mine = Mailbox.current())
                    {
                        mine.setIdle(busy ? IdleStrategy.busyPoll() : MINUTE_SPIN);
                        final Socket s = GenTcp.connect("127.0.0.1", Inet.port(listen), 5_000, binary(), packet(4),
                            active(once()));
                        connected.countDown();
                        got.add(mine.receive(busy ? GenTcp.INFINITY : 10 * BOUND_MS));
                        GenTcp.close(s);
                    }
                    catch (final Throwable e)
                    {
                        failures.add(e);
                        connected.countDown();
                    }
                }));
            }
            for (int i = 0; i < n; i++)
            {
                peers.add(GenTcp.accept(listen, 5_000));
            }
            assertTrue(connected.await(BOUND_MS, TimeUnit.MILLISECONDS));
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            everyWaiterParksAndAnotherThreadRuns(waiters);
            for (final Socket peer : peers)
            {
                GenTcp.send(peer, "hi");
            }
            waiters.forEach(VirtualThreadTest::join);
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            assertEquals(n, got.size());
            got.forEach(m -> assertInstanceOf(Tcp.class, m));
        }
        finally
        {
            peers.forEach(GenTcp::close);
            GenTcp.close(listen);
        }
    }

    /** What CALL threw, or null. */
    private static Throwable thrownBy(final Runnable call)
    {
        try
        {
            call.run();
            return null;
        }
        catch (final Throwable e)
        {
            return e;
        }
    }

    @Test
    void cpuAffinityRefusesOnAVirtualThread()
    {
        final AtomicReference<Throwable> pin = new AtomicReference<>();
        final AtomicReference<Throwable> unpin = new AtomicReference<>();
        join(startVirtual(() ->
        {
            pin.set(thrownBy(() -> CpuAffinity.pinCurrentThread(0)));
            unpin.set(thrownBy(CpuAffinity::unpinCurrentThread));
        }));
        assertInstanceOf(IllegalStateException.class, pin.get(), "pinCurrentThread on a virtual thread");
        assertTrue(pin.get().getMessage().startsWith("pinCurrentThread: the current thread is virtual"),
            pin.get().getMessage());
        assertInstanceOf(IllegalStateException.class, unpin.get(), "unpinCurrentThread on a virtual thread");
        assertTrue(unpin.get().getMessage().startsWith("unpinCurrentThread: the current thread is virtual"),
            unpin.get().getMessage());
    }
}
