package io.gentcp.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;

import com.kenai.jffi.MemoryIO;

/**
 * The direct buffers into which C writes mailbox messages, and views of the blocks in which C
 * holds the messages too big for them.
 *
 * <p>Internal usage only. A mailbox borrows a buffer of {@link #SIZE} bytes when C first has a
 * message for it and its owner gives it back when it closes the mailbox; a few idle ones are
 * kept here for the mailboxes of new threads. A buffer never grows: a message bigger than it
 * stays in C memory of its own size (gentcp.h, GT_MSG_HELD), which Java reads through a
 * {@link #view} and C frees when told, so no direct buffer of a packet's size is ever made.
 * A receive that parks in Java rather than in C (a virtual thread's) gives its buffer back
 * before it parks, so that idle mailboxes hold none; the few kept idle here then serve the
 * receivers running at any one time, about one per carrier.
 */
public final class MailboxBuffers
{
    /**
     * Bytes of one buffer: a pass of small messages fits many; a bigger message comes held. At
     * least the two message headers gentcp.h asks for.
     */
    public static final int SIZE = 16 * 1024;
    private static final MemoryIO MEMORY_IO = MemoryIO.getInstance();
    /** Idle buffers: a slot holds one or null. Twice the processors, a power of two. */
    private static final AtomicReferenceArray<Buffer> IDLE =
        new AtomicReferenceArray<>(Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors())) * 2);

    /** A direct buffer with its address, asked once, and a read-only view of it for handlers. */
    public static final class Buffer
    {
        /** The whole buffer, in native order: what the mailbox reads C's message headers with. */
        public final ByteBuffer bytes;
        public final long address;
        /** The same memory, read-only: a packet's view for a MailboxHandler (its position and limit set per packet). */
        public final ByteBuffer readOnly;

        private Buffer()
        {
            bytes = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
            address = DirectMemory.address(bytes);
            readOnly = bytes.asReadOnlyBuffer();
        }
    }

    private MailboxBuffers()
    {
    }

    /**
     * An idle buffer, or a new one if none is idle. Give it back with {@link #giveBack} once no native call can write
     * it.
     */
    public static Buffer borrow()
    {
        final int mask = IDLE.length() - 1;
        final int start = System.identityHashCode(Thread.currentThread());
        for (int i = 0; i <= mask; i++)
        {
            final int slot = (start + i) & mask;
            final Buffer idle = IDLE.get(slot);
            if (idle != null && IDLE.compareAndSet(slot, idle, null))
            {
                return idle;
            }
        }
        return new Buffer();
    }

    /** Keeps BUFFER for the next receive, or drops it (the collector frees it) when enough are idle. */
    public static void giveBack(final Buffer buffer)
    {
        final int mask = IDLE.length() - 1;
        final int start = System.identityHashCode(Thread.currentThread());
        for (int i = 0; i <= mask; i++)
        {
            final int slot = (start + i) & mask;
            if (IDLE.get(slot) == null && IDLE.compareAndSet(slot, null, buffer))
            {
                return;
            }
        }
    }

    /**
     * The LENGTH bytes of C memory at ADDRESS as a buffer, in native order: no copy, and no
     * direct memory of Java's. Valid only until C frees that memory; never keep it.
     */
    public static ByteBuffer view(final long address, final int length)
    {
        return MEMORY_IO.newDirectByteBuffer(address, length).order(ByteOrder.nativeOrder());
    }
}
