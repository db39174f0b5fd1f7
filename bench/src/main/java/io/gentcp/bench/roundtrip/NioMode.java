package io.gentcp.bench.roundtrip;

import io.gentcp.IdleStrategy;

/**
 * How the java.nio peers wait, for an idle strategy: busy spins on non-blocking channels,
 * anything else uses blocking channels ({@code spin:US} has no nio equivalent and runs as
 * block).
 */
public final class NioMode
{
    private NioMode()
    {
    }

    /** Whether the nio peers spin for IDLE. */
    public static boolean spinning(final IdleStrategy idle)
    {
        return IdleStrategy.busyPoll().equals(idle);
    }

    /** The {@code pingpong} row label of java.nio for IDLE. */
    public static String label(final IdleStrategy idle)
    {
        return spinning(idle) || IdleStrategy.block().equals(idle) ? "java.nio" : "java.nio (block)";
    }
}
