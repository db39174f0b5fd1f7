package io.gentcp.bench;

import java.util.BitSet;

/**
 * Where the two ends of a ping-pong run: the CPU of the echo server's thread and of the
 * client's, or {@link #ANY_CPU} to leave it to the scheduler. Every implementation in one
 * {@code pingpong} run gets the same placement, since it decides the latency on small machines
 * (a wake-up across cores can cost more than the round trip).
 *
 * @param serverCpu the echo thread's CPU, or {@link #ANY_CPU}.
 * @param clientCpu the client thread's CPU, or {@link #ANY_CPU}.
 */
public record Placement(int serverCpu, int clientCpu)
{
    /** Not pinned. */
    public static final int ANY_CPU = -1;
    /** Both ends wherever the scheduler puts them. */
    public static final Placement ANY = new Placement(ANY_CPU, ANY_CPU);

    /** Checks the CPUs. */
    public Placement
    {
        if (serverCpu < ANY_CPU || clientCpu < ANY_CPU)
        {
            throw new IllegalArgumentException("cpus must be >= 0");
        }
    }

    /** Parses {@code --cpus S,C}; null (the flag absent) is {@link #ANY}. */
    static Placement parse(final String text)
    {
        if (text == null)
        {
            return ANY;
        }
        final String[] parts = text.split(",", -1);
        try
        {
            if (parts.length == 2)
            {
                final int server = Integer.parseInt(parts[0].trim());
                final int client = Integer.parseInt(parts[1].trim());
                if (server >= 0 && client >= 0)
                {
                    return new Placement(server, client);
                }
            }
        }
        catch (final NumberFormatException e)
        {
            // reported below
        }
        throw new UsageException("--cpus: expected SERVER_CPU,CLIENT_CPU (for example 0,0 or 0,1), got " + text);
    }

    /**
     * Parses {@code --cpus S,C} as {@link #parse(String)} does and checks that each CPU is one
     * this process may run on ({@link Cpus#allowed()}), so that a run never starts to fail when
     * it pins.
     */
    public static Placement onThisMachine(final String text)
    {
        return parse(text, Cpus.allowed());
    }

    /** Parses {@code --cpus S,C} and checks each CPU is in ALLOWED. */
    static Placement parse(final String text, final BitSet allowed)
    {
        final Placement placement = parse(text);
        for (final int cpu : new int[] {placement.serverCpu, placement.clientCpu})
        {
            if (cpu != ANY_CPU && !allowed.get(cpu))
            {
                throw new UsageException("--cpus: CPU " + cpu + " is not one this process may run on (" +
                    Cpus.format(allowed) + "), got " + text);
            }
        }
        return placement;
    }

    /** Whether the client thread is to be pinned. */
    public boolean pinsClient()
    {
        return clientCpu != ANY_CPU;
    }

    @Override
    public String toString()
    {
        return this.equals(ANY) ? "any cpus" : "server cpu " + serverCpu + ", client cpu " + clientCpu;
    }
}
