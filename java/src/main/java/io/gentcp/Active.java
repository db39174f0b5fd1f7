package io.gentcp;

/**
 * The value of OTP's {@code {active, true | false | once | N}}.
 *
 * <p>{@code false} makes a socket passive: its data is read with {@code GenTcp.recv}. The
 * active forms deliver data as messages to the owner.
 */
public final class Active
{
    /** {@code {active, false}}: passive; data is read with recv. */
    public static final Active FALSE = new Active(Kind.FALSE, 0);
    /** {@code {active, true}}: every packet is delivered as a message. */
    public static final Active TRUE = new Active(Kind.TRUE, 0);
    /** {@code {active, once}}: one packet is delivered, then the socket turns passive. */
    public static final Active ONCE = new Active(Kind.ONCE, 0);

    /** Smallest N of {@code {active, N}}. */
    public static final int MIN_COUNT = -32768;
    /** Largest N of {@code {active, N}}. */
    public static final int MAX_COUNT = 32767;

    enum Kind
    {
        FALSE, TRUE, ONCE, COUNT
    }

    private final Kind kind;
    private final int count;

    private Active(final Kind kind, final int count)
    {
        this.kind = kind;
        this.count = count;
    }

    /**
     * {@code {active, N}} with N in -32768..32767.
     *
     * @param n the count: the number of packets to deliver before turning passive
     * @return {@code {active, N}}
     */
    public static Active count(final int n)
    {
        if (n < MIN_COUNT || n > MAX_COUNT)
        {
            throw new IllegalArgumentException("active: " + n + " is outside " + MIN_COUNT + ".." + MAX_COUNT);
        }
        return new Active(Kind.COUNT, n);
    }

    Kind kind()
    {
        return kind;
    }

    /**
     * N for {@code {active, N}}; 0 for the other forms.
     *
     * @return N, or 0
     */
    public int count()
    {
        return count;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Active other && other.kind == kind && other.count == count;
    }

    @Override
    public int hashCode()
    {
        return kind.hashCode() * 31 + count;
    }

    @Override
    public String toString()
    {
        return kind == Kind.COUNT ? Integer.toString(count) : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
