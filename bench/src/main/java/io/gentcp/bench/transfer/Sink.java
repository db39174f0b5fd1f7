package io.gentcp.bench.transfer;

import java.nio.ByteBuffer;

import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Reason;
import io.gentcp.Socket;

/**
 * The receiving end of a transfer on a passive gentcp socket: {@code recv(S, 0)} into one
 * reused direct buffer until the peer closes, counting body bytes and packets (with
 * {@code {packet, raw}}, each receive counts as one). Allocates nothing per packet; a packet
 * bigger than the buffer grows it once.
 */
public final class Sink
{
    /** The receive buffer's first size: as much as a raw receive takes at once. */
    static final int BUFFER_SIZE = 256 * 1024;

    private Sink()
    {
    }

    /**
     * Receives until the peer closes ({@code closed}), then returns the counts; the time runs
     * from this call to the close. The socket stays open.
     *
     * @param socket a passive, connected socket, framed as the sender frames.
     * @return the body bytes and packets received and the time taken.
     * @throws GenTcpException for any failure but the peer's close.
     */
    public static Transfer receive(final Socket socket)
    {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        long bytes = 0;
        long packets = 0;
        final long start = System.nanoTime();
        while (true)
        {
            buffer.clear();
            final int n;
            try
            {
                n = GenTcp.recv(socket, 0, buffer);
            }
            catch (final GenTcpException e)
            {
                if (e.reason() == Reason.CLOSED)
                {
                    break;
                }
                throw e;
            }
            if (n < 0)
            {
                buffer = ByteBuffer.allocateDirect(-n); // nothing was taken: retry with room for it
                continue;
            }
            bytes += n;
            packets++;
        }
        return new Transfer(bytes, packets, System.nanoTime() - start);
    }
}
