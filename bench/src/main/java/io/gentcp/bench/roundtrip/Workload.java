package io.gentcp.bench.roundtrip;

import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;
import io.gentcp.bench.Flags;
import io.gentcp.bench.UsageException;

/**
 * One ping-pong workload: the framing, the body size, how many round trips to warm up with and
 * to measure, and how a waiting receive idles.
 *
 * @param packet the framing, {@code {packet, T}}.
 * @param size   the body bytes of each message.
 * @param count  the measured round trips.
 * @param warmup the round trips before measuring, not recorded.
 * @param idle   how both ends wait for data.
 */
public record Workload(PacketType packet, int size, int count, int warmup, IdleStrategy idle)
{
    /** The largest body: gentcp's largest receive, and the C reference's. */
    public static final int MAX_SIZE = 64 * 1024 * 1024;
    /** The most measured round trips: the C reference keeps every sample in memory. */
    static final int MAX_COUNT = 100_000_000;
    /** The most warm-up round trips, as the C reference allows. */
    static final int MAX_WARMUP = 1_000_000_000;

    /**
     * Checks the values together.
     *
     * @throws IllegalArgumentException if the size does not fit the framing, or a count is out of range.
     */
    public Workload
    {
        if (packet == null || idle == null)
        {
            throw new IllegalArgumentException("packet and idle must not be null");
        }
        if (packet != PacketType.RAW && packet.headerLength() == 0)
        {
            throw new IllegalArgumentException("--packet must be 0, 1, 2 or 4 for a ping-pong, was " + packet);
        }
        final int minSize = minSize(packet);
        final int maxSize = maxSize(packet);
        if (size < minSize || size > maxSize)
        {
            throw new IllegalArgumentException("--size must be in " + minSize + ".." + maxSize + " with --packet " +
                packet + ", was " + size);
        }
        if (count < 1 || count > MAX_COUNT)
        {
            throw new IllegalArgumentException("--count must be in 1.." + MAX_COUNT + ", was " + count);
        }
        if (warmup < 0 || warmup > MAX_WARMUP)
        {
            throw new IllegalArgumentException("--warmup must be in 0.." + MAX_WARMUP + ", was " + warmup);
        }
    }

    /** The smallest body for a framing: a raw message needs a byte to wait for. */
    static int minSize(final PacketType packet)
    {
        return packet == PacketType.RAW ? 1 : 0;
    }

    /** The largest body for a framing: what its length header can say. */
    public static int maxSize(final PacketType packet)
    {
        return switch (packet)
        {
            case ONE -> 0xff;
            case TWO -> 0xffff;
            default -> MAX_SIZE;
        };
    }

    /** Reads the workload flags shared by {@code ping} and {@code pingpong}. */
    public static Workload from(final Flags flags)
    {
        final PacketType packet = flags.packet(PacketType.FOUR);
        final int size = flags.intValue("--size", 64, 0, MAX_SIZE);
        final int count = flags.intValue("--count", 100_000, 1, MAX_COUNT);
        final int warmup = flags.intValue("--warmup", 10_000, 0, MAX_WARMUP);
        final IdleStrategy idle = flags.idle();
        try
        {
            return new Workload(packet, size, count, warmup, idle);
        }
        catch (final IllegalArgumentException e)
        {
            throw new UsageException(flags.command() + ": " + e.getMessage());
        }
    }
}
