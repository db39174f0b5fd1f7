package io.gentcp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import io.gentcp.internal.Native;

/**
 * Options between Java and C: the options of a listen or connect call sorted into what is
 * needed to create the socket and what is set on it, and each option's encoding as a
 * gt_setopt/gt_getopt id and value.
 */
final class SocketOptions
{
    /** OTP's default listen backlog (inet_int.hrl LISTEN_BACKLOG). */
    static final int DEFAULT_BACKLOG = 5;

    Option.Family family;
    InetAddress ip;
    int port = -1;
    int backlog = DEFAULT_BACKLOG;
    boolean binary;
    PacketType packet = PacketType.RAW;
    int header;
    final List<Option> socketOptions = new ArrayList<>();

    /** Sorts OPTIONS; a null, or an option that this call does not take, is a bad argument. */
    static SocketOptions parse(final Option[] options, final boolean listen)
    {
        Args.notNull(options, "options");
        final SocketOptions parsed = new SocketOptions();
        for (int index = 0; index < options.length; index++)
        {
            final Option option = options[index];
            if (option == null)
            {
                throw new IllegalArgumentException("options: null option");
            }
            switch (option.name())
            {
                case FAMILY -> parsed.family = (Option.Family)option.value();
                case INET_BACKEND ->
                {
                    if (index != 0)
                    {
                        throw new IllegalArgumentException("inet_backend: must be the first option, was at position " + (index + 1));
                    }
                    parsed.socketOptions.add(option);
                }
                case BIND_TO_DEVICE ->
                {
                    // applied first of all, like OTP's, with the other socket options
                    final long level = Native.constantOrMissing("SOL_SOCKET");
                    final long name = Native.constantOrMissing("SO_BINDTODEVICE");
                    if (name == Long.MIN_VALUE)
                    {
                        throw new IllegalArgumentException("bind_to_device: not available on this platform");
                    }
                    final byte[] device = ((String)option.value()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    parsed.socketOptions.add(0, Option.raw((int)level, (int)name, device));
                }
                case IP -> parsed.ip = (InetAddress)option.value();
                case PORT -> parsed.port = (Integer)option.value();
                case BACKLOG ->
                {
                    if (!listen)
                    {
                        throw new IllegalArgumentException("backlog: a listen option, not a connect option");
                    }
                    parsed.backlog = (Integer)option.value();
                }
                case LINE_LENGTH -> throw new IllegalArgumentException("line_length: a decode option, not a socket option");
                case LINE_DELIMITER ->
                {
                    if (listen)
                    {
                        throw new IllegalArgumentException("line_delimiter: not a listen option (set it on the accepted socket)");
                    }
                    parsed.socketOptions.add(option);
                }
                default ->
                {
                    if (option.name() == OptionName.MODE)
                    {
                        parsed.binary = option.value() == Option.Mode.BINARY;
                    }
                    if (option.name() == OptionName.PACKET)
                    {
                        parsed.packet = (PacketType)option.value();
                    }
                    if (option.name() == OptionName.HEADER)
                    {
                        parsed.header = (Integer)option.value();
                    }
                    parsed.socketOptions.add(option);
                }
            }
        }
        if (parsed.ip != null && parsed.family != null && parsed.family != familyOf(parsed.ip))
        {
            throw new IllegalArgumentException("ip: " + parsed.ip.getHostAddress() + " is not an " + parsed.family + " address");
        }
        return parsed;
    }

    static Option.Family familyOf(final InetAddress address)
    {
        return Addresses.family(address) == Native.AF_INET6 ? Option.Family.INET6 : Option.Family.INET;
    }

    /** Sets every socket option on a new handle, in the order given (a later one wins): 0 or the first -code. */
    int apply(final long handle)
    {
        for (final Option option : socketOptions)
        {
            final int rc = set(handle, option);
            if (rc < 0)
            {
                return rc;
            }
        }
        return 0;
    }

    /** The C id of each kernel option (GT_OPT_<NAME>), asked once. */
    private static final int[] KERNEL_IDS = new int[OptionName.values().length];

    static
    {
        for (final OptionName name : OptionName.values())
        {
            if (name.kernel() != null)
            {
                KERNEL_IDS[name.ordinal()] = (int)Native.constantOrMissing("GT_OPT_" + name.name());
            }
        }
    }

    /** gt_setopt for one option; the C result is returned, not thrown. */
    static int set(final long handle, final Option option)
    {
        final var lib = Native.lib();
        final Object v = option.value();
        if (option.name().kernel() != null)
        {
            final long value = v instanceof Boolean b ? (b ? 1 : 0) : (Integer)v;
            return lib.gt_setopt(handle, KERNEL_IDS[option.name().ordinal()], value);
        }
        return switch (option.name())
        {
            case MODE -> lib.gt_setopt(handle, Native.OPT_MODE, v == Option.Mode.BINARY ? 1 : 0);
            case PACKET -> lib.gt_setopt(handle, Native.OPT_PACKET, packetCode((PacketType)v));
            case PACKET_SIZE -> lib.gt_setopt(handle, Native.OPT_PACKET_SIZE, (Long)v);
            case LINE_DELIMITER -> lib.gt_setopt(handle, Native.OPT_LINE_DELIMITER, (Integer)v);
            case ACTIVE -> lib.gt_setopt(handle, Native.OPT_ACTIVE, activeCode((Active)v));
            case BUFFER -> lib.gt_setopt(handle, Native.OPT_BUFFER, (Integer)v);
            case RECBUF -> lib.gt_setopt(handle, Native.OPT_RECBUF, (Integer)v);
            case SNDBUF -> lib.gt_setopt(handle, Native.OPT_SNDBUF, (Integer)v);
            case NODELAY -> lib.gt_setopt(handle, Native.OPT_NODELAY, (Boolean)v ? 1 : 0);
            case REUSEADDR -> lib.gt_setopt(handle, Native.OPT_REUSEADDR, (Boolean)v ? 1 : 0);
            case EXIT_ON_CLOSE -> lib.gt_setopt(handle, Native.OPT_EXIT_ON_CLOSE, (Boolean)v ? 1 : 0);
            case HEADER -> lib.gt_setopt(handle, Native.OPT_HEADER, (Integer)v);
            case HIGH_MSGQ_WATERMARK -> lib.gt_setopt(handle, Native.OPT_HIGH_MSGQ_WATERMARK, (Integer)v);
            case SEND_TIMEOUT ->
            {
                final long ms = ((Option.SendTimeout)v).ms();
                yield lib.gt_setopt(handle, Native.OPT_SEND_TIMEOUT, ms < 0 ? Native.SEND_TIMEOUT_INFINITY : ms);
            }
            case SEND_TIMEOUT_CLOSE -> lib.gt_setopt(handle, Native.OPT_SEND_TIMEOUT_CLOSE, (Boolean)v ? 1 : 0);
            case INET_BACKEND -> lib.gt_setopt(handle, Native.OPT_INET_BACKEND, v == Option.Backend.SOCKET ? 1 : 0);
            case DELAY_SEND -> lib.gt_setopt(handle, Native.OPT_DELAY_SEND, (Boolean)v ? 1 : 0);
            case HIGH_WATERMARK -> lib.gt_setopt(handle, Native.OPT_HIGH_WATERMARK, (Integer)v);
            case LOW_WATERMARK -> lib.gt_setopt(handle, Native.OPT_LOW_WATERMARK, (Integer)v);
            case RAW ->
            {
                final Option.Raw raw = (Option.Raw)v;
                final io.gentcp.internal.DirectMemory.Scratch scratch = io.gentcp.internal.DirectMemory.scratch(raw.value().length);
                scratch.buffer.put(0, raw.value());
                final int rc = lib.gt_setopt_raw(handle, raw.protocol(), raw.optionNum(), scratch.address, raw.value().length);
                java.lang.ref.Reference.reachabilityFence(scratch);
                yield rc;
            }
            case LINGER ->
            {
                final Option.Linger linger = (Option.Linger)v;
                yield lib.gt_setopt(handle, Native.OPT_LINGER, (linger.on() ? 1L << 32 : 0) | linger.seconds());
            }
            case LOW_MSGQ_WATERMARK -> lib.gt_setopt(handle, Native.OPT_LOW_MSGQ_WATERMARK, (Integer)v);
            case DELIVER -> lib.gt_setopt(handle, Native.OPT_DELIVER, v == Option.Deliver.PORT ? 1 : 0);
            case SHOW_ECONNRESET -> lib.gt_setopt(handle, Native.OPT_SHOW_ECONNRESET, (Boolean)v ? 1 : 0);
            case IDLE ->
            {
                final IdleStrategy idle = (IdleStrategy)v;
                final int rc = lib.gt_setopt(handle, Native.OPT_SPIN_NS, idle.spinNanos());
                yield rc < 0 ? rc : lib.gt_setopt(handle, Native.OPT_IDLE, idleCode(idle));
            }
            // Creation options cannot change on a socket that exists: OTP says einval.
            case IP, PORT, BACKLOG, FAMILY, LINE_LENGTH -> -Native.EINVAL;
            default -> -Native.EINVAL;
        };
    }

    /**
     * gt_getopt for one option, as an Option; throws the C error. A kernel option of the other
     * address family (tos on IPv6 ...) is null: OTP leaves it out of the answer.
     */
    static Option get(final long handle, final OptionName name)
    {
        final var lib = Native.lib();
        if (name.kernel() != null)
        {
            final long v = lib.gt_getopt(handle, KERNEL_IDS[name.ordinal()]);
            if (v == -Native.EAFNOSUPPORT)
            {
                return null;
            }
            return new Option(name, name.kernel() == OptionName.Kernel.BOOLEAN ? (Object)(Errors.check(v) != 0)
                : (Object)(int)Errors.check(v));
        }
        return switch (name)
        {
            case MODE -> read(handle, Native.OPT_MODE) == 1 ? Option.binary() : Option.list();
            case PACKET -> Option.packet(packetType((int)read(handle, Native.OPT_PACKET)));
            case PACKET_SIZE -> Option.packetSize(read(handle, Native.OPT_PACKET_SIZE));
            case LINE_DELIMITER -> Option.lineDelimiter((int)read(handle, Native.OPT_LINE_DELIMITER));
            case ACTIVE -> Option.active(active((int)read(handle, Native.OPT_ACTIVE)));
            case BUFFER -> Option.buffer((int)read(handle, Native.OPT_BUFFER));
            case RECBUF -> Option.recbuf((int)read(handle, Native.OPT_RECBUF));
            case SNDBUF -> Option.sndbuf((int)read(handle, Native.OPT_SNDBUF));
            case NODELAY -> Option.nodelay(read(handle, Native.OPT_NODELAY) != 0);
            case REUSEADDR -> Option.reuseaddr(read(handle, Native.OPT_REUSEADDR) != 0);
            case EXIT_ON_CLOSE -> Option.exitOnClose(read(handle, Native.OPT_EXIT_ON_CLOSE) != 0);
            case HEADER -> Option.header((int)read(handle, Native.OPT_HEADER));
            case HIGH_MSGQ_WATERMARK -> Option.highMsgqWatermark((int)read(handle, Native.OPT_HIGH_MSGQ_WATERMARK));
            case SEND_TIMEOUT ->
            {
                final long ms = read(handle, Native.OPT_SEND_TIMEOUT);
                yield Option.sendTimeout(ms == Native.SEND_TIMEOUT_INFINITY ? -1 : ms);
            }
            case SEND_TIMEOUT_CLOSE -> Option.sendTimeoutClose(read(handle, Native.OPT_SEND_TIMEOUT_CLOSE) != 0);
            case DELAY_SEND -> Option.delaySend(read(handle, Native.OPT_DELAY_SEND) != 0);
            case HIGH_WATERMARK -> Option.highWatermark((int)read(handle, Native.OPT_HIGH_WATERMARK));
            case LOW_WATERMARK -> Option.lowWatermark((int)read(handle, Native.OPT_LOW_WATERMARK));
            case LINGER ->
            {
                final long v = read(handle, Native.OPT_LINGER);
                yield Option.linger((v >>> 32) != 0, (int)(v & 0x7fffffff));
            }
            case LOW_MSGQ_WATERMARK -> Option.lowMsgqWatermark((int)read(handle, Native.OPT_LOW_MSGQ_WATERMARK));
            case DELIVER -> Option.deliver(read(handle, Native.OPT_DELIVER) != 0 ? Option.Deliver.PORT : Option.Deliver.TERM);
            case SHOW_ECONNRESET -> Option.showEconnreset(read(handle, Native.OPT_SHOW_ECONNRESET) != 0);
            case IDLE ->
            {
                final long kind = read(handle, Native.OPT_IDLE);
                final long spin = read(handle, Native.OPT_SPIN_NS);
                yield Option.idle(kind == Native.IDLE_BUSY ? IdleStrategy.busyPoll()
                    : kind == Native.IDLE_SPIN ? IdleStrategy.spin(spin / 1000) : IdleStrategy.block());
            }
            default ->
            {
                lib.gt_getopt(handle, Native.OPT_MODE); // a closed socket answers einval first, as OTP
                throw Errors.exception(Reason.EINVAL, name.atom() + " cannot be read with getopts");
            }
        };
    }

    private static long read(final long handle, final int opt)
    {
        return Errors.check(Native.lib().gt_getopt(handle, opt));
    }

    /** The C library's number for each packet type (GT_PACKET_*), asked once. */
    private static final int[] PACKET_CODES = new int[PacketType.values().length];

    static
    {
        for (final PacketType type : PacketType.values())
        {
            final String suffix = type.headerLength() > 0 ? Integer.toString(type.headerLength()) : type.name();
            PACKET_CODES[type.ordinal()] = (int)Native.constantOrMissing("GT_PACKET_" + suffix);
        }
    }

    static int packetCode(final PacketType type)
    {
        return PACKET_CODES[type.ordinal()];
    }

    static PacketType packetType(final int code)
    {
        for (final PacketType type : PacketType.values())
        {
            if (PACKET_CODES[type.ordinal()] == code)
            {
                return type;
            }
        }
        throw new IllegalStateException("libgentcp reported an unknown packet type " + code);
    }

    static long activeCode(final Active active)
    {
        return switch (active.kind())
        {
            case FALSE -> Native.ACTIVE_FALSE;
            case TRUE -> Native.ACTIVE_TRUE;
            case ONCE -> Native.ACTIVE_ONCE;
            case COUNT -> Native.ACTIVE_ADD_ZERO + active.count(); // {active, N} adds N (OTP)
        };
    }

    static Active active(final int code)
    {
        if (code == Native.ACTIVE_TRUE)
        {
            return Active.TRUE;
        }
        if (code == Native.ACTIVE_ONCE)
        {
            return Active.ONCE;
        }
        return code > 0 ? Active.count(code) : Active.FALSE;
    }

    static int idleCode(final IdleStrategy idle)
    {
        return switch (idle.kind())
        {
            case BLOCK -> Native.IDLE_BLOCK;
            case SPIN -> Native.IDLE_SPIN;
            case BUSY -> Native.IDLE_BUSY;
        };
    }
}
