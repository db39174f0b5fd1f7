package io.gentcp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The CPUs this process may run on, so that a placement flag naming another is refused before
 * anything starts (pinning to it would fail with EINVAL half-way through a run). On Linux it is
 * the affinity mask the kernel reports ({@code Cpus_allowed_list} in {@code /proc/self/status},
 * the set {@code sched_setaffinity} accepts); elsewhere CPUs 0 to
 * {@link Runtime#availableProcessors()} - 1.
 */
final class Cpus
{
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final String ALLOWED = "Cpus_allowed_list:";

    private Cpus()
    {
    }

    /** The CPUs this process may run on. */
    static BitSet allowed()
    {
        try
        {
            for (final String line : Files.readAllLines(STATUS, StandardCharsets.UTF_8))
            {
                if (line.startsWith(ALLOWED))
                {
                    return parseList(line.substring(ALLOWED.length()));
                }
            }
        }
        catch (final IOException | IllegalArgumentException e)
        {
            // not Linux, or a format this does not know: fall back below
        }
        final BitSet all = new BitSet();
        all.set(0, Runtime.getRuntime().availableProcessors());
        return all;
    }

    /**
     * Parses the kernel's list format, {@code 0-3,8,10-11}.
     *
     * @throws IllegalArgumentException if TEXT is not such a list.
     */
    static BitSet parseList(final String text)
    {
        final BitSet cpus = new BitSet();
        for (final String part : text.strip().split(",", -1))
        {
            final int dash = part.indexOf('-');
            try
            {
                final int first = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                final int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1));
                if (first < 0 || last < first)
                {
                    throw new IllegalArgumentException("not a CPU list: '" + text + "'");
                }
                cpus.set(first, last + 1);
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("not a CPU list: '" + text + "'", e);
            }
        }
        return cpus;
    }

    /** ALLOWED in the kernel's list format, for messages. */
    static String format(final BitSet allowed)
    {
        final StringBuilder text = new StringBuilder();
        int first = allowed.nextSetBit(0);
        while (first >= 0)
        {
            final int end = allowed.nextClearBit(first);
            text.append(text.length() > 0 ? "," : "").append(first).append(end - 1 > first ? "-" + (end - 1) : "");
            first = allowed.nextSetBit(end);
        }
        return text.toString();
    }
}
