package io.gentcp.bench.roundtrip;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code {packet, 1|2|4}} framing on java.net streams, for the java.net peers: a big-endian
 * length header of 1, 2 or 4 bytes, then the body. Reads go through whatever buffering the
 * caller's stream has.
 */
public final class StreamFrames
{
    private StreamFrames()
    {
    }

    /** Writes LENGTH as a header of HEADER_LENGTH bytes at the start of BUFFER. */
    public static void putHeader(final byte[] buffer, final int headerLength, final int length)
    {
        for (int i = 0; i < headerLength; i++)
        {
            buffer[i] = (byte)(length >>> (8 * (headerLength - 1 - i)));
        }
    }

    /** The length a header of HEADER_LENGTH bytes at the start of BUFFER says. */
    static int header(final byte[] buffer, final int headerLength)
    {
        long length = 0;
        for (int i = 0; i < headerLength; i++)
        {
            length = (length << 8) | (buffer[i] & 0xff);
        }
        if (length > Integer.MAX_VALUE - headerLength)
        {
            throw new IllegalStateException("a packet header says " + length + " bytes");
        }
        return (int)length;
    }

    /**
     * Reads exactly LENGTH bytes into BUFFER at OFFSET.
     *
     * @return false if the stream ended before the first byte (a clean end between messages).
     * @throws EOFException if it ended after the first byte.
     */
    public static boolean readFully(final InputStream in, final byte[] buffer, final int offset, final int length)
        throws IOException
    {
        int done = 0;
        while (done < length)
        {
            final int n = in.read(buffer, offset + done, length - done);
            if (n < 0)
            {
                if (done == 0)
                {
                    return false;
                }
                throw new EOFException("the stream ended " + done + " bytes into " + length);
            }
            done += n;
        }
        return true;
    }
}
