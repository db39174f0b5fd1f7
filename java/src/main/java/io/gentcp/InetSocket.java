package io.gentcp;

import io.gentcp.internal.Native;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What gen_tcp calls {@code socket()}: a connected {@link Socket} or a {@link ListenSocket}.
 *
 * <p>It holds a handle into the C library's socket table, never a file descriptor: once the
 * socket is closed, every call on it fails cleanly ({@code closed} or {@code einval}, as OTP
 * answers), even if the kernel has reused the descriptor number for another socket.
 *
 * <p>It is {@link AutoCloseable}: {@code try (Socket s = GenTcp.connect(...)) { ... }} closes
 * it as {@link GenTcp#close} does, and closing it again is fine.
 */
public abstract sealed class InetSocket implements AutoCloseable permits Socket, ListenSocket
{
    final long handle;
    /** The mailbox that owns it (adopt, controllingProcess); null once the application closed it. */
    volatile Mailbox owner;
    /**
     * Held through a whole controllingProcess: the new owner may receive the messages handed
     * to it at once, and hand the socket on again, but not before the move that brought them
     * has ended (every held message handed over, delivery resumed). Nothing under it waits on
     * another mailbox or the peer. A lock, not a monitor: a virtual thread waiting for it on
     * Java 21 to 23 does not pin its carrier.
     */
    final ReentrantLock moveLock = new ReentrantLock();

    InetSocket(final long handle)
    {
        this.handle = handle;
    }

    /**
     * GenTcp.close: from now on the socket's errors are the application's close, not its
     * owner's end (unless the owner had already ended, and the reaper closed it first).
     */
    final void closedByApplication()
    {
        final Mailbox m = owner;
        if (m != null && m.ownerEnded == null)
        {
            owner = null;
        }
    }

    /**
     * {@link GenTcp#close}{@code (this)}: always succeeds, also when closed already. Like it,
     * it may wait for unsent data (up to 5 s by default, see {@code linger}), also when a
     * try-with-resources block ends with an exception. A socket handed to another owner with
     * {@link GenTcp#controllingProcess} inside such a block is closed at its end all the same:
     * hand sockets on outside one.
     */
    @Override
    public final void close()
    {
        GenTcp.close(this);
    }

    /** Like Erlang's {@code #Port<0.N>}: the generation and the slot field of the handle. */
    @Override
    public String toString()
    {
        return "#Port<" + (handle >>> Native.HANDLE_GENERATION_SHIFT) + "." + SocketTable.slot(handle) + ">";
    }
}
