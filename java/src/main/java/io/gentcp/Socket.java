package io.gentcp;

import io.gentcp.internal.DirectMemory;
import java.util.concurrent.locks.ReentrantLock;

/** A connected TCP socket, as returned by {@link GenTcp#connect} and {@link GenTcp#accept}. */
public final class Socket extends InetSocket
{
    /**
     * The last direct buffers sent from and received into, with their addresses, asked of JNI
     * once per buffer ({@link DirectMemory#known}); fields of the socket itself, so that a send
     * reads nothing cold beyond the socket (a server's thousands of sockets are each cold when
     * their turn comes). Any thread may replace them: each is one immutable entry.
     */
    DirectMemory.Known sentFrom;
    DirectMemory.Known receivedInto;
    /** Virtual threads whose sends must wait take turns here to park (internal/Parking.java). */
    final ReentrantLock senders = new ReentrantLock();

    Socket(final long handle)
    {
        super(handle);
    }
}
