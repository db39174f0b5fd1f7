package io.gentcp;

/**
 * Time limits in milliseconds as the public calls take them ({@link GenTcp#INFINITY} is -1):
 * the argument's check, and what is left of one that several waits share.
 */
final class Timeouts
{
    private Timeouts()
    {
    }

    /** TIMEOUT_MS, or an IllegalArgumentException when it is neither a limit nor infinity. */
    static long checkTimeout(final long timeoutMs)
    {
        if (timeoutMs < -1)
        {
            throw new IllegalArgumentException("timeout: must be >= 0 ms (or -1 for infinity), was " + timeoutMs);
        }
        return timeoutMs;
    }

    /**
     * What is left of a limit of TIMEOUT_MS (-1: infinity, which stays -1) that started at
     * START_NANOS ({@link System#nanoTime()}), in whole ms (the elapsed time rounded down, so
     * a wait never ends early). Only subtractions: no limit up to {@code Long.MAX_VALUE}
     * overflows, as {@code timeoutMs * 1_000_000} would from about 9.2e12 ms.
     */
    static long msLeft(final long timeoutMs, final long startNanos)
    {
        if (timeoutMs < 0)
        {
            return -1;
        }
        return Math.max(0, timeoutMs - (System.nanoTime() - startNanos) / 1_000_000);
    }
}
