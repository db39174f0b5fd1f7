package io.gentcp;

import io.gentcp.internal.Native;
import io.gentcp.internal.Parking;

/**
 * Pins the calling thread to one CPU: a gentcp addition for latency work, where a busy-polling
 * receiver ({@link IdleStrategy#busyPoll()}) should own its core and the placement of both ends
 * of a conversation decides the latency (waking a thread on another core can cost more than the
 * whole round trip).
 *
 * <p>Only for platform threads: a virtual thread runs on whichever carrier the scheduler gives
 * it, so both calls refuse on one with an {@link IllegalStateException} (pinning would pin the
 * carrier it happens to be on, for every virtual thread that runs there later).
 */
public final class CpuAffinity
{
    private CpuAffinity()
    {
    }

    /**
     * Keeps the calling thread on CPU from now on; {@code einval} for a CPU the machine does not have.
     *
     * @param cpu the CPU number, from 0
     * @throws IllegalStateException on a virtual thread
     */
    public static void pinCurrentThread(final int cpu)
    {
        if (cpu < 0)
        {
            throw new IllegalArgumentException("cpu: must be >= 0, was " + cpu);
        }
        platformThreadOnly("pinCurrentThread");
        Errors.check(Native.lib().gt_pin_thread(cpu));
    }

    /**
     * Lets the calling thread run on every CPU again.
     *
     * @throws IllegalStateException on a virtual thread
     */
    public static void unpinCurrentThread()
    {
        platformThreadOnly("unpinCurrentThread");
        Errors.check(Native.lib().gt_pin_thread(-1));
    }

    private static void platformThreadOnly(final String call)
    {
        if (Parking.onVirtualThread())
        {
            throw new IllegalStateException(call + ": the current thread is virtual; CPU affinity belongs to a" +
                " platform thread (pinning would pin the carrier it happens to run on, for every virtual thread it" +
                " carries)");
        }
    }
}
