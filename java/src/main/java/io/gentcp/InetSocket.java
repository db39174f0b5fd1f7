package io.gentcp;

/**
 * What gen_tcp calls {@code socket()}: a connected {@link Socket} or a {@link ListenSocket}.
 *
 * <p>It holds a handle into the C library's socket table, never a file descriptor: once the
 * socket is closed, every call on it fails cleanly ({@code closed} or {@code einval}, as OTP
 * answers), even if the kernel has reused the descriptor number for another socket.
 */
public abstract sealed class InetSocket permits Socket, ListenSocket
{
    final long handle;

    InetSocket(final long handle)
    {
        this.handle = handle;
    }

    /** Like Erlang's {@code #Port<0.N>}: the slot and generation of the handle. */
    @Override
    public String toString()
    {
        return "#Port<" + (handle >>> 32) + "." + (handle & 0xffffffffL) + ">";
    }
}
