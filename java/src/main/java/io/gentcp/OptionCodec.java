package io.gentcp;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.gentcp.internal.DirectMemory;
import io.gentcp.internal.Native;

/**
 * Each option as gt_setopt/gt_getopt calls, both ways: {@link #set} for setopts (and for
 * listen/connect through {@link SocketOptions#apply}), {@link #get} for getopts. An option of
 * one C id is one path, its value converted as its {@link OptionValue} says; the few others are
 * the special cases here.
 */
final class OptionCodec
{
    private OptionCodec()
    {
    }

    /** gt_setopt for one option; the C result is returned, not thrown. */
    static int set(final long handle, final Option option)
    {
        final OptionName name = option.name();
        final Object v = option.value();
        final int id = OptionTable.id(name);
        if (name.value() != OptionValue.NONE)
        {
            return Native.lib().gt_setopt(handle, id, name.value().encode(v));
        }
        return switch (name)
        {
            case IDLE ->
            {
                final IdleStrategy idle = (IdleStrategy)v;
                final int rc = Native.lib().gt_setopt(handle, OPT_SPIN_NS, idle.spinNanos());
                yield rc < 0 ? rc : Native.lib().gt_setopt(handle, id, SocketOptions.idleCode(idle));
            }
            case RAW -> setRaw(handle, (Option.Raw)v);
            case BIND_TO_DEVICE -> setRaw(handle, bindToDeviceRaw((String)v));
            // Creation options cannot change on a socket that exists: OTP says einval.
            default -> -Native.EINVAL;
        };
    }

    /**
     * gt_getopt for one option, as an Option; throws the C error. An option of the other
     * address family (tos on IPv6, nodelay or pktoptions on a local socket ...) is null: OTP
     * leaves it out of the answer.
     */
    static Option get(final long handle, final OptionName name)
    {
        final Object value = switch (name)
        {
            case IDLE -> idle(read(handle, OptionTable.id(name)), read(handle, OPT_SPIN_NS));
            case BIND_TO_DEVICE -> bindToDevice(handle);
            case PKTOPTIONS -> pktoptions(handle);
            default -> getValue(handle, name);
        };
        return value == null ? null : new Option(name, value);
    }

    /** An option of one C id: its value, or null when it is of the other family. */
    private static Object getValue(final long handle, final OptionName name)
    {
        if (!name.value().readable())
        {
            read(handle, OptionTable.id(OptionName.MODE)); // a closed socket answers einval first, as OTP
            throw Errors.exception(Reason.EINVAL, name.atom() + " cannot be read with getopts");
        }
        final long v = Native.lib().gt_getopt(handle, OptionTable.id(name));
        return v == -Native.EAFNOSUPPORT ? null : name.value().decode(Errors.check(v));
    }

    private static long read(final long handle, final int id)
    {
        return Errors.check(Native.lib().gt_getopt(handle, id));
    }

    /** GT_OPT_SPIN_NS: set with GT_OPT_IDLE, for {@link IdleStrategy#spin}. */
    private static final int OPT_SPIN_NS = (int)Native.constantOrMissing("GT_OPT_SPIN_NS");

    private static IdleStrategy idle(final long kind, final long spinNanos)
    {
        return kind == Native.IDLE_BUSY ? IdleStrategy.busyPoll()
            : kind == Native.IDLE_SPIN ? IdleStrategy.spin(spinNanos / 1000) : IdleStrategy.block();
    }

    private static int setRaw(final long handle, final Option.Raw raw)
    {
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(raw.value().length))
        {
            scratch.buffer.put(0, raw.value());
            final int rc = Native.lib().gt_setopt_raw(handle, raw.protocol(), raw.optionNum(), scratch.address,
                raw.value().length);
            Reference.reachabilityFence(scratch);
            return rc;
        }
    }

    /** SO_BINDTODEVICE, or the enotsup of every option a platform lacks (it is Linux's). */
    private static long bindToDeviceName()
    {
        final long name = Native.constantOrMissing("SO_BINDTODEVICE");
        if (name == Long.MIN_VALUE)
        {
            throw Errors.exception(Reason.ENOTSUP, "bind_to_device");
        }
        return name;
    }

    /** {bind_to_device, Name} as the raw SO_BINDTODEVICE option it is. */
    private static Option.Raw bindToDeviceRaw(final String device)
    {
        final int name = (int)bindToDeviceName();
        return new Option.Raw((int)Native.constantOrMissing("SOL_SOCKET"), name,
            device.getBytes(StandardCharsets.US_ASCII));
    }

    /** getopts(bind_to_device): the interface name, "" when the socket is not bound to one. */
    private static String bindToDevice(final long handle)
    {
        final long name = bindToDeviceName();
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(16))
        {
            final long level = Native.constantOrMissing("SOL_SOCKET");
            final int n = (int)Errors.check(Native.lib().gt_getopt_raw(handle, level, name, scratch.address, 16));
            int len = 0;
            while (len < n && scratch.buffer.get(len) != 0)
            {
                len++;
            }
            final byte[] device = new byte[len];
            scratch.buffer.get(0, device);
            return new String(device, StandardCharsets.US_ASCII);
        }
    }

    /** gt_pktoptions's record: GT_PKT_COUNT int64 values at these indexes, asked once. */
    private static final int PKT_COUNT = (int)Native.constantOrMissing("GT_PKT_COUNT");
    private static final int PKT_TOS = (int)Native.constantOrMissing("GT_PKT_TOS");
    private static final int PKT_TTL = (int)Native.constantOrMissing("GT_PKT_TTL");
    private static final int PKT_TCLASS = (int)Native.constantOrMissing("GT_PKT_TCLASS");
    private static final int PKT_HOPLIMIT = (int)Native.constantOrMissing("GT_PKT_HOPLIMIT");

    /** getopts(pktoptions); null on a local socket (left out, as an option of another family). */
    private static PktOptions pktoptions(final long handle)
    {
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(PKT_COUNT * Long.BYTES))
        {
            final int rc = Native.lib().gt_pktoptions(handle, scratch.address, PKT_COUNT * Long.BYTES);
            if (rc == -Native.EAFNOSUPPORT)
            {
                return null;
            }
            Errors.check(rc);
            final ByteBuffer b = scratch.buffer.duplicate().order(ByteOrder.nativeOrder());
            return new PktOptions(PktOptions.of(b.getLong(Long.BYTES * PKT_TOS)),
                PktOptions.of(b.getLong(Long.BYTES * PKT_TTL)), PktOptions.of(b.getLong(Long.BYTES * PKT_TCLASS)),
                PktOptions.of(b.getLong(Long.BYTES * PKT_HOPLIMIT)));
        }
    }
}
