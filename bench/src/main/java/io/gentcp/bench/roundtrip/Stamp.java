package io.gentcp.bench.roundtrip;

import java.nio.ByteBuffer;

/**
 * The round trip's number in the first (up to) four bytes of a message body, least significant
 * byte first, written and checked with absolute gets and puts: no allocation, no position change.
 */
final class Stamp
{
    private Stamp()
    {
    }

    /** Writes SEQUENCE into the body of SIZE bytes at OFFSET. */
    static void put(final ByteBuffer buffer, final int offset, final int size, final int sequence)
    {
        final int n = Math.min(size, 4);
        for (int i = 0; i < n; i++)
        {
            buffer.put(offset + i, (byte)(sequence >>> (8 * i)));
        }
    }

    /** Whether the body of SIZE bytes at OFFSET carries SEQUENCE. */
    static boolean matches(final ByteBuffer buffer, final int offset, final int size, final int sequence)
    {
        final int n = Math.min(size, 4);
        for (int i = 0; i < n; i++)
        {
            if (buffer.get(offset + i) != (byte)(sequence >>> (8 * i)))
            {
                return false;
            }
        }
        return true;
    }
}
