package io.gentcp;

import java.util.concurrent.locks.ReentrantLock;

/** A listening TCP socket, as returned by {@link GenTcp#listen}. */
public final class ListenSocket extends InetSocket
{
    /** Virtual threads accepting here take turns to park (internal/Parking.java). */
    final ReentrantLock acceptors = new ReentrantLock();

    ListenSocket(final long handle)
    {
        super(handle);
    }
}
