package io.gentcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import io.gentcp.internal.Native;

/**
 * One gen_tcp option, such as {@code binary}, {@code {packet, 4}} or {@code {nodelay, true}}.
 *
 * <p>The factories are named after the Erlang atoms and check their argument at once, so a
 * bad value fails where it is written, with an {@link IllegalArgumentException} naming it:
 * <pre>{@code
 * import static io.gentcp.Option.*;
 * ListenSocket ls = GenTcp.listen(0, binary(), packet(4), active(false), reuseaddr(true));
 * }</pre>
 */
public final class Option
{
    /** The two values of the {@code mode} option. */
    public enum Mode
    {
        /** {@code list}: data as a {@code String}, one char per byte. */
        LIST,
        /** {@code binary}: data as a {@code byte[]}. */
        BINARY;

        @Override
        public String toString()
        {
            return this == LIST ? "list" : "binary";
        }
    }

    /** The two values of the {@code deliver} option. */
    public enum Deliver
    {
        /** {@code {tcp, Socket, Data}} (the default). */
        TERM,
        /** {@code {Socket, {data, Data}}}, as Erlang ports deliver. */
        PORT;

        @Override
        public String toString()
        {
            return this == TERM ? "term" : "port";
        }
    }

    /** The values of the {@code family} option: {@code inet}, {@code inet6} and {@code local}. */
    public enum Family
    {
        /** {@code inet}: IPv4. */
        INET,
        /** {@code inet6}: IPv6. */
        INET6,
        /** {@code local}: a Unix domain socket. */
        LOCAL;

        @Override
        public String toString()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The two values of the {@code inet_backend} option. */
    public enum Backend
    {
        /** OTP's inet driver semantics (the default): sends queue, see {@link Option#highWatermark}. */
        INET,
        /** OTP's socket backend semantics: sends block until sent or {@code send_timeout}. */
        SOCKET;

        @Override
        public String toString()
        {
            return this == INET ? "inet" : "socket";
        }
    }

    /** The two values of the {@code protocol} option (OTP 28). */
    public enum Protocol
    {
        /** Plain TCP (the default). */
        TCP,
        /** Multipath TCP (IPPROTO_MPTCP), where the kernel has it. */
        MPTCP;

        @Override
        public String toString()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What {@link Option#timestamping} asks the kernel to stamp (SO_TIMESTAMPING). Receive
     * stamps come with each packet; transmit stamps are read with {@link Inet#txTimestamps}.
     */
    public enum Timestamping
    {
        /** The time the kernel took in the data a read completed a packet with (software clock). */
        RX_SOFTWARE(Native.TIMESTAMPING_RX_SOFTWARE),
        /** ... and the NIC's time, where the device stamps and has been set up to (not by gentcp). */
        RX_HARDWARE(Native.TIMESTAMPING_RX_HARDWARE),
        /** A send's last byte entered the queueing discipline. */
        TX_SCHED(Native.TIMESTAMPING_TX_SCHED),
        /** A send's last byte left the stack for the device. */
        TX_SOFTWARE(Native.TIMESTAMPING_TX_SOFTWARE),
        /** A send's last byte was acknowledged by the peer. */
        TX_ACK(Native.TIMESTAMPING_TX_ACK),
        /** A send's last byte was sent by the NIC, where it stamps and has been set up to. */
        TX_HARDWARE(Native.TIMESTAMPING_TX_HARDWARE);

        private static final Timestamping[] ALL = values();
        private final int bit;

        Timestamping(final int bit)
        {
            this.bit = bit;
        }

        /** The bits of FLAGS, as gt_setopt takes them. */
        static long bits(final Set<Timestamping> flags)
        {
            long bits = 0;
            for (final Timestamping flag : flags)
            {
                bits |= flag.bit;
            }
            return bits;
        }

        /** The set that BITS are. */
        static Set<Timestamping> set(final long bits)
        {
            final EnumSet<Timestamping> flags = EnumSet.noneOf(Timestamping.class);
            for (final Timestamping flag : ALL)
            {
                if ((bits & flag.bit) != 0)
                {
                    flags.add(flag);
                }
            }
            return Collections.unmodifiableSet(flags);
        }

        @Override
        public String toString()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Option BINARY = new Option(OptionName.MODE, Mode.BINARY);
    private static final Option LIST = new Option(OptionName.MODE, Mode.LIST);
    private static final Option INET = new Option(OptionName.FAMILY, Family.INET);
    private static final Option INET6 = new Option(OptionName.FAMILY, Family.INET6);
    private static final Option LOCAL = new Option(OptionName.FAMILY, Family.LOCAL);

    private final OptionName name;
    private final Object value;

    Option(final OptionName name, final Object value)
    {
        this.name = name;
        this.value = value;
    }

    /**
     * {@code binary}: received data arrives as {@code byte[]}.
     *
     * @return the option
     */
    public static Option binary()
    {
        return BINARY;
    }

    /**
     * {@code list}: received data arrives as a {@code String} of ISO-8859-1 characters (the default).
     *
     * @return the option
     */
    public static Option list()
    {
        return LIST;
    }

    /**
     * {@code {packet, N}} for N = 0, 1, 2 or 4.
     *
     * @param n 0, 1, 2 or 4
     * @return the option
     */
    public static Option packet(final int n)
    {
        return new Option(OptionName.PACKET, PacketType.of(n));
    }

    /**
     * {@code {packet, Type}}.
     *
     * @param type the packet type
     * @return the option
     */
    public static Option packet(final PacketType type)
    {
        return new Option(OptionName.PACKET, Args.notNull(type, "packet"));
    }

    /**
     * {@code {packet_size, N}}: packets with a longer body are refused with emsgsize; 0 = no limit.
     *
     * @param n the largest packet body in bytes, 0 for no limit
     * @return the option
     */
    public static Option packetSize(final long n)
    {
        return new Option(OptionName.PACKET_SIZE, OptionTable.checked(OptionName.PACKET_SIZE, n));
    }

    /**
     * {@code {line_delimiter, Char}}: the byte that ends a line in {@code {packet, line}}
     * (default {@code '\n'}). A connect and setopts option; OTP refuses it in listen and does
     * not pass it on to accepted sockets.
     *
     * @param delimiter the byte, 0..255
     * @return the option
     */
    public static Option lineDelimiter(final int delimiter)
    {
        return number(OptionName.LINE_DELIMITER, delimiter);
    }

    /**
     * {@code {line_length, N}}: for {@link Packet#decode}, lines longer than N come in pieces of N; 0 = no limit.
     *
     * @param n the longest line in bytes, 0 for no limit
     * @return the option
     */
    public static Option lineLength(final long n)
    {
        if (n < 0 || n > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("line_length: must be 0.." + Integer.MAX_VALUE + ", was " + n);
        }
        return new Option(OptionName.LINE_LENGTH, n);
    }

    /**
     * {@code {active, true | false}}.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option active(final boolean on)
    {
        return new Option(OptionName.ACTIVE, on ? Active.TRUE : Active.FALSE);
    }

    /**
     * {@code {active, N}}, N in -32768..32767.
     *
     * @param n the number of packets, -32768..32767
     * @return the option
     */
    public static Option active(final int n)
    {
        return new Option(OptionName.ACTIVE, Active.count(n));
    }

    /**
     * {@code {active, once}} and the others, as {@code active(once())}.
     *
     * @param mode the active mode
     * @return the option
     */
    public static Option active(final Active mode)
    {
        return new Option(OptionName.ACTIVE, Args.notNull(mode, "active"));
    }

    /**
     * The atom {@code once}, for {@code active(once())}.
     *
     * @return {@link Active#ONCE}
     */
    public static Active once()
    {
        return Active.ONCE;
    }

    /**
     * {@code {buffer, N}}: the user-level receive buffer, at least 1 byte.
     *
     * @param n the size in bytes
     * @return the option
     */
    public static Option buffer(final int n)
    {
        return number(OptionName.BUFFER, n);
    }

    /**
     * {@code {recbuf, N}}: SO_RCVBUF; also raises {@code buffer} unless that is set.
     *
     * @param n the size in bytes
     * @return the option
     */
    public static Option recbuf(final int n)
    {
        return number(OptionName.RECBUF, n);
    }

    /**
     * {@code {sndbuf, N}}: SO_SNDBUF.
     *
     * @param n the size in bytes
     * @return the option
     */
    public static Option sndbuf(final int n)
    {
        return number(OptionName.SNDBUF, n);
    }

    /**
     * {@code {nodelay, B}}: TCP_NODELAY, send small packets at once.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option nodelay(final boolean on)
    {
        return flag(OptionName.NODELAY, on);
    }

    /**
     * {@code {exit_on_close, B}} (default true): with false, after the peer shuts its writing
     * side down, {@code recv} answers {@code closed} every time (or the owner gets
     * {@code tcp_closed}) while sends still go through: a half-closed connection.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option exitOnClose(final boolean on)
    {
        return flag(OptionName.EXIT_ON_CLOSE, on);
    }

    /**
     * {@code {show_econnreset, B}} (default false): with true a reset from the peer is reported
     * as {@code econnreset} (by recv and send, or as {@code tcp_error} before {@code tcp_closed})
     * rather than looking like a close.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option showEconnreset(final boolean on)
    {
        return flag(OptionName.SHOW_ECONNRESET, on);
    }

    /**
     * {@code {header, N}}: in binary mode a packet comes as a {@link HeaderPacket}, its first N
     * bytes as integers (a packet shorter than N comes as a list, a String); no effect in list mode.
     *
     * @param n the number of leading bytes given as integers
     * @return the option
     */
    public static Option header(final int n)
    {
        return number(OptionName.HEADER, n);
    }

    /**
     * {@code {deliver, term | port}}: active packets as {@link Tcp} (term) or {@link PortData} (port).
     *
     * @param form the form
     * @return the option
     */
    public static Option deliver(final Deliver form)
    {
        return new Option(OptionName.DELIVER, Args.notNull(form, "deliver"));
    }

    /**
     * {@code {high_msgq_watermark, N}} (default 8192, at least 1): a mailbox takes at most N
     * messages of one socket at a time; the rest waits in the socket (and the peer is held back
     * by TCP) until the owner has handled them. Setting it below the low mark lowers that.
     *
     * @param n the number of messages
     * @return the option
     */
    public static Option highMsgqWatermark(final int n)
    {
        return number(OptionName.HIGH_MSGQ_WATERMARK, n);
    }

    /**
     * {@code {low_msgq_watermark, N}} (default 4096, at least 1): stored for OTP compatibility;
     * a gentcp mailbox takes a socket's next messages only once it has handed out all it held,
     * below any low mark. Setting it above the high mark raises that.
     *
     * @param n the number of messages
     * @return the option
     */
    public static Option lowMsgqWatermark(final int n)
    {
        return number(OptionName.LOW_MSGQ_WATERMARK, n);
    }

    /**
     * {@code {send_timeout, Ms}}: a send that finds the send queue at its high watermark blocks
     * at most MS milliseconds, then fails with {@code timeout} (the packet stays queued and is
     * still sent). 0 fails at once; {@link GenTcp#INFINITY} (the default) waits as long as it takes.
     *
     * @param ms the time limit in milliseconds, or {@link GenTcp#INFINITY}
     * @return the option
     */
    public static Option sendTimeout(final long ms)
    {
        final long max = OptionTable.max(OptionName.SEND_TIMEOUT);
        if (ms < -1 || ms > max)
        {
            throw new IllegalArgumentException("send_timeout: must be 0.." + max + " ms or -1 (infinity), was " + ms);
        }
        return new Option(OptionName.SEND_TIMEOUT, new SendTimeout(ms));
    }

    /** The value of {@code send_timeout}: milliseconds, -1 for {@code infinity}. */
    public record SendTimeout(long ms)
    {
        @Override
        public String toString()
        {
            return ms < 0 ? "infinity" : Long.toString(ms);
        }
    }

    /**
     * {@code {send_timeout_close, B}}: a send that times out also resets the connection (the
     * peer sees a reset, unsent data is dropped); later calls answer {@code enotconn}.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option sendTimeoutClose(final boolean on)
    {
        return flag(OptionName.SEND_TIMEOUT_CLOSE, on);
    }

    /**
     * {@code {delay_send, B}}: sends gather in the socket's queue and leave in batches: fewer,
     * larger writes at some latency. The sending thread writes a batch itself once 64 KiB, or
     * the high watermark if lower, has gathered; what it leaves when it pauses, the background
     * I/O thread writes 20 to 40 microseconds after its last send, and a queue its sender keeps
     * adding to without filling a batch after at most 60. {@code shutdown} and {@code close}
     * write the queue at once.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option delaySend(final boolean on)
    {
        return flag(OptionName.DELAY_SEND, on);
    }

    /**
     * {@code {high_watermark, N}} (default 8192 bytes): a send that brings the socket's send
     * queue to N bytes blocks until the queue has drained to the low watermark. Setting it below
     * the low watermark lowers that.
     *
     * @param n the size in bytes
     * @return the option
     */
    public static Option highWatermark(final int n)
    {
        return number(OptionName.HIGH_WATERMARK, n);
    }

    /**
     * {@code {low_watermark, N}} (default 4096 bytes): see {@link #highWatermark}; above the high mark it raises that.
     *
     * @param n the size in bytes
     * @return the option
     */
    public static Option lowWatermark(final int n)
    {
        return number(OptionName.LOW_WATERMARK, n);
    }

    /** {@code {Name, true | false}}. */
    private static Option flag(final OptionName name, final boolean on)
    {
        return new Option(name, on);
    }

    /** {@code {Name, N}}, N in the range C's option table gives NAME. */
    private static Option number(final OptionName name, final int n)
    {
        return new Option(name, (int)OptionTable.checked(name, n));
    }

    /**
     * {@code {bind_to_device, Name}}: the socket sends and receives only through that network
     * interface (SO_BINDTODEVICE); {@code enodev} for an interface that does not exist. The
     * empty name unbinds (in setopts), and is what getopts answers for an unbound socket.
     *
     * @param name the interface name
     * @return the option
     */
    public static Option bindToDevice(final String name)
    {
        Args.notNull(name, "bind_to_device");
        if (name.length() > 15 || name.chars().anyMatch(c -> c > 0x7e || c <= ' '))
        {
            throw new IllegalArgumentException("bind_to_device: not an interface name: " + name);
        }
        return new Option(OptionName.BIND_TO_DEVICE, name);
    }

    /** The value of a {@code raw} option: level, option number and the bytes. */
    public record Raw(int protocol, int optionNum, byte[] value)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Raw r && r.protocol == protocol && r.optionNum == optionNum &&
                java.util.Arrays.equals(r.value, value);
        }

        @Override
        public int hashCode()
        {
            return (protocol * 31 + optionNum) * 31 + java.util.Arrays.hashCode(value);
        }

        @Override
        public String toString()
        {
            return protocol + "," + optionNum + "," + ErlangTerms.binary(value);
        }
    }

    /**
     * {@code {raw, Protocol, OptionNum, ValueBin}}: setsockopt(PROTOCOL, OPTION_NUM) with VALUE
     * as given (in the platform's byte order). A value the kernel refuses fails the call.
     *
     * @param protocol the level, as for setsockopt
     * @param optionNum the option number, as for setsockopt
     * @param value the option's bytes, as for setsockopt
     * @return the option
     */
    public static Option raw(final int protocol, final int optionNum, final byte[] value)
    {
        nonNegative("raw: protocol", protocol);
        nonNegative("raw: option number", optionNum);
        Args.notNull(value, "raw: value");
        if (value.length > 65536)
        {
            throw new IllegalArgumentException("raw: value longer than 64 KiB");
        }
        return new Option(OptionName.RAW, new Raw(protocol, optionNum, value.clone()));
    }

    /** The value of the {@code linger} option: {@code {On, Seconds}}. */
    public record Linger(boolean on, int seconds)
    {
        /**
         * Checks the seconds.
         *
         * @param on whether SO_LINGER is on
         * @param seconds how long close waits, at least 0
         */
        public Linger
        {
            nonNegative("linger", seconds);
        }

        @Override
        public String toString()
        {
            return "{" + on + "," + seconds + "}";
        }
    }

    /**
     * {@code {linger, {On, Seconds}}}: SO_LINGER. {@code linger(true, 0)} makes {@code close}
     * reset the connection (the peer sees {@code econnreset} with show_econnreset).
     *
     * @param on whether SO_LINGER is on
     * @param seconds how long close waits, at least 0
     * @return the option
     */
    public static Option linger(final boolean on, final int seconds)
    {
        return new Option(OptionName.LINGER, new Linger(on, seconds));
    }

    /**
     * {@code {keepalive, B}}: SO_KEEPALIVE.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option keepalive(final boolean on)
    {
        return flag(OptionName.KEEPALIVE, on);
    }

    /**
     * {@code {dontroute, B}}: SO_DONTROUTE.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option dontroute(final boolean on)
    {
        return flag(OptionName.DONTROUTE, on);
    }

    /**
     * {@code {priority, N}}: SO_PRIORITY.
     *
     * @param n the priority
     * @return the option
     */
    public static Option priority(final int n)
    {
        return number(OptionName.PRIORITY, n);
    }

    /**
     * {@code {tos, N}}: IP_TOS, on IPv4 sockets.
     *
     * @param n the TOS byte
     * @return the option
     */
    public static Option tos(final int n)
    {
        return number(OptionName.TOS, n);
    }

    /**
     * {@code {ttl, N}}: IP_TTL, on IPv4 sockets.
     *
     * @param n the TTL
     * @return the option
     */
    public static Option ttl(final int n)
    {
        return number(OptionName.TTL, n);
    }

    /**
     * {@code {tclass, N}}: IPV6_TCLASS, on IPv6 sockets.
     *
     * @param n the traffic class
     * @return the option
     */
    public static Option tclass(final int n)
    {
        return number(OptionName.TCLASS, n);
    }

    /**
     * {@code {ipv6_v6only, B}}: IPV6_V6ONLY, on IPv6 sockets.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option ipv6V6only(final boolean on)
    {
        return flag(OptionName.IPV6_V6ONLY, on);
    }

    /**
     * {@code {recvtos, B}}: IP_RECVTOS, on IPv4 sockets.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option recvtos(final boolean on)
    {
        return flag(OptionName.RECVTOS, on);
    }

    /**
     * {@code {recvttl, B}}: IP_RECVTTL, on IPv4 sockets.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option recvttl(final boolean on)
    {
        return flag(OptionName.RECVTTL, on);
    }

    /**
     * {@code {recvtclass, B}}: IPV6_RECVTCLASS, on IPv6 sockets.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option recvtclass(final boolean on)
    {
        return flag(OptionName.RECVTCLASS, on);
    }

    /**
     * {@code {reuseport, B}} (OTP 26): SO_REUSEPORT, several listen sockets sharing one port.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option reuseport(final boolean on)
    {
        return flag(OptionName.REUSEPORT, on);
    }

    /**
     * {@code {reuseport_lb, B}} (OTP 26): several listen sockets sharing one port, the kernel
     * spreading new connections over them: SO_REUSEPORT_LB where the platform has it (FreeBSD),
     * SO_REUSEPORT on Linux (which balances already, so reuseport and reuseport_lb are one
     * setting there), {@code enotsup} elsewhere.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option reuseportLb(final boolean on)
    {
        return flag(OptionName.REUSEPORT_LB, on);
    }

    /**
     * {@code {exclusiveaddruse, B}} (OTP 26): Windows' SO_EXCLUSIVEADDRUSE. As OTP does on every
     * other system, it is accepted and has no effect; getopts reads back what was set.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option exclusiveaddruse(final boolean on)
    {
        return flag(OptionName.EXCLUSIVEADDRUSE, on);
    }

    /**
     * {@code {read_ahead, B}} (OTP 27.1; default true). False: a passive {@code recv}, or active
     * delivery, reads from the kernel no byte past the packet it is taking, so that what follows stays in the
     * kernel (OTP's motive: handing the socket on to kernel TLS). {@code {packet, 1 | 2 | 4}}
     * reads the header, then the body it announces; {@code raw} with a length reads that many;
     * where a packet's end is not known until it is seen ({@code line}, {@code http}, the other
     * types) it reads a byte at a time; {@code raw} with length 0 (or in active mode) takes what
     * there is.
     *
     * @param on false to stop reading ahead
     * @return the option
     */
    public static Option readAhead(final boolean on)
    {
        return flag(OptionName.READ_AHEAD, on);
    }

    /**
     * {@code {protocol, tcp | mptcp}} (OTP 28): an option of {@code connect} and {@code listen}
     * that makes the socket with that protocol: {@code mptcp} is Multipath TCP (IPPROTO_MPTCP,
     * Linux 5.6), the kernel's refusal the call's error ({@code eprotonosupport},
     * {@code enoprotoopt} when disabled by sysctl); {@code enotsup} on platforms without it. An
     * MPTCP listen socket accepts plain TCP clients too. With {@code {netns, Path}} the socket is
     * made with it inside that namespace (whose own sysctl then decides). With {@code {fd, Fd}}
     * the socket's protocol is the descriptor's own: naming that one is accepted, another one is
     * {@code einval} and the descriptor stays the caller's (OTP documents no such combination).
     * In {@code setopts} it is {@code einval}, as OTP's other creation options.
     *
     * @param protocol the protocol
     * @return the option
     */
    public static Option protocol(final Protocol protocol)
    {
        return new Option(OptionName.PROTOCOL, Args.notNull(protocol, "protocol"));
    }

    /**
     * gentcp: {@code {timestamping, Flags}}, the kernel's timestamps of the socket's bytes
     * (SO_TIMESTAMPING; Linux, loopback included, for the software ones). No flags turn it off
     * (the default). Inherited by accepted sockets.
     *
     * <p>Receive ({@code rx_*}): TCP gives one stamp per read, that of the last segment it
     * read, and gentcp frames many packets from one read: each packet carries the stamp of the
     * read that completed it. A passive receive's is {@link Inet#receiveTimestamp}; an active
     * socket's packets each come after an {@link RxTimestamp} message (a
     * {@link MailboxHandler}'s {@code onTimestamp}). With no receive flag, reads are plain
     * {@code recv} calls: the option costs nothing then. The first socket of the system to
     * ask has the kernel turn receive stamps on from a work queue: the reads made before that
     * carry none (0).
     *
     * <p>Transmit ({@code tx_*}): for each send, the times its last byte entered the queueing
     * discipline, left the stack, was acknowledged by the peer, counted by byte from the
     * connection (or from setting a transmit flag on a connected socket): read them with
     * {@link Inet#txTimestamps}. The kernel signals them on the socket's error queue, which
     * gentcp's waits empty into a ring of {@code GT_TX_RING} records per socket (past that the
     * oldest give way, counted), so that no wait fails or spins on them. {@code enotsup} on an
     * MPTCP socket.
     *
     * <p>Hardware stamps need a device that stamps and is set up for it (SIOCSHWTSTAMP), which
     * gentcp does not do; loopback has none. {@code enotsup} on local sockets and off Linux.
     *
     * @param flags what to stamp; none to turn it off
     * @return the option
     */
    public static Option timestamping(final Timestamping... flags)
    {
        Args.notNull(flags, "flags");
        final EnumSet<Timestamping> set = EnumSet.noneOf(Timestamping.class);
        for (final Timestamping flag : flags)
        {
            set.add(Args.notNull(flag, "flags"));
        }
        return new Option(OptionName.TIMESTAMPING, Collections.unmodifiableSet(set));
    }

    /**
     * gentcp: TCP_QUICKACK.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option quickack(final boolean on)
    {
        return flag(OptionName.QUICKACK, on);
    }

    /**
     * gentcp: TCP_CORK.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option cork(final boolean on)
    {
        return flag(OptionName.CORK, on);
    }

    /**
     * gentcp: TCP_NOTSENT_LOWAT, in bytes.
     *
     * @param bytes the threshold in bytes
     * @return the option
     */
    public static Option notsentLowat(final int bytes)
    {
        return number(OptionName.NOTSENT_LOWAT, bytes);
    }

    /**
     * {@code {user_timeout, N}} (OTP 28): TCP_USER_TIMEOUT, in milliseconds.
     *
     * @param ms the time in milliseconds
     * @return the option
     */
    public static Option userTimeout(final int ms)
    {
        return number(OptionName.USER_TIMEOUT, ms);
    }

    /**
     * {@code {keepidle, N}} (OTP 28): TCP_KEEPIDLE, in seconds.
     *
     * @param seconds the idle time in seconds
     * @return the option
     */
    public static Option keepidle(final int seconds)
    {
        return number(OptionName.KEEPIDLE, seconds);
    }

    /**
     * {@code {keepintvl, N}} (OTP 28): TCP_KEEPINTVL, in seconds.
     *
     * @param seconds the interval in seconds
     * @return the option
     */
    public static Option keepintvl(final int seconds)
    {
        return number(OptionName.KEEPINTVL, seconds);
    }

    /**
     * {@code {keepcnt, N}} (OTP 28): TCP_KEEPCNT.
     *
     * @param n the number of probes
     * @return the option
     */
    public static Option keepcnt(final int n)
    {
        return number(OptionName.KEEPCNT, n);
    }

    /**
     * gentcp: SO_MARK (needs CAP_NET_ADMIN).
     *
     * @param n the mark
     * @return the option
     */
    public static Option mark(final int n)
    {
        return number(OptionName.MARK, n);
    }

    /**
     * gentcp: SO_INCOMING_CPU.
     *
     * @param cpu the CPU number
     * @return the option
     */
    public static Option incomingCpu(final int cpu)
    {
        return number(OptionName.INCOMING_CPU, cpu);
    }

    /**
     * gentcp: SO_BUSY_POLL, microseconds the kernel may busy-poll the device on a blocking read.
     *
     * @param micros the time in microseconds
     * @return the option
     */
    public static Option busyPoll(final int micros)
    {
        return number(OptionName.BUSY_POLL, micros);
    }

    /**
     * gentcp: TCP fast open. In listen, N is TCP_FASTOPEN's queue of pending fast-open
     * requests; in connect, N &gt; 0 turns on TCP_FASTOPEN_CONNECT: connect returns at once
     * and the SYN leaves with the first send, carrying its data when the client holds a
     * cookie from this server (a refused connection then shows in that send or recv).
     * 0 turns it off. Before listen or connect only: {@code einval} on a connected socket.
     * The kernel's {@code net.ipv4.tcp_fastopen} decides whether it is used.
     *
     * @param n the queue length for pending fast-open requests
     * @return the option
     */
    public static Option fastopen(final int n)
    {
        return number(OptionName.FASTOPEN, n);
    }

    /**
     * gentcp: SO_PREFER_BUSY_POLL: with {@link #busyPoll(int)}, the kernel prefers busy
     * polling to interrupts for the device queue. Setting it on needs CAP_NET_ADMIN
     * ({@code eperm} otherwise); a kernel without it answers {@code enoprotoopt}.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option preferBusyPoll(final boolean on)
    {
        return flag(OptionName.PREFER_BUSY_POLL, on);
    }

    /**
     * {@code {reuseaddr, B}}: SO_REUSEADDR.
     *
     * @param on true to turn it on
     * @return the option
     */
    public static Option reuseaddr(final boolean on)
    {
        return flag(OptionName.REUSEADDR, on);
    }

    /**
     * How a passive recv waits: see {@link IdleStrategy}.
     *
     * @param strategy the strategy
     * @return the option
     */
    public static Option idle(final IdleStrategy strategy)
    {
        return new Option(OptionName.IDLE, Args.notNull(strategy, "idle"));
    }

    /**
     * {@code {ip, Address}}: the local address to bind, an IP literal.
     *
     * @param address an IP address literal
     * @return the option
     */
    public static Option ip(final String address)
    {
        Args.notNull(address, "ip");
        try
        {
            if (!isIpLiteral(address))
            {
                throw new IllegalArgumentException("ip: not an IP address: " + address);
            }
            return ip(InetAddress.getByName(address));
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalArgumentException("ip: not an IP address: " + address, e);
        }
    }

    /**
     * {@code {ip, Address}}.
     *
     * @param address the address
     * @return the option
     */
    public static Option ip(final InetAddress address)
    {
        return new Option(OptionName.IP, Args.notNull(address, "ip"));
    }

    /**
     * {@code {ifaddr, Address}}: the same as {@link #ip(String)}.
     *
     * @param address an IP address literal
     * @return the option
     */
    public static Option ifaddr(final String address)
    {
        Args.notNull(address, "ifaddr");
        if (!isIpLiteral(address))
        {
            throw new IllegalArgumentException("ifaddr: not an IP address: " + address);
        }
        return ifaddr((InetAddress)ip(address).value());
    }

    /**
     * {@code {ifaddr, Address}}: the same as {@link #ip(InetAddress)}.
     *
     * @param address the address
     * @return the option
     */
    public static Option ifaddr(final InetAddress address)
    {
        return new Option(OptionName.IFADDR, Args.notNull(address, "ifaddr"));
    }

    /**
     * {@code {ifaddr, #{family, addr, port}}} (a {@code socket:sockaddr_in()} or
     * {@code sockaddr_in6()}, with the scope id of a link-local IPv6 address): the local address
     * and port together. It overrides {@code ip} and {@code port} options given before it;
     * ones given after it change its address or its port, as the manual says.
     *
     * @param sockaddr the address and port
     * @return the option
     */
    public static Option ifaddr(final java.net.InetSocketAddress sockaddr)
    {
        Args.notNull(sockaddr, "ifaddr");
        if (sockaddr.isUnresolved())
        {
            throw new IllegalArgumentException("ifaddr: not an IP address: " + sockaddr.getHostString());
        }
        return new Option(OptionName.IFADDR, sockaddr);
    }

    /**
     * {@code {ifaddr, {local, Path}}}: the name a {@code local} socket binds to; implies {@link #local()}.
     *
     * @param address the local name
     * @return the option
     */
    public static Option ifaddr(final LocalAddress address)
    {
        Args.notNull(address, "ifaddr");
        if (address.isUnnamed())
        {
            throw new IllegalArgumentException("ifaddr: an empty local name");
        }
        return new Option(OptionName.IFADDR, address);
    }

    /**
     * {@code {port, Port}}: the local port, 0..65535.
     *
     * @param port the port, 0 for any
     * @return the option
     */
    public static Option port(final int port)
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port: must be 0..65535, was " + port);
        }
        return new Option(OptionName.PORT, port);
    }

    /**
     * {@code {backlog, B}}: the length of the queue of pending connections (listen only).
     *
     * @param backlog the length of the accept queue
     * @return the option
     */
    public static Option backlog(final int backlog)
    {
        return new Option(OptionName.BACKLOG, nonNegative("backlog", backlog));
    }

    /**
     * {@code {tcp_module, M}}: in Erlang it picks the callback module that implements gen_tcp.
     * gentcp has one implementation, so listen and connect refuse it with an
     * IllegalArgumentException naming it rather than accept it and do nothing.
     *
     * @param module the module name
     * @return the option
     */
    public static Option tcpModule(final String module)
    {
        return new Option(OptionName.TCP_MODULE, Args.notNull(module, "tcp_module"));
    }

    /**
     * {@code {fd, Fd}}: listen or connect adopts FD, a stream socket opened elsewhere
     * (IPv4, IPv6 or local). A listening FD is used as it is; a connected one is used as it is
     * by connect (its address argument is then not used); a fresh one is bound (when
     * {@code ip}/{@code port} are given) and then listens or connects. Once listen or connect
     * has adopted it, gentcp owns the descriptor: it is closed with the socket, or at once if
     * the call then fails. If adoption itself fails ({@code ebadf}, {@code enotsock},
     * {@code esocktnosupport}, {@code ebusy} for a descriptor a gentcp socket holds already),
     * the caller keeps it.
     *
     * @param fd the file descriptor
     * @return the option
     */
    public static Option fd(final int fd)
    {
        return new Option(OptionName.FD, nonNegative("fd", fd));
    }

    /**
     * {@code {netns, Path}}: listen or connect creates the socket inside the network namespace
     * whose file is PATH (such as {@code /var/run/netns/blue}, as {@code ip netns add} makes
     * them). The socket stays in that namespace for life; the calling thread never leaves its
     * own (a helper thread does the switching). {@code enoent} for a missing file,
     * {@code einval} for one that is no network namespace, {@code eperm} without the right
     * to enter it (CAP_SYS_ADMIN).
     *
     * @param path the namespace file
     * @return the option
     */
    public static Option netns(final String path)
    {
        Args.notNull(path, "netns");
        if (path.isEmpty() || path.indexOf('\0') >= 0)
        {
            throw new IllegalArgumentException("netns: not a file name: " + path);
        }
        return new Option(OptionName.NETNS, path);
    }

    /**
     * {@code {inet_backend, inet | socket}}: only as the first option of {@code connect} or
     * {@code listen} (accepted sockets inherit it). With {@code socket}, as OTP's socket backend:
     * {@code send} blocks until the kernel has every byte or {@code send_timeout} expires
     * ({@code timeout}, with {@link GenTcpException#rest()} the unsent bytes); there is no send
     * queue, so {@code shutdown(write)} is immediate; a send that finds the peer gone answers the
     * error without closing the socket, so what the kernel holds can still be read.
     *
     * @param backend the backend
     * @return the option
     */
    public static Option inetBackend(final Backend backend)
    {
        return new Option(OptionName.INET_BACKEND, Args.notNull(backend, "inet_backend"));
    }

    /**
     * {@code inet}: IPv4 (the default).
     *
     * @return the option
     */
    public static Option inet()
    {
        return INET;
    }

    /**
     * {@code inet6}: IPv6.
     *
     * @return the option
     */
    public static Option inet6()
    {
        return INET6;
    }

    /**
     * {@code local}: a Unix domain (AF_UNIX) stream socket. Its address is given with
     * {@link #ifaddr(LocalAddress)} in listen and as the address of
     * {@link GenTcp#connect(LocalAddress, long, Option...)}; the port must be 0 and {@code ip}
     * is not allowed. TCP options such as {@code nodelay} give {@code enotsup}.
     *
     * @return the option
     */
    public static Option local()
    {
        return LOCAL;
    }

    /**
     * The option's name.
     *
     * @return the option's name
     */
    public OptionName name()
    {
        return name;
    }

    /**
     * The value: a {@link Mode}, {@link PacketType}, {@link Active}, {@link IdleStrategy},
     * {@link Family}, {@link InetAddress}, {@code Boolean}, {@code Integer} or {@code Long}
     * (packet_size), depending on the name.
     *
     * @return the option's value
     */
    public Object value()
    {
        return value;
    }

    static boolean isIpLiteral(final String text)
    {
        return text.matches("[0-9.]+") && text.chars().filter(c -> c == '.').count() == 3 ||
            text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.%\\[\\]a-zA-Z]+");
    }

    private static int nonNegative(final String name, final int n)
    {
        if (n < 0)
        {
            throw new IllegalArgumentException(name + ": must be >= 0, was " + n);
        }
        return n;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Option other && other.name == name && other.value.equals(value);
    }

    @Override
    public int hashCode()
    {
        return name.hashCode() * 31 + value.hashCode();
    }

    /** The Erlang term: {@code binary}, {@code {packet,4}}, {@code {nodelay,true}}... */
    @Override
    public String toString()
    {
        if (name == OptionName.MODE || name == OptionName.FAMILY)
        {
            return value.toString();
        }
        final String v = value instanceof InetAddress address
            ? address.getHostAddress()
            : value instanceof java.net.InetSocketAddress sa
                ? "#{family=>" + SocketOptions.familyOf(sa.getAddress()) + ",addr=>" +
                    sa.getAddress().getHostAddress() + ",port=>" + sa.getPort() + "}"
                : value.toString();
        return "{" + name.atom() + "," + v + "}";
    }
}
