package io.gentcp.internal;

import java.nio.ByteBuffer;

import com.kenai.jffi.MemoryIO;

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
    /** jffi reads the address with JNI's GetDirectBufferAddress: no sun.misc.Unsafe, no warning on JDK 24+. */
    private static final MemoryIO MEMORY_IO = MemoryIO.getInstance();
    private static final int INITIAL_SCRATCH = 64 * 1024;
    private static final ThreadLocal<Scratch[]> SCRATCH = ThreadLocal.withInitial(() -> new Scratch[1]);

    /** A direct buffer with its address, asked once. */
    public static final class Scratch
    {
        public final ByteBuffer buffer;
        public final long address;

        private Scratch(final int capacity)
        {
            buffer = ByteBuffer.allocateDirect(capacity);
            address = address(buffer);
        }

        public int capacity()
        {
            return buffer.capacity();
        }
    }

    /**
     * Remembers the address of the last direct buffer it was asked about, so that a caller
     * who passes the same buffer every time (the usual case in a hot loop) pays for the JNI
     * lookup once. Safe to share between threads: the buffer and its address are published
     * together in one immutable entry. It keeps that one buffer reachable.
     */
    public static final class AddressCache
    {
        private Entry last;

        private record Entry(ByteBuffer buffer, long address)
        {
        }

        /** The address of a direct buffer's first byte (its position is not added). */
        public long address(final ByteBuffer direct)
        {
            final Entry entry = last;
            if (entry != null && entry.buffer == direct)
            {
                return entry.address;
            }
            final long address = DirectMemory.address(direct);
            last = new Entry(direct, address);
            return address;
        }
    }

    private DirectMemory()
    {
    }

    /** The address of a direct buffer's first byte (its position is not added). */
    public static long address(final ByteBuffer direct)
    {
        return MEMORY_IO.getDirectBufferAddress(direct);
    }

    /**
     * This thread's scratch buffer with at least {@code capacity} bytes. It grows to the
     * largest size asked for and keeps it, so steady traffic allocates nothing.
     */
    public static Scratch scratch(final int capacity)
    {
        final Scratch[] holder = SCRATCH.get();
        Scratch scratch = holder[0];
        if (scratch == null || scratch.capacity() < capacity)
        {
            scratch = new Scratch(Math.max(capacity, INITIAL_SCRATCH));
            holder[0] = scratch;
        }
        return scratch;
    }
}
