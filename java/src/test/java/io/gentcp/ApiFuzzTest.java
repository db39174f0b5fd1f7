package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The random API fuzzer: every public call with random arguments (nulls, negative and huge
 * numbers, closed sockets, sockets and mailboxes of another thread, bad option values), on a
 * pool of live sockets, asserting only documented outcomes. A call either returns, or throws a
 * GenTcpException whose Reason that call may give (ApiFuzzCalls lists them per call), or an
 * IllegalArgumentException whose message starts with the name of an argument or option, or
 * (Mailbox.receive from a thread other than its owner) an IllegalStateException. Anything else,
 * a call that does not return within CALL_LIMIT_MS, or a file descriptor left open at the end
 * fails the test, naming the seed and the call.
 *
 * <p>Seeded: it prints {@code api fuzz seed: N}; {@code -Dgentcp.fuzz.seed=N} replays the same
 * sequence of calls (the network's timing may still differ). Bounded: {@code gentcp.fuzz.calls}
 * calls (default 20,000) or {@code gentcp.fuzz.seconds} seconds (default 15), whichever ends
 * first; a fuzzer that has not ended a minute after that is a hang. It runs in the default
 * suite (epoll, kqueue-emulated, JDK 25) and in test-asan.
 */
class ApiFuzzTest
{
    /** A call that takes longer hangs: the longest wait drawn is connect's 2 s (a bound that only catches hangs). */
    private static final long CALL_LIMIT_MS = 10_000;
    /** How many of the last calls a failure shows. */
    private static final int HISTORY = 60;

    @Test
    void everyPublicCallWithRandomArgumentsGivesOnlyDocumentedOutcomes() throws Exception
    {
        final long seed = Long.getLong("gentcp.fuzz.seed", new Random().nextLong());
        final int calls = Integer.getInteger("gentcp.fuzz.calls", 20_000);
        final long seconds = Long.getLong("gentcp.fuzz.seconds", 15);
        System.out.println("api fuzz seed: " + seed + " (replay with -Dgentcp.fuzz.seed=" + seed + ")");

        final Map<String, Integer> fdsBefore;
        final Map<String, Integer> outcomes = new TreeMap<>();
        final Thread fuzzer;
        final Throwable[] failure = new Throwable[1];
        final int[] made = new int[1];
        final java.util.ArrayDeque<String> history = new java.util.ArrayDeque<>();
        // Its own thread, so that its mailbox (which the fuzzer closes at times) is no other test's.
        try (ApiFuzzCalls world = new ApiFuzzCalls(new FuzzValues(new Random(seed))))
        {
            world.warmUp();
            fdsBefore = settledFds();
            fuzzer = new Thread(() ->
            {
                try
                {
                    final long end = System.nanoTime() + seconds * 1_000_000_000L;
                    for (int i = 0; i < calls && System.nanoTime() < end; i++)
                    {
                        final ApiFuzzCalls.Call call = world.next();
                        final long start = System.nanoTime();
                        final String outcome;
                        try
                        {
                            outcome = outcome(call, seed, i);
                        }
                        catch (final AssertionError e)
                        {
                            System.out.println("api fuzz: the calls before the failure, oldest first:\n  " +
                                String.join("\n  ", history));
                            throw e;
                        }
                        history.addLast("#" + i + " " + call.name() + "(" + call.args() + ") -> " + outcome);
                        if (history.size() > HISTORY)
                        {
                            history.removeFirst();
                        }
                        final long ms = (System.nanoTime() - start) / 1_000_000;
                        if (ms > CALL_LIMIT_MS)
                        {
                            throw new AssertionError(where(seed, i, call) + " took " + ms + " ms");
                        }
                        outcomes.merge(call.name() + " -> " + outcome, 1, Integer::sum);
                        made[0] = i + 1;
                    }
                }
                catch (final Throwable t)
                {
                    failure[0] = t;
                }
                finally
                {
                    world.closeAll();
                }
            }, "api-fuzz");
            fuzzer.start();
            fuzzer.join(seconds * 1000 + 60_000);
            if (fuzzer.isAlive())
            {
                final StackTraceElement[] stack = fuzzer.getStackTrace();
                fail("seed " + seed + ": the fuzzer hangs after " + made[0] + " calls, in " +
                    java.util.Arrays.toString(stack));
            }
        }
        System.out.println("api fuzz: " + made[0] + " calls, outcomes: " + outcomes);
        if (failure[0] != null)
        {
            throw new AssertionError("seed " + seed + " (replay with -Dgentcp.fuzz.seed=" + seed + "): " + failure[0],
                failure[0]);
        }
        assertTrue(made[0] >= Math.min(calls, 1000), "seed " + seed + ": only " + made[0] + " calls made");
        assertFdsBack(fdsBefore, seed);
    }

    /** Runs CALL; the name of its outcome, or an AssertionError for an undocumented one. */
    private static String outcome(final ApiFuzzCalls.Call call, final long seed, final int i)
    {
        try
        {
            call.body().run();
            return "ok";
        }
        catch (final GenTcpException e)
        {
            if (!call.reasons().contains(e.reason()))
            {
                throw new AssertionError(where(seed, i, call) + " failed with " + e.reason() +
                    ", which it does not document", e);
            }
            return e.reason().toString();
        }
        catch (final IllegalArgumentException e)
        {
            final String message = String.valueOf(e.getMessage());
            final int colon = message.indexOf(':');
            final String named = colon < 0 ? message : message.substring(0, colon);
            if (!call.arguments().contains(named) && !ApiFuzzCalls.OPTION_NAMES.contains(named))
            {
                throw new AssertionError(where(seed, i, call) + ": IllegalArgumentException names no argument of it: " +
                    message, e);
            }
            return "IAE " + named;
        }
        catch (final IllegalStateException e)
        {
            if (!call.mayBeIllegalState())
            {
                throw new AssertionError(where(seed, i, call) + ": undocumented " + e, e);
            }
            return "ISE";
        }
        catch (final RuntimeException | Error e)
        {
            throw new AssertionError(where(seed, i, call) + ": undocumented " + e, e);
        }
    }

    private static String where(final long seed, final int i, final ApiFuzzCalls.Call call)
    {
        return "seed " + seed + ", call #" + i + " " + call.name() + "(" + call.args() + ")";
    }

    /**
     * The descriptors once closed pollers are reaped: on the kqueue-emulated build a closed
     * kqueue's eventfd is freed only by the next kqueue() call (native/test/kqueue_emu), so a
     * mailbox of this thread opens its poller (a receive that waits) and closes, which leaves at
     * most its own eventfd; on epoll it leaves nothing.
     */
    private static Map<String, Integer> settledFds() throws IOException
    {
        final Mailbox mailbox = Mailbox.current();
        try
        {
            mailbox.receive(1);
        }
        catch (final GenTcpException e)
        {
            // timeout: what was wanted, the poller open
        }
        mailbox.close();
        return openFds();
    }

    /** The process's descriptors by what they point at (socket:[...] folded into "socket"). */
    private static Map<String, Integer> openFds() throws IOException
    {
        final Map<String, Integer> fds = new TreeMap<>();
        final String[] names = new File("/proc/self/fd").list();
        if (names == null)
        {
            return fds;
        }
        for (final String name : names)
        {
            try
            {
                final String target = Files.readSymbolicLink(Path.of("/proc/self/fd", name)).toString();
                fds.merge(target.replaceAll("\\[[0-9]+\\]$", "").replaceAll("^/proc/[0-9]+/.*", "/proc"), 1,
                    Integer::sum);
            }
            catch (final IOException e)
            {
                // closed while listed (the listing's own descriptor)
            }
        }
        return fds;
    }

    /**
     * The descriptors are those of before the fuzz. Sockets close at once, but a mailbox of the
     * helper thread may still be closing: waits for the count, bounded.
     */
    private static void assertFdsBack(final Map<String, Integer> before, final long seed) throws Exception
    {
        Map<String, Integer> now = settledFds();
        final long end = System.nanoTime() + 10_000_000_000L;
        while (!leaked(before, now).isEmpty() && System.nanoTime() < end)
        {
            Thread.sleep(10); // a bounded poll of /proc state, not a race decided by time
            now = settledFds();
        }
        assertEquals(Map.of(), leaked(before, now),
            "seed " + seed + ": descriptors left open (kind -> how many more than before)");
    }

    private static Map<String, Integer> leaked(final Map<String, Integer> before, final Map<String, Integer> now)
    {
        final Map<String, Integer> more = new TreeMap<>();
        final Set<String> kinds = new TreeSet<>(now.keySet());
        for (final String kind : kinds)
        {
            final int n = now.get(kind) - before.getOrDefault(kind, 0);
            if (n > 0)
            {
                more.put(kind, n);
            }
        }
        return more;
    }
}
