package io.gentcp.internal;

/**
 * The bound library and the constants asked of it at start-up.
 *
 * <p>Internal usage only. If the library cannot be loaded, every call through {@link #lib()}
 * throws an {@link UnsatisfiedLinkError} that says which platform was looked for and why it
 * failed, rather than the JVM's "could not initialize class" on the second try.
 */
public final class Native
{
    private static final LibGentcp LIB;
    private static final String LOAD_FAILURE;

    static
    {
        LibGentcp lib = null;
        String failure = null;
        try
        {
            lib = NativeLoader.load();
        }
        catch (final UnsatisfiedLinkError e)
        {
            failure = e.getMessage();
        }
        LIB = lib;
        LOAD_FAILURE = failure;
    }

    public static final int ERRNO_LIMIT = constant("GT_ERRNO_LIMIT");
    public static final int ECLOSED = constant("GT_ECLOSED");
    public static final int ETIMEOUT = constant("GT_ETIMEOUT");
    public static final int ESYSTEM_LIMIT = constant("GT_ESYSTEM_LIMIT");
    public static final int SOCKADDR_SIZE = constant("GT_SOCKADDR_SIZE");
    public static final int MAX_RECV_LENGTH = constant("GT_MAX_RECV_LENGTH");

    public static final int OPT_MODE = constant("GT_OPT_MODE");
    public static final int OPT_PACKET = constant("GT_OPT_PACKET");
    public static final int OPT_PACKET_SIZE = constant("GT_OPT_PACKET_SIZE");
    public static final int OPT_BUFFER = constant("GT_OPT_BUFFER");
    public static final int OPT_ACTIVE = constant("GT_OPT_ACTIVE");
    public static final int OPT_NODELAY = constant("GT_OPT_NODELAY");
    public static final int OPT_REUSEADDR = constant("GT_OPT_REUSEADDR");
    public static final int OPT_RECBUF = constant("GT_OPT_RECBUF");
    public static final int OPT_SNDBUF = constant("GT_OPT_SNDBUF");
    public static final int OPT_IDLE = constant("GT_OPT_IDLE");
    public static final int OPT_SPIN_NS = constant("GT_OPT_SPIN_NS");

    public static final int PACKET_RAW = constant("GT_PACKET_RAW");
    public static final int PACKET_1 = constant("GT_PACKET_1");
    public static final int PACKET_2 = constant("GT_PACKET_2");
    public static final int PACKET_4 = constant("GT_PACKET_4");

    public static final int ACTIVE_FALSE = constant("GT_ACTIVE_FALSE");
    public static final int ACTIVE_TRUE = constant("GT_ACTIVE_TRUE");
    public static final int ACTIVE_ONCE = constant("GT_ACTIVE_ONCE");

    public static final int IDLE_BLOCK = constant("GT_IDLE_BLOCK");
    public static final int IDLE_SPIN = constant("GT_IDLE_SPIN");
    public static final int IDLE_BUSY = constant("GT_IDLE_BUSY");

    public static final int EINVAL = constant("EINVAL");
    public static final int AF_INET = constant("AF_INET");
    public static final int AF_INET6 = constant("AF_INET6");
    public static final int SHUT_RD = constant("SHUT_RD");
    public static final int SHUT_WR = constant("SHUT_WR");
    public static final int SHUT_RDWR = constant("SHUT_RDWR");

    private Native()
    {
    }

    /** The library; throws an {@link UnsatisfiedLinkError} saying why when it is not there. */
    public static LibGentcp lib()
    {
        final LibGentcp lib = LIB;
        if (lib == null)
        {
            throw new UnsatisfiedLinkError(LOAD_FAILURE);
        }
        return lib;
    }

    /** The jar's folder name for this machine: linux-x86_64, linux-aarch64, darwin-aarch64 ... */
    public static String platform()
    {
        return NativeLoader.platform();
    }

    /** Whether the library loaded. */
    public static boolean isAvailable()
    {
        return LIB != null;
    }

    /**
     * The value of a C constant, or {@link Long#MIN_VALUE} when the platform lacks it; 0 for
     * everything when the library did not load ({@link #lib()} then reports why).
     */
    public static long constantOrMissing(final String name)
    {
        return LIB == null ? 0 : LIB.gt_constant(name);
    }

    private static int constant(final String name)
    {
        final long value = constantOrMissing(name);
        if (value == Long.MIN_VALUE)
        {
            throw new IllegalStateException("libgentcp does not define " + name);
        }
        return (int)value;
    }
}
