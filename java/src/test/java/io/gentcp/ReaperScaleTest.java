package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static io.gentcp.VirtualThreadTest.assumeVirtualThreads;
import static io.gentcp.VirtualThreadTest.BOUND_MS;
import static io.gentcp.VirtualThreadTest.startVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The owner-exit reaper (MailboxReaper) at virtual-thread scale: 100,000 live virtual threads,
 * each with a mailbox (what touching gentcp leaves behind: any socket a thread makes or accepts
 * is adopted by its mailbox), two hundred of them owning a connected socket as well (a mailbox
 * takes no descriptor; the sockets take two each, well inside the 20,000 open-file limit).
 * Then half of them end: every ended owner's mailbox and socket is closed (the peer sees
 * {@code closed}), and no live owner's is, however many rounds the reaper makes.
 *
 * <p>What the reaper costs at that scale is printed, not asserted (the pass/fail is the
 * behaviour): its thread's CPU time per round and its share of one core, from
 * {@code ThreadMXBean}. Runs on Java 21+ (CI: the test-on-jdk25 run); on Java 17 it is
 * skipped, saying why. Every wait is on the event itself, bounded by BOUND_MS.
 */
class ReaperScaleTest
{
    static final int THREADS = Integer.getInteger("gentcp.test.reaperThreads", 100_000);
    /** Two threads in SOCKET_EVERY own a socket: one that ends (even), one that lives on (odd). */
    private static final int SOCKET_EVERY = 1000;

    @BeforeEach
    void needsVirtualThreads()
    {
        assumeVirtualThreads(ReaperScaleTest.class);
        assumeTrue(MailboxReaper.INTERVAL_NANOS > 0, "the reaper is turned off (gentcp.mailbox.reapMillis=0)");
    }

    @AfterEach
    void closeThisThreadsMailbox()
    {
        Mailbox.current().close();
    }

    /** Waits, bounded, until DONE holds; WHAT says what never happened. */
    static void await(final BooleanSupplier done, final String what)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() < end, () -> "after " + BOUND_MS + " ms: " + what);
            try
            {
                Thread.sleep(1); // a poll of the event itself, not a race to win
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
        }
    }

    /** Waits until the reaper completes N more rounds: every owner was looked at since. */
    static void awaitRounds(final int n)
    {
        final long target = MailboxReaper.rounds() + n;
        await(() -> MailboxReaper.rounds() >= target, n + " more reaper rounds");
    }

    @Test
    @Timeout(600)
    void aHundredThousandVirtualOwnersTheEndedLoseTheirSocketsTheLiveKeepThem() throws InterruptedException
    {
        final ListenSocket listen = GenTcp.listen(0, active(false), binary(), packet(4), Option.backlog(1024));
        final int port = Inet.port(listen);
        final int owners = 2 * (THREADS / SOCKET_EVERY);
        final Socket[] clients = new Socket[THREADS];
        final Socket[] peers = new Socket[THREADS];
        final Thread[] threads = new Thread[THREADS];
        final CountDownLatch ready = new CountDownLatch(THREADS);
        final CountDownLatch endTheEven = new CountDownLatch(1);
        final CountDownLatch endTheOdd = new CountDownLatch(1);
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final int watchedBefore = MailboxReaper.watched();
        try
        {
            final long startNanos = System.nanoTime();
            for (int i = 0; i < THREADS; i++)
            {
                final int id = i;
                threads[i] = startVirtual(() ->
                    owner(id, port, clients, ready, id % 2 == 0 ? endTheEven : endTheOdd, failures));
            }
            for (int k = 0; k < owners; k++)
            {
                final Socket s = GenTcp.accept(listen, BOUND_MS);
                final int id = ByteBuffer.wrap(GenTcp.recv(s, 0, BOUND_MS)).getInt();
                peers[id] = s;
            }
            assertTrue(ready.await(BOUND_MS, TimeUnit.MILLISECONDS), "the virtual threads never all started");
            assertTrue(failures.isEmpty(), () -> "virtual threads failed: " + failures);
            final long startedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            assertTrue(MailboxReaper.watched() >= watchedBefore + THREADS, "every live owner's mailbox is watched");

            measure(THREADS, startedMs);

            // Half of them end: their mailboxes and sockets close, and the peers see it.
            endTheEven.countDown();
            for (int i = 0; i < THREADS; i += 2)
            {
                VirtualThreadTest.join(threads[i]);
            }
            final long endNanos = System.nanoTime();
            for (int i = 0; i < THREADS; i += SOCKET_EVERY)
            {
                final Socket peer = peers[i];
                assertReason(Reason.CLOSED, () -> GenTcp.recv(peer, 0, BOUND_MS));
            }
            await(() -> MailboxReaper.watched() <= watchedBefore + THREADS / 2, "the ended owners' mailboxes closed");
            System.out.printf("ReaperScaleTest: %,d owners ended; every one's mailbox and socket closed %,d ms" +
                " after the last had ended%n", THREADS / 2,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endNanos));

            // However many rounds pass, the live owners keep theirs.
            awaitRounds(3);
            assertTrue(MailboxReaper.watched() >= THREADS / 2, "a live owner's mailbox was closed");
            for (int i = 1; i < THREADS; i += 2)
            {
                assertTrue(threads[i].isAlive());
            }
            for (int id = 1; id < THREADS; id += SOCKET_EVERY)
            {
                // A live owner: its socket answers, and its peer has seen no close.
                assertNotNull(clients[id], "owner " + id + " has a socket");
                assertEquals(port, Inet.peername(clients[id]).getPort());
                final Socket peer = peers[id];
                assertReason(Reason.TIMEOUT, () -> GenTcp.recv(peer, 0, 0));
            }
            measure(THREADS / 2, -1);
        }
        finally
        {
            endTheEven.countDown();
            endTheOdd.countDown();
            for (final Thread t : threads)
            {
                if (t != null)
                {
                    VirtualThreadTest.join(t);
                }
            }
            for (final Socket s : peers)
            {
                if (s != null)
                {
                    GenTcp.close(s);
                }
            }
            GenTcp.close(listen);
        }
        // ... and once they end too, theirs close as well.
        for (int i = 1; i < THREADS; i += SOCKET_EVERY)
        {
            final Socket c = clients[i];
            await(() -> closed(c), "the socket of owner " + i + " closed after its thread ended");
        }
        assertTrue(failures.isEmpty(), () -> "virtual threads failed: " + failures);
    }

    /**
     * The thread of owner ID: makes its mailbox and, if it is one of the two in every SOCKET_EVERY
     * with a socket, connects to PORT (into CLIENTS) and sends its id; then lives until END opens.
     */
    private static void owner(final int id, final int port, final Socket[] clients, final CountDownLatch ready,
        final CountDownLatch end, final Queue<Throwable> failures)
    {
        try
        {
            Mailbox.current();
            if (id % SOCKET_EVERY < 2)
            {
                final Socket c = GenTcp.connect("127.0.0.1", port, BOUND_MS, active(false), binary(), packet(4));
                clients[id] = c;
                GenTcp.send(c, ByteBuffer.allocate(4).putInt(0, id).array());
            }
        }
        catch (final Throwable e)
        {
            failures.add(e);
        }
        finally
        {
            ready.countDown();
        }
        try
        {
            end.await();
        }
        catch (final InterruptedException e)
        {
            failures.add(e);
        }
    }

    /** Whether C is closed: peername answers with an error. */
    private static boolean closed(final Socket c)
    {
        try
        {
            Inet.peername(c);
            return false;
        }
        catch (final GenTcpException e)
        {
            return true;
        }
    }

    /** Prints what the reaper's rounds cost with LIVE owners watched. */
    private static void measure(final int live, final long startedMs)
    {
        final Thread reaper = MailboxReaper.thread();
        assertNotNull(reaper, "the reaper runs");
        awaitRounds(1); // a whole round with them all watched
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        @SuppressWarnings("deprecation") final long id = reaper.getId();
        final long cpu0 = mx.getThreadCpuTime(id);
        final long wall0 = System.nanoTime();
        final long rounds0 = MailboxReaper.rounds();
        awaitRounds(3);
        final long rounds = MailboxReaper.rounds() - rounds0;
        final long cpu = mx.getThreadCpuTime(id) - cpu0;
        final long wall = System.nanoTime() - wall0;
        System.out.printf("ReaperScaleTest: %,d live owners%s: %d rounds in %,d ms, reaper CPU %,d us per round" +
            " (%.1f ns per owner; the last round looked for %,d us), %.3f%% of one core%n", live,
            startedMs >= 0 ? String.format(" (all started in %,d ms)", startedMs) : "", rounds,
            TimeUnit.NANOSECONDS.toMillis(wall), cpu / rounds / 1000, (double)cpu / rounds / live,
            MailboxReaper.lastLookNanos() / 1000, 100.0 * cpu / wall);
    }
}
