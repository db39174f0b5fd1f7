package io.gentcp;

/** A connected TCP socket, as returned by {@link GenTcp#connect} and {@link GenTcp#accept}. */
public final class Socket extends InetSocket
{
    /** Cached copy of the mode option, so a receive need not ask C how to deliver. */
    volatile boolean binary;

    Socket(final long handle, final boolean binary)
    {
        super(handle);
        this.binary = binary;
    }
}
