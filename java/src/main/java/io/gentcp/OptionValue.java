package io.gentcp;

import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

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
    FLAG(v -> (Boolean)v ? 1 : 0, c -> c != 0),
    /** An {@code int}, as it is. */
    INT(v -> (Integer)v, c -> (int)c),
    /** A {@code long}, as it is. */
    LONG(v -> (Long)v, c -> c),
    /** {@code list | binary}: GT_MODE_*. */
    MODE(v -> v == Option.Mode.BINARY ? Native.MODE_BINARY : Native.MODE_LIST,
        c -> c == Native.MODE_BINARY ? Option.Mode.BINARY : Option.Mode.LIST),
    /** A {@link PacketType}: GT_PACKET_*. */
    PACKET(v -> SocketOptions.packetCode((PacketType)v), c -> SocketOptions.packetType((int)c)),
    /** An {@link Active}: GT_ACTIVE_*, or GT_ACTIVE_ADD(N) to add N. */
    ACTIVE(v -> SocketOptions.activeCode((Active)v), c -> SocketOptions.active((int)c)),
    /** {@code term | port}: 0 or 1. */
    DELIVER(v -> v == Option.Deliver.PORT ? 1 : 0, c -> c != 0 ? Option.Deliver.PORT : Option.Deliver.TERM),
    /** {@code inet | socket}: 0 or 1. Set only: chosen when the socket is made, not read back. */
    BACKEND(v -> v == Option.Backend.SOCKET ? 1 : 0, null),
    /** {@code tcp | mptcp}: 0 or 1. Set only: chosen when the socket is made. */
    PROTOCOL(v -> v == Option.Protocol.MPTCP ? 1 : 0, null),
    /** A set of {@link Option.Timestamping}: their GT_TIMESTAMPING_* bits. */
    @SuppressWarnings("unchecked")
    TIMESTAMPING(v -> Option.Timestamping.bits((java.util.Set<Option.Timestamping>)v), Option.Timestamping::set),
    /** Milliseconds, or GT_SEND_TIMEOUT_INFINITY for -1. */
    SEND_TIMEOUT(v -> ((Option.SendTimeout)v).ms() < 0 ? Native.SEND_TIMEOUT_INFINITY : ((Option.SendTimeout)v).ms(),
        c -> new Option.SendTimeout(c == Native.SEND_TIMEOUT_INFINITY ? -1 : c)),
    /** {@code {On, Seconds}}: on << 32 | seconds. */
    LINGER(v -> (((Option.Linger)v).on() ? 1L << 32 : 0) | ((Option.Linger)v).seconds(),
        c -> new Option.Linger((c >>> 32) != 0, (int)(c & Integer.MAX_VALUE))),
    /** Not one number: see the class comment. */
    NONE(null, null);

    private final ToLongFunction<Object> encode;
    private final LongFunction<Object> decode;

    OptionValue(final ToLongFunction<Object> encode, final LongFunction<Object> decode)
    {
        this.encode = encode;
        this.decode = decode;
    }

    /** VALUE, an option's value of this kind, as C's number. */
    long encode(final Object value)
    {
        return encode.applyAsLong(value);
    }

    /** C's number CODE as an option's value of this kind (only when {@link #readable}). */
    Object decode(final long code)
    {
        return decode.apply(code);
    }

    /** Whether getopts reads an option of this kind back. */
    boolean readable()
    {
        return decode != null;
    }
}
