package io.gentcp;

import io.gentcp.internal.Native;

/**
 * Pins the calling thread to one CPU: a gentcp addition for latency work, where a busy-polling
 * receiver ({@link IdleStrategy#busyPoll()}) should own its core and the placement of both ends
 * of a conversation decides the latency (waking a thread on another core can cost more than the
 * whole round trip).
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
     */
    public static void pinCurrentThread(final int cpu)
    {
        if (cpu < 0)
        {
            throw new IllegalArgumentException("cpu: must be >= 0, was " + cpu);
        }
        Errors.check(Native.lib().gt_pin_thread(cpu));
    }

    /** Lets the calling thread run on every CPU again. */
    public static void unpinCurrentThread()
    {
        Errors.check(Native.lib().gt_pin_thread(-1));
    }
}
