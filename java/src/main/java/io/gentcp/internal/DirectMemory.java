package io.gentcp.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import com.kenai.jffi.MemoryIO;

/**
 * Addresses of direct buffers, and a small pool of direct buffers shared by all threads for the
 * calls that take heap data ({@code byte[]}, {@code String}) or small records (names, options).
 *
 * <p>The pool holds at most {@link #POOL_SIZE} buffers of {@link #CHUNK} bytes, made when first
 * needed, so direct memory stays bounded however many threads there are (a buffer per thread
 * would not be, with virtual threads). A caller borrows one and gives it back
 * ({@link Scratch#close}); when all are out, or the caller needs more than a chunk, it goes
 * without: the data calls then take another path (GenTcp), the small records get a buffer of
 * their own ({@link #scratch}), which the garbage collector frees.
 *
 * <p>Internal usage only. Ownership: every buffer here belongs to Java. C writes into or reads
 * from it only during the native call it was passed to, and the caller keeps the buffer
 * reachable across that call ({@link java.lang.ref.Reference#reachabilityFence}).
 */
public final class DirectMemory
{
    /** The size of a pooled buffer: the largest packet that takes the one-call path. */
    public static final int CHUNK = 64 * 1024;
    /** How many buffers the pool holds at most (4 per CPU, between 8 and 64: 512 KiB to 4 MiB). */
    public static final int POOL_SIZE = Math.min(64, Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));

    /** jffi reads the address with JNI's GetDirectBufferAddress: no sun.misc.Unsafe, no warning on JDK 24+. */
    private static final MemoryIO MEMORY_IO = MemoryIO.getInstance();
    /** Slot i holds pooled buffer i while it is free, null while it is lent out (or not made yet). */
    private static final AtomicReferenceArray<Scratch> FREE = new AtomicReferenceArray<>(POOL_SIZE);
    private static final AtomicInteger MADE = new AtomicInteger();
    /** The JVM refused a pooled buffer once: the pool grows no more. */
    private static volatile boolean outOfDirectMemory;

    /** A direct buffer with its address, asked once; pooled ones go back with {@link #close}. */
    public static final class Scratch implements AutoCloseable
    {
        public final ByteBuffer buffer;
        public final long address;
        /** Its slot in the pool, or -1 for a buffer of the caller's own. */
        private final int slot;

        private Scratch(final ByteBuffer buffer, final int slot)
        {
            this.buffer = buffer;
            address = address(buffer);
            this.slot = slot;
        }

        public int capacity()
        {
            return buffer.capacity();
        }

        /** Gives a pooled buffer back; the caller must not use it afterwards. */
        @Override
        public void close()
        {
            if (slot >= 0)
            {
                FREE.set(slot, this);
            }
        }
    }

    /**
     * A direct buffer and its address, published together (an immutable record: a reader on
     * another thread sees both or neither), so that a caller who passes the same buffer every
     * time (the usual case in a hot loop) pays for the JNI lookup once. It keeps the buffer
     * reachable.
     *
     * @param buffer  the direct buffer
     * @param address the address of its first byte (its position is not added)
     */
    public record Known(ByteBuffer buffer, long address)
    {
    }

    /**
     * The last entry {@link #known} made, for any caller. Callers who each remember their own
     * entry but all pass the same buffer (a mailbox thread sending each socket's packet from its
     * one view of the mailbox's buffer) then share one entry, which stays warm in the cache,
     * rather than each reading a cold one of its own. Racy by design: a plain field of an
     * immutable record, whose final fields make any entry read whole. It keeps that one
     * buffer reachable until another entry replaces it.
     */
    private static Known lastKnown;

    /**
     * The entry of DIRECT: CACHED (the caller's last, may be null) when it is DIRECT's, else
     * the last one made for anyone when it is, else a new one. The caller keeps what it gets.
     */
    public static Known known(final Known cached, final ByteBuffer direct)
    {
        if (cached != null && cached.buffer == direct)
        {
            return cached;
        }
        final Known shared = lastKnown;
        if (shared != null && shared.buffer == direct)
        {
            return shared;
        }
        final Known made = new Known(direct, address(direct));
        lastKnown = made;
        return made;
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
     * A pooled buffer of {@link #CHUNK} bytes, or null when every one is lent out or the JVM
     * has no direct memory for another. Allocates nothing once the pool is made.
     */
    public static Scratch borrow()
    {
        final int made = MADE.get();
        if (made > 0)
        {
            // Threads start at different slots, so that they do not all contend for the first.
            final int start = (System.identityHashCode(Thread.currentThread()) & 0x7fffffff) % made;
            for (int i = 0; i < made; i++)
            {
                final int slot = start + i < made ? start + i : start + i - made;
                final Scratch free = FREE.get(slot);
                if (free != null && FREE.compareAndSet(slot, free, null))
                {
                    return free;
                }
            }
        }
        for (int n = MADE.get(); n < POOL_SIZE && !outOfDirectMemory; n = MADE.get())
        {
            // Made before its slot is claimed, so that a JVM short of direct memory
            // (-XX:MaxDirectMemorySize) leaves no slot claimed and empty: the caller goes without,
            // and the pool stays the size it had then (the JDK's refusal costs a GC and up to half
            // a second of retrying, too much to pay again on every call).
            final ByteBuffer buffer;
            try
            {
                buffer = ByteBuffer.allocateDirect(CHUNK);
            }
            catch (final OutOfMemoryError e)
            {
                outOfDirectMemory = true;
                return null;
            }
            if (MADE.compareAndSet(n, n + 1))
            {
                return new Scratch(buffer, n); // lent out at once: its slot stays null until closed
            }
            // another thread made slot n meanwhile: this buffer is dropped (the collector frees it)
        }
        return null;
    }

    /**
     * A buffer of at least {@code capacity} bytes for a short call: a pooled one when it fits
     * and one is free, else one of the caller's own (closing that does nothing). Close it
     * when done, with try-with-resources.
     */
    public static Scratch scratch(final int capacity)
    {
        if (capacity <= CHUNK)
        {
            final Scratch pooled = borrow();
            if (pooled != null)
            {
                return pooled;
            }
        }
        return new Scratch(ByteBuffer.allocateDirect(Math.max(capacity, 1)), -1);
    }
}
