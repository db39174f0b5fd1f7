package io.gentcp;

import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The waker of parked virtual threads (internal/ParkingPoller.java; parking.c's gt_park_idle)
 * loses no wake-up, whether it is busy (many ping-pongs at once: it polls between batches
 * and never sleeps) or goes idle between every two reports (one ping-pong: it arms the
 * parking poller in the watch poller and parks, and its watcher wakes it). A lost wake-up
 * leaves a thread parked in recv until its time limit, which fails the test. Java 21+.
 */
class ParkingPollerTest
{
    /** The time limit of every recv: a wake-up lost leaves its waiter parked this long. */
    private static final long RECV_MS = 10_000;

    @BeforeEach
    void needsVirtualThreads()
    {
        assumeTrue(VirtualThreadTest.START_VIRTUAL != null,
            "virtual threads need Java 21+, this is " + System.getProperty("java.version"));
    }

    private static byte[] pattern(final int pair, final int round)
    {
        final byte[] b = new byte[1 + (pair + round) % 64];
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)(pair * 31 + round * 7 + i);
        }
        return b;
    }

    /**
     * PAIRS connections, both ends on virtual threads, each client making ROUNDS round trips
     * to its echoing server: every one answered in time, every byte checked.
     */
    private static void pingPong(final int pairs, final int rounds)
    {
        final List<Pair> sockets = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try
        {
            for (int p = 0; p < pairs; p++)
            {
                sockets.add(Pair.of(binary(), packet(4)));
            }
            for (int p = 0; p < pairs; p++)
            {
                final int pair = p;
                final Pair s = sockets.get(p);
                threads.add(VirtualThreadTest.startVirtual(() -> run(failures, () ->
                {
                    for (int r = 0; r < rounds; r++)
                    {
                        final byte[] request = GenTcp.recv(s.server, 0, RECV_MS);
                        GenTcp.send(s.server, request);
                    }
                })));
                threads.add(VirtualThreadTest.startVirtual(() -> run(failures, () ->
                {
                    for (int r = 0; r < rounds; r++)
                    {
                        GenTcp.send(s.client, pattern(pair, r));
                        final byte[] echo = GenTcp.recv(s.client, 0, RECV_MS);
                        assertArrayEquals(pattern(pair, r), echo, "pair " + pair + ", round " + r);
                    }
                })));
            }
            threads.forEach(VirtualThreadTest::join);
            assertTrue(failures.isEmpty(), () -> failures.size() + " threads failed, the first: " + failures.peek());
        }
        finally
        {
            sockets.forEach(Pair::close);
        }
    }

    private static void run(final Queue<Throwable> failures, final Runnable task)
    {
        try
        {
            task.run();
        }
        catch (final Throwable e)
        {
            failures.add(e);
        }
    }

    /** One ping-pong: the poller goes idle after nearly every report and is woken for the next. */
    @Test
    @Timeout(120)
    void aLonePingPongIsWokenEveryTime()
    {
        pingPong(1, 20_000);
    }

    /** Many at once, more threads than carriers: the poller collects batches between them. */
    @Test
    @Timeout(120)
    void aPingPongStormLosesNoWakeUp()
    {
        pingPong(200, 300);
    }

    /**
     * With one carrier held by a thread pinned to it while it parks in recv (a class
     * initializer pins), the poller cannot run: its watcher wakes the pinned thread instead,
     * promptly (PinnedWaitChild, in a JVM of its own with one carrier).
     */
    @Test
    @Timeout(120)
    void aThreadPinnedOnTheOnlyCarrierIsStillWoken() throws IOException, InterruptedException
    {
        final List<String> command = ChildJvm.command(List.of("-Djdk.virtualThreadScheduler.parallelism=1",
            "-Djdk.virtualThreadScheduler.maxPoolSize=1"), PinnedWaitChild.class, List.of());
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out;
        try
        {
            out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit");
        }
        finally
        {
            child.destroyForcibly();
        }
        assertEquals(0, child.exitValue(), () -> "the child: " + out);
        assertTrue(out.contains("received after"), () -> "the child: " + out);
        System.out.println("ParkingPollerTest, pinned on the only carrier: " +
            out.substring(out.indexOf("received after")).trim());
    }
}
