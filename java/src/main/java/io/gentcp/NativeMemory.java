package io.gentcp;

/**
 * What the native library holds in memory, process-wide ({@link Inet#nativeMemory()}): bytes,
 * and blocks (allocations), per place. A socket that is idle and drained holds nothing in any
 * of them, so the counts come back to where they were once the sockets and mailboxes of a
 * piece of work are closed.
 *
 * @param receiveBufferBytes  bytes of the sockets' receive buffers: packets not yet complete,
 *                            packets not yet taken, and room for the next read.
 * @param receiveBufferBlocks receive buffers allocated (at most one per socket).
 * @param sendQueueBytes      bytes of the sockets' send queues (data the kernel has not taken
 *                            yet, and room for more), with the blocks a background write is
 *                            still reading from.
 * @param sendQueueBlocks     send queue blocks allocated.
 * @param mailboxBytes        bytes of the mailboxes: their state, their lists of sockets and
 *                            control messages, and the blocks holding a message too big for
 *                            the receiver's buffer until it is copied out.
 * @param mailboxBlocks       mailbox blocks allocated.
 */
public record NativeMemory(long receiveBufferBytes, long receiveBufferBlocks, long sendQueueBytes,
    long sendQueueBlocks, long mailboxBytes, long mailboxBlocks)
{
}
