package io.gentcp.bench.transfer;

import java.nio.ByteBuffer;

import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Reason;
import io.gentcp.Socket;

/**
 * The sending end of a transfer on a passive gentcp socket: BYTES body bytes in sends of
 * SIZE from one direct buffer (the last one shorter when SIZE does not divide BYTES), then
 * {@code shutdown(S, write)}, then receives (discarding) until the peer closes. Allocates
 * nothing per send.
 */
public final class Blast
{
    private Blast()
    {
    }

    /**
     * Sends, shuts down writing and waits for the peer's close; the time runs from this call
     * to the close. The socket stays open.
     *
     * @param socket a passive, connected socket, framed as the receiver frames.
     * @param size   the body bytes of each send, at least 1.
     * @param bytes  the body bytes in all, at least 0.
     * @return the body bytes and sends made and the time taken.
     * @throws GenTcpException for any failure but the peer's close after the shutdown.
     */
    public static Transfer send(final Socket socket, final int size, final long bytes)
    {
        if (size < 1)
        {
            throw new IllegalArgumentException("size: must be >= 1, was " + size);
        }
        if (bytes < 0)
        {
            throw new IllegalArgumentException("bytes: must be >= 0, was " + bytes);
        }
        final ByteBuffer tx = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++)
        {
            tx.put(i, (byte)0x5a);
        }
        long left = bytes;
        long sends = 0;
        final long start = System.nanoTime();
        while (left > 0)
        {
            final int chunk = (int)Math.min(size, left);
            tx.limit(chunk).position(0);
            GenTcp.send(socket, tx);
            left -= chunk;
            sends++;
        }
        GenTcp.shutdown(socket, GenTcp.How.WRITE);
        awaitClose(socket, tx);
        return new Transfer(bytes, sends, System.nanoTime() - start);
    }

    /** Receives into BUFFER, discarding, until {@code closed}. */
    private static void awaitClose(final Socket socket, final ByteBuffer buffer)
    {
        while (true)
        {
            buffer.clear();
            try
            {
                if (GenTcp.recv(socket, 0, buffer) < 0)
                {
                    // A packet bigger than the buffer: take it with the allocating receive.
                    GenTcp.recv(socket, 0);
                }
            }
            catch (final GenTcpException e)
            {
                if (e.reason() == Reason.CLOSED)
                {
                    return;
                }
                throw e;
            }
        }
    }
}
