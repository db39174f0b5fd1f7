package io.gentcp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The stress suite's seed, failures and time limits.
 *
 * <p>One seed per run: {@code -Dgentcp.stress.seed=N} or, without it, a random one; printed
 * ({@code stress seed: N}) when the first scenario starts. Each scenario derives its own seed
 * from it and its name, and every failure a scenario throws names the run's seed, so that the
 * same connections, packet types, sizes and operations can be replayed. (Thread scheduling is
 * not replayed: a race may need several runs of its seed.)
 */
final class StressRun
{
    /** The seed of this run. */
    static final long SEED = runSeed();

    private StressRun()
    {
    }

    private static long runSeed()
    {
        final String given = System.getProperty("gentcp.stress.seed", "").trim();
        final long seed = given.isEmpty() ? new SecureRandom().nextLong() : Long.parseLong(given);
        System.out.println("stress seed: " + seed);
        return seed;
    }

    /** A scenario, at full scale or (warmUp) a small one that opens what stays open for the process. */
    interface Scenario
    {
        void run(long seed, boolean warmUp) throws Exception;
    }

    /** Code that may throw anything. */
    interface Body
    {
        void run() throws Exception;
    }

    /** A seed for NAME derived from BASE (splitmix64 of both). */
    static long derive(final long base, final String name)
    {
        return mix(base ^ mix(name.hashCode() * 0x9E3779B97F4A7C15L));
    }

    static long mix(final long x)
    {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Runs SCENARIO as one test of the suite: a small warm-up run (which starts what a process
     * keeps, such as gentcp's I/O thread), the baseline, the full run, then the descriptors and
     * C allocations back to that baseline. A failure names the run's seed.
     */
    static void test(final String name, final Scenario scenario)
    {
        withSeed(SEED, name, () ->
        {
            runOnce(scenario, derive(SEED, name + "/warm-up"), true);
            final Baseline baseline = Baseline.capture();
            final long start = System.nanoTime();
            runOnce(scenario, derive(SEED, name), false);
            baseline.assertBackTo(name);
            System.out.printf("stress %s: passed in %d ms (seed %d)%n", name,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), SEED);
        });
    }

    /**
     * Runs SCENARIO, then closes the calling thread's mailbox, as a thread that ends would: a
     * scenario may make sockets on it before handing them on, and a mailbox keeps the room its
     * lists grew to until it closes.
     */
    static void runOnce(final Scenario scenario, final long seed, final boolean warmUp) throws Exception
    {
        try
        {
            scenario.run(seed, warmUp);
        }
        finally
        {
            final Mailbox mine = Mailbox.currentIfOpen();
            if (mine != null)
            {
                mine.close();
            }
        }
    }

    /** Runs BODY; anything it throws is rethrown as an AssertionError that names SEED. */
    static void withSeed(final long seed, final String what, final Body body)
    {
        try
        {
            body.run();
        }
        catch (final Throwable t)
        {
            throw new AssertionError("stress seed: " + seed + " (" + what + "; replay with -Dgentcp.stress.seed=" +
                seed + "): " + t, t);
        }
    }

    /** Failures of a scenario's threads, rethrown together by the scenario's thread. */
    static final class Failures
    {
        private final ConcurrentLinkedQueue<Throwable> seen = new ConcurrentLinkedQueue<>();

        void add(final Throwable t)
        {
            seen.add(t);
        }

        boolean any()
        {
            return !seen.isEmpty();
        }

        /** Starts a platform thread named NAME whose failure is recorded here. */
        Thread start(final String name, final Body body)
        {
            final Thread t = new Thread(() ->
            {
                try
                {
                    body.run();
                }
                catch (final Throwable e)
                {
                    add(new AssertionError(name + ": " + e, e));
                }
                finally
                {
                    Mailbox.current().close();
                }
            }, name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** Waits for THREADS until DEADLINE, then throws what they recorded, or that one hangs. */
        void join(final List<Thread> threads, final Deadline deadline) throws InterruptedException
        {
            for (final Thread t : threads)
            {
                t.join(Math.max(1, deadline.remainingMs()));
                if (t.isAlive())
                {
                    final AssertionError hang = new AssertionError(t.getName() +
                        " did not end within the scenario's time limit");
                    hang.setStackTrace(t.getStackTrace());
                    add(hang);
                    break;
                }
            }
            throwIfAny();
        }

        void throwIfAny()
        {
            final Throwable first = seen.peek();
            if (first == null)
            {
                return;
            }
            final AssertionError all = new AssertionError(seen.size() + " failure(s), the first: " + first, first);
            final List<Throwable> rest = new ArrayList<>(seen);
            for (int i = 1; i < Math.min(rest.size(), 10); i++)
            {
                all.addSuppressed(rest.get(i));
            }
            throw all;
        }
    }

    /** A time limit that turns a hang into a failure. */
    static final class Deadline
    {
        private final long end;

        Deadline(final long ms)
        {
            end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        }

        long remainingMs()
        {
            return Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
        }

        boolean passed()
        {
            return System.nanoTime() - end >= 0;
        }
    }
}
