package io.gentcp;

import io.gentcp.internal.DirectMemory;

/** A connected TCP socket, as returned by {@link GenTcp#connect} and {@link GenTcp#accept}. */
public final class Socket extends InetSocket
{
    /** Addresses of the caller's direct buffers, asked of JNI once per buffer. */
    final DirectMemory.AddressCache sendBuffers = new DirectMemory.AddressCache();
    final DirectMemory.AddressCache recvBuffers = new DirectMemory.AddressCache();

    Socket(final long handle)
    {
        super(handle);
    }
}
