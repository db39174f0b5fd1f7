package io.gentcp;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.gentcp.internal.DirectMemory;
import io.gentcp.internal.Native;

/**
 * Each option's encoding as a gt_setopt/gt_getopt id and value, both ways: {@link #set}
 * for setopts (and for listen/connect through {@link SocketOptions#apply}), {@link #get} for
 * getopts.
 */
final class OptionCodec
{
    private OptionCodec()
    {
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
            case MODE -> lib.gt_setopt(handle, Native.OPT_MODE, v == Option.Mode.BINARY ? Native.MODE_BINARY : Native.MODE_LIST);
            case PACKET -> lib.gt_setopt(handle, Native.OPT_PACKET, SocketOptions.packetCode((PacketType)v));
            case PACKET_SIZE -> lib.gt_setopt(handle, Native.OPT_PACKET_SIZE, (Long)v);
            case LINE_DELIMITER -> lib.gt_setopt(handle, Native.OPT_LINE_DELIMITER, (Integer)v);
            case ACTIVE -> lib.gt_setopt(handle, Native.OPT_ACTIVE, SocketOptions.activeCode((Active)v));
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
                try (DirectMemory.Scratch scratch = DirectMemory.scratch(raw.value().length))
                {
                    scratch.buffer.put(0, raw.value());
                    final int rc = lib.gt_setopt_raw(handle, raw.protocol(), raw.optionNum(), scratch.address, raw.value().length);
                    Reference.reachabilityFence(scratch);
                    yield rc;
                }
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
                yield rc < 0 ? rc : lib.gt_setopt(handle, Native.OPT_IDLE, SocketOptions.idleCode(idle));
            }
            case BIND_TO_DEVICE -> set(handle, bindToDeviceRaw((String)v));
            // Creation options cannot change on a socket that exists: OTP says einval.
            case IP, IFADDR, PORT, BACKLOG, FAMILY, FD, NETNS, LINE_LENGTH, TCP_MODULE, PKTOPTIONS -> -Native.EINVAL;
            default -> -Native.EINVAL;
        };
    }

    /** {bind_to_device, Name} as the raw SO_BINDTODEVICE option it is. */
    private static Option bindToDeviceRaw(final String device)
    {
        final long level = Native.constantOrMissing("SOL_SOCKET");
        final long name = Native.constantOrMissing("SO_BINDTODEVICE");
        if (name == Long.MIN_VALUE)
        {
            throw Errors.exception(Reason.ENOTSUP, "bind_to_device"); // Linux's: like every option a platform lacks
        }
        return Option.raw((int)level, (int)name, device.getBytes(StandardCharsets.US_ASCII));
    }

    /** getopts(bind_to_device): the interface name, "" when the socket is not bound to one. */
    private static Option bindToDevice(final long handle)
    {
        final long level = Native.constantOrMissing("SOL_SOCKET");
        final long name = Native.constantOrMissing("SO_BINDTODEVICE");
        if (name == Long.MIN_VALUE)
        {
            throw Errors.exception(Reason.ENOTSUP, "bind_to_device");
        }
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(16))
        {
            final int n = (int)Errors.check(Native.lib().gt_getopt_raw(handle, level, name, scratch.address, 16));
            int len = 0;
            while (len < n && scratch.buffer.get(len) != 0)
            {
                len++;
            }
            final byte[] device = new byte[len];
            scratch.buffer.get(0, device);
            return new Option(OptionName.BIND_TO_DEVICE, new String(device, StandardCharsets.US_ASCII));
        }
    }

    /** gt_pktoptions's record: GT_PKT_COUNT int64 values at these indexes, asked once. */
    private static final int PKT_COUNT = (int)Native.constantOrMissing("GT_PKT_COUNT");
    private static final int PKT_TOS = (int)Native.constantOrMissing("GT_PKT_TOS");
    private static final int PKT_TTL = (int)Native.constantOrMissing("GT_PKT_TTL");
    private static final int PKT_TCLASS = (int)Native.constantOrMissing("GT_PKT_TCLASS");
    private static final int PKT_HOPLIMIT = (int)Native.constantOrMissing("GT_PKT_HOPLIMIT");

    /** getopts(pktoptions); null on a local socket (left out, as an option of another family). */
    private static Option pktoptions(final long handle)
    {
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(PKT_COUNT * 8))
        {
            final int rc = Native.lib().gt_pktoptions(handle, scratch.address, PKT_COUNT * 8);
            if (rc == -Native.EAFNOSUPPORT)
            {
                return null;
            }
            Errors.check(rc);
            final ByteBuffer b = scratch.buffer.duplicate().order(ByteOrder.nativeOrder());
            return new Option(OptionName.PKTOPTIONS, new PktOptions(
                PktOptions.of(b.getLong(8 * PKT_TOS)), PktOptions.of(b.getLong(8 * PKT_TTL)),
                PktOptions.of(b.getLong(8 * PKT_TCLASS)), PktOptions.of(b.getLong(8 * PKT_HOPLIMIT))));
        }
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
            case MODE -> read(handle, Native.OPT_MODE) == Native.MODE_BINARY ? Option.binary() : Option.list();
            case PACKET -> Option.packet(SocketOptions.packetType((int)read(handle, Native.OPT_PACKET)));
            case PACKET_SIZE -> Option.packetSize(read(handle, Native.OPT_PACKET_SIZE));
            case LINE_DELIMITER -> Option.lineDelimiter((int)read(handle, Native.OPT_LINE_DELIMITER));
            case ACTIVE -> Option.active(SocketOptions.active((int)read(handle, Native.OPT_ACTIVE)));
            case BUFFER -> Option.buffer((int)read(handle, Native.OPT_BUFFER));
            case RECBUF -> Option.recbuf((int)read(handle, Native.OPT_RECBUF));
            case SNDBUF -> Option.sndbuf((int)read(handle, Native.OPT_SNDBUF));
            case NODELAY ->
            {
                final long v = lib.gt_getopt(handle, Native.OPT_NODELAY);
                yield v == -Native.EAFNOSUPPORT ? null : Option.nodelay(Errors.check(v) != 0); // none on a local socket
            }
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
            case BIND_TO_DEVICE -> bindToDevice(handle);
            case PKTOPTIONS -> pktoptions(handle);
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
}
