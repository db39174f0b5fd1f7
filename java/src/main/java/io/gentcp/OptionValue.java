package io.gentcp;

import io.gentcp.internal.Native;

/**
 * How an option's Java value is the one number gt_setopt takes and gt_getopt answers: each
 * {@link OptionName} names its kind, so that setopts and getopts are one path for every option
 * of a single C id. {@link #NONE}: not that (a creation or decode option, or one of
 * {@link OptionCodec}'s special cases).
 */
enum OptionValue
{
    /** {@code true | false}: 1 or 0. */
    FLAG
    {
        @Override
        long encode(final Object value)
        {
            return (Boolean)value ? 1 : 0;
        }

        @Override
        Object decode(final long code)
        {
            return code != 0;
        }
    },
    /** An {@code int}, as it is. */
    INT
    {
        @Override
        long encode(final Object value)
        {
            return (Integer)value;
        }

        @Override
        Object decode(final long code)
        {
            return (int)code;
        }
    },
    /** A {@code long}, as it is. */
    LONG
    {
        @Override
        long encode(final Object value)
        {
            return (Long)value;
        }

        @Override
        Object decode(final long code)
        {
            return code;
        }
    },
    /** {@code list | binary}: GT_MODE_*. */
    MODE
    {
        @Override
        long encode(final Object value)
        {
            return value == Option.Mode.BINARY ? Native.MODE_BINARY : Native.MODE_LIST;
        }

        @Override
        Object decode(final long code)
        {
            return code == Native.MODE_BINARY ? Option.Mode.BINARY : Option.Mode.LIST;
        }
    },
    /** A {@link PacketType}: GT_PACKET_*. */
    PACKET
    {
        @Override
        long encode(final Object value)
        {
            return SocketOptions.packetCode((PacketType)value);
        }

        @Override
        Object decode(final long code)
        {
            return SocketOptions.packetType((int)code);
        }
    },
    /** An {@link Active}: GT_ACTIVE_*, or GT_ACTIVE_ADD(N) to add N. */
    ACTIVE
    {
        @Override
        long encode(final Object value)
        {
            return SocketOptions.activeCode((Active)value);
        }

        @Override
        Object decode(final long code)
        {
            return SocketOptions.active((int)code);
        }
    },
    /** {@code term | port}: 0 or 1. */
    DELIVER
    {
        @Override
        long encode(final Object value)
        {
            return value == Option.Deliver.PORT ? 1 : 0;
        }

        @Override
        Object decode(final long code)
        {
            return code != 0 ? Option.Deliver.PORT : Option.Deliver.TERM;
        }
    },
    /** {@code inet | socket}: 0 or 1. Set only: chosen when the socket is made, not read back. */
    BACKEND
    {
        @Override
        long encode(final Object value)
        {
            return value == Option.Backend.SOCKET ? 1 : 0;
        }
    },
    /** Milliseconds, or -1 for GT_SEND_TIMEOUT_INFINITY. */
    SEND_TIMEOUT
    {
        @Override
        long encode(final Object value)
        {
            final long ms = ((Option.SendTimeout)value).ms();
            return ms < 0 ? Native.SEND_TIMEOUT_INFINITY : ms;
        }

        @Override
        Object decode(final long code)
        {
            return new Option.SendTimeout(code == Native.SEND_TIMEOUT_INFINITY ? -1 : code);
        }
    },
    /** {@code {On, Seconds}}: on << 32 | seconds. */
    LINGER
    {
        @Override
        long encode(final Object value)
        {
            final Option.Linger linger = (Option.Linger)value;
            return (linger.on() ? 1L << 32 : 0) | linger.seconds();
        }

        @Override
        Object decode(final long code)
        {
            return new Option.Linger((code >>> 32) != 0, (int)(code & Integer.MAX_VALUE));
        }
    },
    /** Not one number: see the class comment. */
    NONE;

    /** VALUE, an option's value of this kind, as C's number. */
    long encode(final Object value)
    {
        throw new UnsupportedOperationException(name());
    }

    /** C's number CODE as an option's value of this kind (only when {@link #readable}). */
    Object decode(final long code)
    {
        throw new UnsupportedOperationException(name());
    }

    /** Whether getopts reads an option of this kind back. */
    boolean readable()
    {
        return this != BACKEND && this != NONE;
    }
}
