package io.gentcp;

import java.util.concurrent.locks.ReentrantLock;

import io.gentcp.internal.DirectMemory;

/** A connected TCP socket, as returned by {@link GenTcp#connect} and {@link GenTcp#accept}. */
public final class Socket extends InetSocket
{
    /**
     * Cached copies of the mode, packet and header options, so a receive need not ask C how to
     * deliver. Read without a lock; written under {@link #cacheLock} together with C's value.
     */
    volatile boolean binary;
    volatile PacketType packet;
    volatile int header;

    /**
     * Held by setopts while it changes one of the cached options in C and here, so that two
     * setopts at once cannot leave a copy other than the value C kept. (A lock rather than a
     * monitor: a virtual thread waiting for it does not pin its carrier.)
     */
    final ReentrantLock cacheLock = new ReentrantLock();

    /** Addresses of the caller's direct buffers, asked of JNI once per buffer. */
    final DirectMemory.AddressCache sendBuffers = new DirectMemory.AddressCache();
    final DirectMemory.AddressCache recvBuffers = new DirectMemory.AddressCache();

    Socket(final long handle, final boolean binary, final PacketType packet)
    {
        super(handle);
        this.binary = binary;
        this.packet = packet;
    }
}
