package io.gentcp;

/**
 * A stream of bytes in which byte I is a function of I alone: a sender makes any stretch of it,
 * and a receiver checks every byte it reads, lost, doubled or reordered ones included, without
 * a copy of what was sent.
 */
final class BytePattern
{
    private BytePattern()
    {
    }

    /** Byte I of the stream. */
    static byte at(final long i)
    {
        return (byte)((i * 2654435761L) >>> 13);
    }

    /** LENGTH bytes of the stream from byte FROM. */
    static byte[] bytes(final long from, final int length)
    {
        final byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = at(from + i);
        }
        return b;
    }

    /** Checks that GOT is the stream from byte POS on. */
    static void check(final byte[] got, final long pos)
    {
        for (int i = 0; i < got.length; i++)
        {
            if (got[i] != at(pos + i))
            {
                throw new AssertionError("byte " + (pos + i) + " is " + got[i] + ", not " + at(pos + i));
            }
        }
    }

    /**
     * Reads from SOCKET (each recv within TIMEOUT_MS) until at least N bytes have come, checking
     * that they continue the stream from byte AT; returns the position after the last one.
     */
    static long read(final Socket socket, final long at, final long n, final long timeoutMs)
    {
        long pos = at;
        while (pos < at + n)
        {
            final byte[] got = GenTcp.recv(socket, 0, timeoutMs);
            check(got, pos);
            pos += got.length;
        }
        return pos;
    }
}
