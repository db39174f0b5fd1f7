package io.gentcp.internal;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;

import sun.misc.Unsafe;

/**
 * Addresses of direct buffers, and one scratch buffer per thread for the calls that take
 * heap data ({@code byte[]}, {@code String}).
 *
 * <p>Internal usage only. Ownership: every buffer here belongs to Java. C writes into or reads
 * from it only during the native call it was passed to, and the caller keeps the buffer
 * reachable across that call ({@link java.lang.ref.Reference#reachabilityFence}).
 */
public final class DirectMemory
{
    private static final Unsafe UNSAFE;
    private static final long ADDRESS_OFFSET;
    private static final int INITIAL_SCRATCH = 64 * 1024;
    private static final ThreadLocal<ByteBuffer[]> SCRATCH = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    static
    {
        try
        {
            final Field unsafe = Unsafe.class.getDeclaredField("theUnsafe");
            unsafe.setAccessible(true);
            UNSAFE = (Unsafe)unsafe.get(null);
            // Reading Buffer.address through Unsafe costs a load; asking jffi costs a JNI call.
            ADDRESS_OFFSET = UNSAFE.objectFieldOffset(Buffer.class.getDeclaredField("address"));
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DirectMemory()
    {
    }

    /** The address of a direct buffer's first byte (position ignored). */
    public static long address(final ByteBuffer direct)
    {
        return UNSAFE.getLong(direct, ADDRESS_OFFSET);
    }

    /** This thread's scratch buffer with at least {@code capacity} bytes; grows, never shrinks below 64 KiB. */
    public static ByteBuffer scratch(final int capacity)
    {
        final ByteBuffer[] holder = SCRATCH.get();
        ByteBuffer buffer = holder[0];
        if (buffer == null || buffer.capacity() < capacity)
        {
            buffer = ByteBuffer.allocateDirect(Math.max(capacity, INITIAL_SCRATCH));
            holder[0] = buffer;
        }
        return buffer;
    }
}
