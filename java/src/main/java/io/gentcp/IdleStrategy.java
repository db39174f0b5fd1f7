package io.gentcp;

/**
 * How a thread waits for a socket in a passive {@code recv}: a gentcp option with no Erlang
 * counterpart, because on the JVM the waiting thread is the caller's.
 *
 * <ul>
 *   <li>{@link #block()} (default): sleep in the kernel. With no time limit this is one
 *       blocking system call, as cheap as a C program's read.</li>
 *   <li>{@link #spin(long)}: poll without sleeping for a while, then block. Saves the
 *       kernel's wake-up latency when the reply usually comes quickly.</li>
 *   <li>{@link #busyPoll()}: poll without sleeping until data, the time limit or close.
 *       For threads pinned to a core of their own; it keeps that core at 100%.</li>
 * </ul>
 * The polling happens inside the C library, so it costs no Java-to-C call per try.
 *
 * <p>On a virtual thread every strategy waits by parking: spinning would hold the carrier that
 * other virtual threads need, so a wait there makes only C calls that never wait (one try each,
 * no spin), parks until the socket is ready, and tries again. The strategy a socket or mailbox
 * holds applies again as soon as a platform thread waits on it.
 */
public final class IdleStrategy
{
    enum Kind
    {
        BLOCK, SPIN, BUSY
    }

    private static final IdleStrategy BLOCK = new IdleStrategy(Kind.BLOCK, 0);
    private static final IdleStrategy BUSY = new IdleStrategy(Kind.BUSY, 0);

    private final Kind kind;
    private final long spinNanos;

    private IdleStrategy(final Kind kind, final long spinNanos)
    {
        this.kind = kind;
        this.spinNanos = spinNanos;
    }

    /**
     * Sleep in the kernel until data arrives.
     *
     * @return the blocking strategy
     */
    public static IdleStrategy block()
    {
        return BLOCK;
    }

    /**
     * Poll for {@code micros} microseconds, then block.
     *
     * @param micros how long to poll, in microseconds
     * @return the spinning strategy
     */
    public static IdleStrategy spin(final long micros)
    {
        if (micros < 0 || micros > Long.MAX_VALUE / 1000)
        {
            throw new IllegalArgumentException("spin: micros must be >= 0, was " + micros);
        }
        return new IdleStrategy(Kind.SPIN, micros * 1000);
    }

    /**
     * Poll until data, the time limit or close, never sleeping.
     *
     * @return the busy-polling strategy
     */
    public static IdleStrategy busyPoll()
    {
        return BUSY;
    }

    /**
     * Parses the command-line form: {@code block}, {@code busy} or {@code spin:MICROS}.
     *
     * @param text the command-line form
     * @return the strategy it names
     */
    public static IdleStrategy parse(final String text)
    {
        if ("block".equals(text))
        {
            return block();
        }
        if ("busy".equals(text))
        {
            return busyPoll();
        }
        if (text != null && text.startsWith("spin:"))
        {
            try
            {
                return spin(Long.parseLong(text.substring(5)));
            }
            catch (final NumberFormatException e)
            {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("idle: expected block, busy or spin:MICROS, got " + text);
    }

    Kind kind()
    {
        return kind;
    }

    /**
     * How long {@link #spin(long)} polls before blocking, in nanoseconds.
     *
     * @return the nanoseconds, 0 for the other strategies
     */
    public long spinNanos()
    {
        return spinNanos;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof IdleStrategy other && other.kind == kind && other.spinNanos == spinNanos;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(spinNanos) * 31 + kind.hashCode();
    }

    @Override
    public String toString()
    {
        return switch (kind)
        {
            case BLOCK -> "block";
            case BUSY -> "busy";
            case SPIN -> "spin:" + spinNanos / 1000;
        };
    }
}
