package io.gentcp;

import io.gentcp.internal.DirectMemory;

/** A connected TCP socket, as returned by {@link GenTcp#connect} and {@link GenTcp#accept}. */
public final class Socket extends InetSocket
{
    /** Cached copies of the mode and packet options, so a receive need not ask C how to deliver. */
    volatile boolean binary;
    volatile PacketType packet;
    volatile int header;

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
