package io.gentcp;

/** A listening TCP socket, as returned by {@link GenTcp#listen}. */
public final class ListenSocket extends InetSocket
{
    ListenSocket(final long handle)
    {
        super(handle);
    }
}
