package io.gentcp.bench.roundtrip;

import java.util.concurrent.TimeUnit;

/** How a server's close waits for its threads: all of them within one bound, an interrupt kept for later. */
final class StopWait
{
    /** How long a server's threads may take to end once it is closed. */
    static final long TIMEOUT_MS = 10_000;

    private StopWait()
    {
    }

    /**
     * Waits until every one of THREADS has ended, within {@link #TIMEOUT_MS} in all. An interrupt
     * does not cut the wait short; the thread's interrupt status is set again afterwards.
     *
     * @param server names the server in the message.
     * @throws IllegalStateException naming SERVER and the thread if one is still running at the bound.
     */
    static void joinAll(final Iterable<? extends Thread> threads, final String server)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        boolean interrupted = false;
        for (final Thread thread : threads)
        {
            while (thread.isAlive())
            {
                final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0)
                {
                    throw new IllegalStateException(server + ": " + thread.getName() + " did not stop within " +
                        TIMEOUT_MS + " ms");
                }
                try
                {
                    thread.join(leftMs);
                }
                catch (final InterruptedException e)
                {
                    interrupted = true;
                }
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
