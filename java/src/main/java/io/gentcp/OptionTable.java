package io.gentcp;

import io.gentcp.internal.Native;

/**
 * What C's option table (options.c) says of each {@link OptionName}, asked by name once at
 * start-up: its gt_setopt id ({@code GT_OPT_<NAME>}) and the range gt_setopt takes
 * ({@code GT_OPT_<NAME>_MIN} and {@code _MAX}). Java checks the range too, before anything
 * reaches C, so that a bad value is an IllegalArgumentException where it is written.
 */
final class OptionTable
{
    /** The id of an option C does not know (a creation or decode option). */
    static final int NO_ID = -1;

    private static final int[] IDS = new int[OptionName.values().length];
    private static final long[] MIN = new long[IDS.length];
    private static final long[] MAX = new long[IDS.length];

    static
    {
        for (final OptionName name : OptionName.values())
        {
            final String c = "GT_OPT_" + name.name();
            final long id = Native.constantOrMissing(c);
            IDS[name.ordinal()] = id == Long.MIN_VALUE ? NO_ID : (int)id;
            MIN[name.ordinal()] = Native.constantOrMissing(c + "_MIN");
            MAX[name.ordinal()] = Native.constantOrMissing(c + "_MAX");
        }
    }

    private OptionTable()
    {
    }

    /** NAME's C id, or {@link #NO_ID}. */
    static int id(final OptionName name)
    {
        return IDS[name.ordinal()];
    }

    /** The largest value C takes for NAME; the library's UnsatisfiedLinkError if it did not load. */
    static long max(final OptionName name)
    {
        Native.lib(); // not loaded: every bound would be 0, making every value look out of range
        return MAX[name.ordinal()];
    }

    /** N, when it is in NAME's range; else an IllegalArgumentException naming the option. */
    static long checked(final OptionName name, final long n)
    {
        final long max = max(name);
        final long min = MIN[name.ordinal()];
        if (n < min || n > max)
        {
            final String range = max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
            throw new IllegalArgumentException(name.atom() + ": must be " + range + ", was " + n);
        }
        return n;
    }
}
