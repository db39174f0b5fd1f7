package io.gentcp;

import io.gentcp.internal.DirectMemory;
import java.util.concurrent.locks.ReentrantLock;

/** A connected TCP socket, as returned by {@link GenTcp#connect} and {@link GenTcp#accept}. */
public final class Socket extends InetSocket
{
    /** Addresses of the caller's direct buffers, asked of JNI once per buffer. */
    final DirectMemory.AddressCache sendBuffers = new DirectMemory.AddressCache();
    final DirectMemory.AddressCache recvBuffers = new DirectMemory.AddressCache();
    /** Virtual threads whose sends must wait take turns here to park (internal/Parking.java). */
    final ReentrantLock senders = new ReentrantLock();

    Socket(final long handle)
    {
        super(handle);
    }
}
